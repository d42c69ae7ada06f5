"""One process of a run: ``python -m zoo_core.worker JOB.json`` trains the job in that file.

The framework's launcher (torchrun, msrun) starts it once per rank for ``zoo train --nproc N``;
it prints ``zoo: error: …`` and exits 1 on an expected failure, like ``zoo``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from zoo_core.jobfile import read_job, write_job

__all__ = ["main", "read_job", "write_job"]


def main(argv: list[str]) -> int:
    from zoo_core.cli.errors import EXPECTED_OS_ERRORS, error_line
    from zoo_core.errors import ZooError
    from zoo_core.train_flow import train

    if len(argv) != 1:
        print("usage: python -m zoo_core.worker JOB.json", file=sys.stderr)
        return 2
    try:
        train(read_job(Path(argv[0])))
    except (ZooError, *EXPECTED_OS_ERRORS) as error:
        print(error_line(error), file=sys.stderr)
        return getattr(error, "exit_code", 1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
