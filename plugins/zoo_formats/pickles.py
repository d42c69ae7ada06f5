"""Reading pickled PyTorch checkpoints (``.pth``, ``.pt``, ``.bin``) without running their code.

Only ``torch.load(weights_only=True)`` opens them: its unpickler builds tensors, containers and
plain values, and refuses every other global, so a checkpoint cannot run code on load.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import numpy as np

from zoo_core.rundir import WeightsError

SUFFIXES = (".pth", ".pt", ".bin")


def is_pickle(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SUFFIXES


def load(path: Path) -> Any:
    """The checkpoint's object, tensors on the CPU; refused with one clear line."""
    stat = path.stat()
    return cached_load(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=2)
def cached_load(path: str, mtime_ns: int, size: int) -> Any:
    try:
        import torch
    except ImportError:
        raise WeightsError(
            f"{path}: reading a pickled PyTorch checkpoint safely needs torch "
            "(torch.load(weights_only=True)): pip install torch"
        ) from None
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # noqa: BLE001 - torch raises many types for a refused pickle
        reason = refusal_reason(error)
        raise WeightsError(
            f"{path}: refused: not a plain tensor checkpoint that torch.load(weights_only=True) "
            f"can read without running code ({reason})"
        ) from None


def refusal_reason(error: Exception) -> str:
    """The line of torch's message that says what was refused (not its advice to turn the
    safety off)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    for line in lines:
        if "nsupported" in line or "WeightsUnpickler error" in line:
            return line.removeprefix("WeightsUnpickler error: ")
    return lines[-1] if lines else type(error).__name__


def tensor_dict(obj: Any) -> dict[str, Any] | None:
    """``obj`` when it is a non-empty ``{name: tensor}`` mapping, else ``None``."""
    import torch

    if isinstance(obj, dict) and obj and all(isinstance(v, torch.Tensor) for v in obj.values()):
        return obj
    return None


def state_dict(path: Path, obj: Any) -> dict[str, np.ndarray]:
    """``obj`` as numpy arrays, or a clear error when it is not ``{name: tensor}``."""
    tensors = tensor_dict(obj)
    if tensors is None:
        raise WeightsError(f"{path}: holds no {{name: tensor}} state dict")
    return to_numpy(tensors)


def to_numpy(tensors: dict[str, Any]) -> dict[str, np.ndarray]:
    """CPU numpy copies (bfloat16/half are widened to float32)."""
    import torch

    arrays = {}
    for name, tensor in tensors.items():
        value = tensor.detach().cpu()
        if value.dtype in (torch.bfloat16, torch.float16):
            value = value.float()
        arrays[name] = value.numpy().copy()
    return arrays
