"""Data-parallel training over processes: launching torchrun, and the collectives a session uses.

``zoo train --nproc N`` starts ``python -m torch.distributed.run --standalone --nproc-per-node N
-m zoo_torch.worker JOB.json``; each process trains its shard of every epoch's permutation
(DistributedDataParallel, gloo on CPU, nccl on CUDA) and rank 0 writes the run directory. Under a
torchrun started by hand (several nodes: ``--nnodes``, ``--rdzv-endpoint``) ``zoo train`` sees
``WORLD_SIZE`` and trains as one of its processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist

from zoo_core.framework import TrainJob
from zoo_core.training import TrainingError


def under_launcher() -> bool:
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def launch(job: TrainJob) -> int:
    """Run ``job`` in ``job.nproc`` local processes under torchrun; return its exit code."""
    from zoo_torch.runtime import available_cpus

    with tempfile.TemporaryDirectory(prefix="zoo-ddp-") as folder:
        spec = Path(folder) / "job.json"
        spec.write_text(json.dumps(job.to_dict()))
        env = dict(os.environ)
        env.setdefault("OMP_NUM_THREADS", str(max(1, available_cpus() // job.nproc)))
        command = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            f"--nproc-per-node={job.nproc}",
            "-m",
            "zoo_torch.worker",
            str(spec),
        ]
        return subprocess.run(command, env=env, check=False).returncode


def start(device: torch.device) -> None:
    """Join the process group torchrun describes (nccl on CUDA, gloo otherwise)."""
    if not dist.is_initialized():
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo", device_id=None)


def stop() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()


def gather_objects(value: Any) -> list[Any]:
    """``value`` from every rank, in rank order."""
    if not dist.is_initialized():
        return [value]
    gathered: list[Any] = [None] * dist.get_world_size()
    dist.all_gather_object(gathered, value)
    return gathered


def min_all(value: int, device: torch.device) -> int:
    """The smallest ``value`` over ranks."""
    if not dist.is_initialized():
        return value
    tensor = torch.tensor([value], dtype=torch.int64, device=device)
    dist.all_reduce(tensor, op=dist.ReduceOp.MIN)
    return int(tensor.item())


def sum_all(values: list[float], device: torch.device) -> list[float]:
    """Element-wise sums over ranks."""
    if not dist.is_initialized():
        return values
    tensor = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(tensor)
    return tensor.tolist()


def parameter_digest(model: torch.nn.Module) -> str:
    """A hash of every parameter's bytes."""
    digest = hashlib.blake2b(digest_size=16)
    for name, parameter in model.named_parameters():
        digest.update(name.encode())
        digest.update(parameter.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def check_replicas(model: torch.nn.Module) -> None:
    """Every rank must hold bit-identical parameters; anything else is a bug worth stopping for."""
    digests = gather_objects(parameter_digest(model))
    if len(set(digests)) > 1:
        raise TrainingError(f"data-parallel replicas diverged: parameter digests {digests}")
