"""The collectives a torch session uses in a data-parallel run (started by
:mod:`zoo_torch.launch`): joining the process group, gathering, reducing, checking replicas."""

from __future__ import annotations

import hashlib
from typing import Any

import torch
import torch.distributed as dist

from zoo_core.training import TrainingError


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
