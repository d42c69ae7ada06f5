"""One process of a data-parallel run started by :func:`zoo_torch.distributed.launch`."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from zoo_core.errors import ZooError
    from zoo_core.framework import TrainJob
    from zoo_torch.training import train_here

    if len(argv) != 1:
        print("usage: python -m zoo_torch.worker JOB.json (started by torchrun)", file=sys.stderr)
        return 2
    job = TrainJob.from_dict(json.loads(Path(argv[0]).read_text()))
    try:
        train_here(job)
    except ZooError as error:
        print(f"zoo: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
