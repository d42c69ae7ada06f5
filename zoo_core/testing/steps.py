"""One optimisation step in each built-in framework: the kit's only framework-specific code.

A step is ``step(model, inputs, labels, lr) -> (loss before, loss after)``: cross-entropy on
``inputs`` (``float32 (N, 3, H, W)``, normalised) and ``labels`` (``int64 (N,)``), one Adam update,
then the loss on the same batch again, both in training mode. A framework backend may supply
its own as a ``train_step`` attribute with that signature; it is preferred to these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TrainStep = Callable[[Any, np.ndarray, np.ndarray, float], tuple[float, float]]


class NoTrainStep(LookupError):
    """A framework for which the kit has no training step."""


def torch_step(
    model: Any, inputs: np.ndarray, labels: np.ndarray, lr: float
) -> tuple[float, float]:
    import torch
    from torch.nn.functional import cross_entropy

    device = next(model.parameters()).device
    x = torch.from_numpy(inputs).to(device)
    y = torch.from_numpy(labels).to(device)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss = cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    with torch.no_grad():
        after = cross_entropy(model(x), y)
    return loss.item(), after.item()


def mindspore_step(
    model: Any, inputs: np.ndarray, labels: np.ndarray, lr: float
) -> tuple[float, float]:
    from zoo_mindspore import environment

    environment.configure()
    import mindspore as ms
    from mindspore import nn

    with_loss = nn.WithLossCell(model, nn.CrossEntropyLoss())
    step = nn.TrainOneStepCell(with_loss, nn.Adam(model.trainable_params(), learning_rate=lr))
    step.set_train(True)
    x = ms.Tensor(inputs)
    y = ms.Tensor(labels.astype(np.int32))
    before = step(x, y)  # TrainOneStepCell returns the loss computed before its update
    after = with_loss(x, y)
    return float(before.asnumpy()), float(after.asnumpy())


BUILT_IN: dict[str, TrainStep] = {"torch": torch_step, "mindspore": mindspore_step}


def train_step_for(framework: str, backend: Any) -> TrainStep:
    """The backend's own ``train_step`` if it has one, else the kit's for a built-in framework."""
    own = getattr(backend, "train_step", None)
    if callable(own):
        return own
    if framework in BUILT_IN:
        return BUILT_IN[framework]
    raise NoTrainStep(
        f"no training step for framework {framework!r}: its backend has no "
        "train_step(model, inputs, labels, lr) -> (loss before, loss after)"
    )
