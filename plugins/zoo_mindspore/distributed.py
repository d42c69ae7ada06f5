"""Data-parallel training with ``msrun``: launching the workers, and what the ranks share.

``zoo train --nproc N --framework mindspore`` runs ``msrun --worker_num N --local_worker_num N``
on ``python -m zoo_mindspore.worker JOB``; each worker joins the cluster (:func:`join`), trains
its share of every epoch with gradients averaged by ``TrainOneStepCell``'s reducer
(``DATA_PARALLEL``), and sums its metrics with the others' (:func:`all_reduce_sum`). Only rank 0
writes the run directory. On CPU, MindSpore's own collective library needs nothing else.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from zoo_core.framework import TrainJob
from zoo_core.registry import Registry

LOGS = "msrun_logs"
LAUNCHER_NOISE = ("Start scheduler process", "Start worker process", "[INFO]", "[WARNING]")
JOB_FILE = "job.json"


@dataclass(frozen=True)
class World:
    """This process's place among the data-parallel ranks."""

    rank: int = 0
    size: int = 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def under_msrun() -> bool:
    """Whether msrun started this process (it sets the dynamic-cluster role)."""
    return "MS_ROLE" in os.environ and "MS_WORKER_NUM" in os.environ


def join() -> World:
    """Join msrun's cluster and switch to data parallelism. The scheduler process msrun also
    starts on this script never returns from ``init()``."""
    import mindspore as ms
    from mindspore.communication import get_group_size, get_rank, init

    init()
    ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL, gradients_mean=True)
    return World(get_rank(), get_group_size())


def all_reduce_sum(values: np.ndarray, world: World) -> np.ndarray:
    """The element-wise sum of ``values`` over all ranks (float32 on the wire)."""
    if world.size == 1:
        return values
    import mindspore as ms
    from mindspore import ops

    summed = ops.AllReduce()(ms.Tensor(np.ascontiguousarray(values, np.float32))).asnumpy()
    if not np.issubdtype(values.dtype, np.floating):
        summed = np.rint(summed)
    return summed.astype(values.dtype)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def msrun_command(job: TrainJob, job_file: Path, logs: Path) -> list[str]:
    workers = str(job.nproc)
    return [
        sys.executable, "-m", "mindspore.parallel.cluster.run",  # the msrun command
        "--worker_num", workers,
        "--local_worker_num", workers,
        "--master_port", str(free_port()),
        "--log_dir", str(logs),
        "--join", "True",
        "--cluster_time_out", "120",
        "--tail_worker_log", "0",
        "python", "-m", "zoo_mindspore.worker", str(job_file),
    ]  # fmt: skip


def launch(job: TrainJob, registry: Registry) -> Path:
    """Train ``job`` on ``job.nproc`` local msrun workers; return the run directory."""
    from zoo_core.rundir import RunDir
    from zoo_core.training import TrainingError, open_data
    from zoo_mindspore.jobs import write_job

    run = RunDir(job.out)
    if run.exists() and not job.resume:
        raise TrainingError(
            f"{run.path} already holds a run; pass --resume to continue it, or choose --out"
        )
    open_data(registry, job)  # bad data fails here, and a generated dataset is made once
    logs = run.path / LOGS
    job_file = logs / JOB_FILE
    write_job(job, job_file)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    command = msrun_command(job, job_file, logs)
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:  # rank 0's log, as msrun tails it
            if not line.startswith(LAUNCHER_NOISE):
                sys.stderr.write(line)
    if process.returncode != 0:
        raise TrainingError(
            f"distributed MindSpore training failed (msrun exit code {process.returncode}); "
            f"worker logs in {logs}"
        )
    return run.path
