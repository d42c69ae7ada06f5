"""Where and how a torch run executes: device, precision, threads and data-loading workers."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import torch

from zoo_core.errors import InvalidValue
from zoo_torch.launch import available_cpus

PRECISIONS = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


@dataclass(frozen=True)
class Runtime:
    device: torch.device
    precision: str
    threads: int
    workers: int
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1

    @property
    def autocast_dtype(self) -> torch.dtype | None:
        return None if self.precision == "fp32" else PRECISIONS[self.precision]

    def autocast(self) -> contextlib.AbstractContextManager[Any]:
        dtype = self.autocast_dtype
        if dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=dtype)

    def describe(self) -> str:
        where = f"{self.device}" + (
            f" · rank {self.rank}/{self.world_size}" if self.distributed else ""
        )
        precision = "fp32" if self.precision == "fp32" else f"{self.precision} autocast"
        return (
            f"{where} · {precision} · channels_last · {self.threads} threads · "
            f"{self.workers} workers"
        )


def cpu_has_native_bf16() -> bool:
    """Whether the CPU computes bf16 natively (AVX512-BF16 or AMX); elsewhere bf16 is emulated
    and slower than fp32 (about 10× on an AVX2-only CPU)."""
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(getattr(torch.cpu, name, lambda: False)() for name in checks)


def choose_device(requested: str, local_rank: int) -> torch.device:
    requested = requested.lower()
    if requested in ("cuda", "gpu") or (requested == "auto" and torch.cuda.is_available()):
        if not torch.cuda.is_available():
            raise InvalidValue(f"--device {requested}: torch sees no CUDA device")
        return torch.device("cuda", local_rank % torch.cuda.device_count())
    if requested in ("auto", "cpu"):
        return torch.device("cpu")
    raise InvalidValue(f"--device {requested}: the torch framework runs on auto, cpu or cuda")


def choose_precision(requested: str, device: torch.device) -> str:
    requested = requested.lower()
    if requested not in ("auto", *PRECISIONS):
        raise InvalidValue(f"--precision {requested}: expected auto, fp32, bf16 or fp16")
    if requested != "auto":
        return requested
    if device.type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    return "bf16" if cpu_has_native_bf16() else "fp32"


def choose_workers(requested: int, device: torch.device, cpus: int) -> int:
    """``-1`` is auto: no workers where they would compete with the compute threads for a few
    cores (a CPU run on ≤ 4 cores per process); otherwise a few."""
    if requested >= 0:
        return requested
    if device.type == "cuda":
        return max(0, min(8, cpus - 1))
    return 0 if cpus <= 4 else min(4, cpus // 4)


def distributed_env() -> tuple[int, int, int]:
    """``(rank, world_size, local_rank)`` as torchrun sets them; ``(0, 1, 0)`` otherwise."""
    env = os.environ
    return int(env.get("RANK", 0)), int(env.get("WORLD_SIZE", 1)), int(env.get("LOCAL_RANK", 0))


def choose_runtime(device: str, precision: str, workers: int) -> Runtime:
    """Pick the runtime for this process and set torch's thread count accordingly."""
    rank, world_size, local_rank = distributed_env()
    local_world = int(os.environ.get("LOCAL_WORLD_SIZE", 1))
    chosen = choose_device(device, local_rank)
    cpus = max(1, available_cpus() // local_world)
    loaders = choose_workers(workers, chosen, cpus)
    threads = max(1, cpus - loaders) if chosen.type == "cpu" else max(1, min(4, cpus))
    torch.set_num_threads(threads)
    if chosen.type == "cuda":
        torch.cuda.set_device(chosen)
        torch.backends.cudnn.benchmark = True
    return Runtime(
        device=chosen,
        precision=choose_precision(precision, chosen),
        threads=threads,
        workers=loaders,
        rank=rank,
        world_size=world_size,
        local_rank=local_rank,
    )


@contextlib.contextmanager
def no_grad_eval(model: torch.nn.Module) -> Iterator[None]:
    """Evaluation mode without autograd, restoring the previous mode afterwards."""
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            yield
    finally:
        model.train(was_training)
