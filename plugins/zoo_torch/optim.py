"""The torch optimizer of a run: Adam, SGD or AdamW as ``torch.optim`` defines them, with the
core's learning rate set before every step (:mod:`zoo_core.schedules`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch

from zoo_core.schedules import ADAM_BETAS, ADAM_EPS, OptimizerSettings

ParameterFilter = Callable[[str, torch.nn.Parameter], bool]


def trainable(name: str, parameter: torch.nn.Parameter) -> bool:
    """The default filter: every parameter that requires a gradient (a frozen one does not)."""
    return parameter.requires_grad


def build(
    settings: OptimizerSettings,
    named_parameters: Iterable[tuple[str, torch.nn.Parameter]],
    keep: ParameterFilter = trainable,
) -> torch.optim.Optimizer:
    """The optimizer of ``settings`` over the parameters ``keep`` lets through."""
    settings.check()
    parameters = [p for name, p in named_parameters if keep(name, p)]
    decay = settings.weight_decay
    if settings.name == "sgd":
        return torch.optim.SGD(
            parameters, lr=settings.lr, momentum=settings.momentum, weight_decay=decay
        )
    kind = torch.optim.AdamW if settings.name == "adamw" else torch.optim.Adam
    return kind(parameters, lr=settings.lr, betas=ADAM_BETAS, eps=ADAM_EPS, weight_decay=decay)


def set_rate(optimizer: torch.optim.Optimizer, rate: float) -> float:
    """Set every group's learning rate; return the rate the optimizer now holds."""
    for group in optimizer.param_groups:
        group["lr"] = rate
    return float(optimizer.param_groups[0]["lr"])
