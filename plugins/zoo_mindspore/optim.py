"""The MindSpore optimizer of a run: Adam, SGD or AdamW from ``mindspore.experimental.optim``
(torch's definitions: SGD's first step takes the gradient as momentum, AdamW decays decoupled
and bias-corrects, unlike ``nn.AdamWeightDecay``), with the core's learning rate set before
every step (:mod:`zoo_core.schedules`). Adam runs MindSpore's fused kernel, which applies
epsilon after the bias correction: parameters differ from torch's by about 1e-6 after a few
steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mindspore as ms
from mindspore import ParameterTuple
from mindspore.experimental import optim

from zoo_core.schedules import ADAM_BETAS, ADAM_EPS, OptimizerSettings

ParameterFilter = Callable[[Any], bool]


def trainable(parameter: Any) -> bool:
    """The default filter: every trainable parameter (a frozen one has ``requires_grad`` off)."""
    return bool(parameter.requires_grad)


def build(
    settings: OptimizerSettings, parameters: list[Any], keep: ParameterFilter = trainable
) -> Any:
    """The optimizer of ``settings`` over the parameters ``keep`` lets through."""
    settings.check()
    chosen = [p for p in parameters if keep(p)]
    decay = settings.weight_decay
    if settings.name == "sgd":
        return registered(
            optim.SGD(chosen, lr=settings.lr, momentum=settings.momentum, weight_decay=decay)
        )
    kind = optim.AdamW if settings.name == "adamw" else optim.Adam
    return registered(
        kind(chosen, lr=settings.lr, betas=ADAM_BETAS, eps=ADAM_EPS, weight_decay=decay)
    )


def registered(optimizer: Any) -> Any:
    """The optimizer with its learning rates registered as its parameters. They are a plain
    list otherwise, which a graph loaded from MindSpore's compile cache holds as the constant
    of the first compilation, so that setting them no longer changes anything."""
    optimizer.lrs = ParameterTuple(optimizer.lrs)
    return optimizer


def set_rate(optimizer: Any, rate: float) -> float:
    """Set every group's learning rate; return the rate the optimizer now holds (float32)."""
    for parameter in optimizer.lrs:
        parameter.set_data(ms.Tensor(rate, ms.float32))
    return float(optimizer.lrs[0].asnumpy())
