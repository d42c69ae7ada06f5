"""msrun as zoo's launcher for ``zoo train --nproc N --framework mindspore``.

The core runs ``msrun --worker_num N --local_worker_num N … python -m zoo_core.worker JOB.json``;
each worker joins the cluster (:func:`zoo_mindspore.distributed.join`), trains its share of every
epoch and only rank 0 writes the run directory. msrun's own lines are left out of the output;
the workers' logs stay in ``RUN/msrun_logs``. On CPU, MindSpore's own collective library needs
nothing else. Imports no mindspore.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from zoo_core.framework import TrainJob

LOGS = "msrun_logs"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Msrun:
    name = "msrun"
    noise = ("Start scheduler process", "Start worker process", "[INFO]", "[WARNING]")

    def inside(self) -> bool:
        """msrun sets the dynamic-cluster role of the processes it starts."""
        return "MS_ROLE" in os.environ and "MS_WORKER_NUM" in os.environ

    def command(self, job: TrainJob, run: Path) -> list[str]:
        workers = str(job.nproc)
        return [
            sys.executable, "-m", "mindspore.parallel.cluster.run",  # the msrun command
            "--worker_num", workers,
            "--local_worker_num", workers,
            "--master_port", str(free_port()),
            "--log_dir", str(self.logs(run)),
            "--join", "True",
            "--cluster_time_out", "120",
            "--tail_worker_log", "0",  # rank 0's log comes back on stdout
            "python",
        ]  # fmt: skip

    def environment(self, job: TrainJob) -> dict[str, str]:
        """msrun runs ``python`` from the PATH: this interpreter's."""
        path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
        return {"PATH": path}

    def logs(self, run: Path) -> Path:
        return run / LOGS


msrun = Msrun()
