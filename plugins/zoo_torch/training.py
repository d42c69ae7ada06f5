"""``zoo train --framework torch``: one process, or several under torchrun."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from zoo_core.framework import TrainJob
from zoo_core.registry import get_registry
from zoo_core.rundir import RunDir
from zoo_core.training import TrainingError, run_training


def train(job: TrainJob) -> Path:
    """Train ``job``; with ``job.nproc > 1`` (and not yet under torchrun) launch torchrun."""
    from zoo_torch import distributed

    if job.nproc > 1 and not distributed.under_launcher():
        code = distributed.launch(job)
        if code != 0:
            raise TrainingError(
                f"data-parallel training ({job.nproc} processes) failed, exit code {code}"
            )
        return job.out
    return train_here(job)


def train_here(job: TrainJob) -> Path:
    """Train ``job`` in this process (one rank of a data-parallel run under torchrun)."""
    from zoo_torch import distributed
    from zoo_torch.runtime import choose_runtime
    from zoo_torch.session import TorchSession

    runtime = choose_runtime(job.device, job.precision, job.workers)
    registry = get_registry()
    if not runtime.distributed:
        return run_training(job, registry, lambda j, s, a: TorchSession(j, s, a, registry, runtime))
    distributed.start(runtime.device)
    try:
        existed = RunDir(job.out).exists()
        distributed.gather_objects(existed)  # a barrier: no rank has written yet
        if not runtime.is_main and not existed:
            # rank 0 may create the run directory before this rank checks it
            job = dataclasses.replace(job, resume=True)
        return run_training(job, registry, lambda j, s, a: TorchSession(j, s, a, registry, runtime))
    finally:
        distributed.stop()
