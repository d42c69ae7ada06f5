"""Canonical (torch ``state_dict``) names and numpy arrays for a MindSpore cell's parameters.

The mapping knows no architecture: a parameter's path is its name in both frameworks except for
the leaves MindSpore names differently (BatchNorm's and LayerNorm's). Convolution and dense
weights share torch's layout, ``(out, in, kh, kw)`` and ``(out, in)``, so values cross unchanged.
torch's ``num_batches_tracked`` counter (an ``int64`` scalar beside every BatchNorm's running
statistics) has no MindSpore counterpart: it is written and ignored on load.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zoo_core.rundir import WeightsError

TORCH_LEAF = {
    "gamma": "weight",
    "beta": "bias",
    "moving_mean": "running_mean",
    "moving_variance": "running_var",
}
RUNNING_MEAN = "moving_mean"
BATCHES_TRACKED = "num_batches_tracked"
SHOWN = 6  # names listed per kind of fault in an error message


def canonical_name(name: str) -> str:
    """``layer1.0.bn1.gamma`` → ``layer1.0.bn1.weight``; other names are unchanged."""
    prefix, _, leaf = name.rpartition(".")
    leaf = TORCH_LEAF.get(leaf, leaf)
    return f"{prefix}.{leaf}" if prefix else leaf


def counters(model: Any) -> list[str]:
    """The ``num_batches_tracked`` names torch has beside each BatchNorm of ``model``."""
    names = []
    for parameter in model.get_parameters():
        prefix, _, leaf = parameter.name.rpartition(".")
        if leaf == RUNNING_MEAN:
            names.append(f"{prefix}.{BATCHES_TRACKED}" if prefix else BATCHES_TRACKED)
    return names


def parameters(model: Any) -> dict[str, Any]:
    """Every parameter of ``model`` (trainable or a running statistic) by canonical name."""
    found: dict[str, Any] = {}
    for parameter in model.get_parameters():
        name = canonical_name(parameter.name)
        if name in found:
            raise WeightsError(f"two MindSpore parameters map to the canonical name {name!r}")
        found[name] = parameter
    return found


def state_dict(model: Any, batches_tracked: int = 0) -> dict[str, np.ndarray]:
    """Numpy copies of every weight and buffer under canonical names."""
    state = {name: parameter.asnumpy().copy() for name, parameter in parameters(model).items()}
    for name in counters(model):
        state[name] = np.array(batches_tracked, dtype=np.int64)
    return state


def listed(names: list[str]) -> str:
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return ", ".join(names[:SHOWN]) + more


def check_fit(expected: dict[str, tuple[int, ...]], counter_names: set[str], state: dict) -> None:
    """Raise :class:`WeightsError` naming every missing, unexpected or misshapen weight."""
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected) - counter_names)
    misshapen = [
        f"{name} {tuple(np.shape(state[name]))} (model {shape})"
        for name, shape in expected.items()
        if name in state and tuple(np.shape(state[name])) != shape
    ]
    faults = [
        f"{what}: {listed(names)}"
        for what, names in (
            ("missing", missing),
            ("unexpected", unexpected),
            ("shape mismatch", misshapen),
        )
        if names
    ]
    if faults:
        raise WeightsError("weights do not fit the model — " + "; ".join(faults))


def canonical_state(state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``state`` under canonical names: MindSpore's own BatchNorm names are accepted too."""
    renamed: dict[str, np.ndarray] = {}
    for name, value in state.items():
        canonical = canonical_name(name)
        if canonical in renamed:
            raise WeightsError(f"weights name {canonical!r} twice (once as {name!r})")
        renamed[canonical] = value
    return renamed


def load_state_dict(model: Any, state: dict[str, np.ndarray]) -> None:
    """Copy weights into ``model`` after checking that every name and shape fits; names are the
    canonical ones or MindSpore's own (``gamma``, ``beta``, ``moving_mean``…)."""
    import mindspore as ms

    state = canonical_state(state)
    targets = parameters(model)
    expected = {name: tuple(parameter.shape) for name, parameter in targets.items()}
    check_fit(expected, set(counters(model)), state)
    for name, parameter in targets.items():
        value = np.asarray(state[name])
        if not np.issubdtype(value.dtype, np.floating):
            raise WeightsError(f"weights do not fit the model — {name} has dtype {value.dtype}")
        dtype = ms.dtype_to_nptype(parameter.dtype)
        parameter.set_data(ms.Tensor(np.ascontiguousarray(value, dtype=dtype)))
