"""The msrun worker: ``python -m zoo_mindspore.worker JOB.json`` trains one rank of the job."""

from __future__ import annotations

import sys

from zoo_mindspore import environment

environment.prepare()


def main(argv: list[str]) -> int:
    from zoo_core.errors import ZooError
    from zoo_mindspore.jobs import read_job
    from zoo_mindspore.training import train

    if len(argv) != 1:
        print("usage: python -m zoo_mindspore.worker JOB.json", file=sys.stderr)
        return 2
    try:
        train(read_job(argv[0]))
    except ZooError as error:
        print(f"zoo: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
