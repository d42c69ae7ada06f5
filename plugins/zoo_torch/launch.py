"""torchrun as zoo's launcher for ``zoo train --nproc N --framework torch``.

The core runs ``python -m torch.distributed.run --standalone --nproc-per-node N -m zoo_core.worker
JOB.json``; each process trains its shard of every epoch's permutation (DistributedDataParallel,
gloo on CPU, nccl on CUDA) and rank 0 writes the run directory. Under a torchrun started by hand
(several nodes: ``--nnodes``, ``--rdzv-endpoint``) ``zoo train`` sees ``WORLD_SIZE`` and trains as
one of its processes. Imports no torch.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from zoo_core.framework import TrainJob


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Torchrun:
    name = "torchrun"
    noise: tuple[str, ...] = ()

    def inside(self) -> bool:
        return int(os.environ.get("WORLD_SIZE", "1")) > 1

    def command(self, job: TrainJob, run: Path) -> list[str]:
        return [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            f"--nproc-per-node={job.nproc}",
        ]

    def environment(self, job: TrainJob) -> dict[str, str]:
        threads = os.environ.get("OMP_NUM_THREADS") or str(max(1, available_cpus() // job.nproc))
        return {"OMP_NUM_THREADS": threads}

    def logs(self, run: Path) -> Path | None:
        return None


torchrun = Torchrun()
