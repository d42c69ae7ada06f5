"""Weights in and out of a torch model under canonical names, as numpy arrays."""

from __future__ import annotations

import numpy as np
import torch

from zoo_core.rundir import WeightsError

OPTIONAL_SUFFIXES = (".num_batches_tracked",)
"""Buffers a checkpoint may lack (other frameworks do not count BatchNorm steps); they only
matter for BatchNorm with ``momentum=None``."""

SHOWN = 8


def to_numpy(model: torch.nn.Module) -> dict[str, np.ndarray]:
    """Every parameter and buffer of ``model`` (its ``state_dict``), on the CPU."""
    return {
        name: tensor.detach().cpu().numpy().copy() for name, tensor in model.state_dict().items()
    }


def listed(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN])
    return f"{shown}, … ({len(names)} in all)" if len(names) > SHOWN else shown


def fits(array: np.ndarray, tensor: torch.Tensor) -> bool:
    """Same shape; a one-element array also fits a scalar (safetensors writers, and numpy's
    ``ascontiguousarray``, store 0-d arrays as shape ``(1,)``)."""
    shape = tuple(array.shape)
    return shape == tuple(tensor.shape) or (tensor.dim() == 0 and shape == (1,))


def mismatch_report(model: torch.nn.Module, state: dict[str, np.ndarray]) -> list[str]:
    """What does not fit: missing, unexpected and mis-shaped names, one line each."""
    expected = model.state_dict()
    missing = [n for n in expected if n not in state and not n.endswith(OPTIONAL_SUFFIXES)]
    unexpected = [n for n in state if n not in expected]
    misshaped = [
        f"{name} {tuple(state[name].shape)} in the weights vs {tuple(tensor.shape)} in the model"
        for name, tensor in expected.items()
        if name in state and not fits(state[name], tensor)
    ]
    problems = []
    if missing:
        problems.append(f"missing {listed(missing)}")
    if unexpected:
        problems.append(f"unexpected {listed(unexpected)}")
    if misshaped:
        problems.append(f"shape mismatch {listed(misshaped)}")
    return problems


def load_numpy(model: torch.nn.Module, state: dict[str, np.ndarray]) -> None:
    """Load canonical weights strictly; any mismatch raises :class:`WeightsError` naming it."""
    problems = mismatch_report(model, state)
    if problems:
        raise WeightsError(f"weights do not fit {type(model).__name__}: " + "; ".join(problems))
    expected = model.state_dict()
    tensors = {}
    for name, array in state.items():
        if array.dtype.kind not in "fiub":
            raise WeightsError(f"weights: {name} has non-numeric dtype {array.dtype}")
        target = expected[name]
        tensor = torch.from_numpy(np.ascontiguousarray(array)).reshape(target.shape)
        tensors[name] = tensor.to(target.dtype)
    model.load_state_dict(tensors, strict=False)
