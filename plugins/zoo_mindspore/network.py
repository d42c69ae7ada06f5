"""Cells around a zoo model: the input transform, the training step, BatchNorm statistics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from mindspore import Tensor, nn, ops
from mindspore import dtype as mstype


class NormalizedInput(nn.Cell):
    """``uint8 (N, H, W, 3)`` images → normalised ``float32 (N, 3, H, W)`` → ``model``, inside
    the graph. Does not prefix the model's parameter names."""

    def __init__(self, model: nn.Cell, mean: tuple, std: tuple) -> None:
        super().__init__(auto_prefix=False)
        self.model = model
        std_array = np.asarray(std, np.float32).reshape(1, 3, 1, 1)
        self.scale = Tensor(1.0 / (255.0 * std_array))
        self.shift = Tensor(-np.asarray(mean, np.float32).reshape(1, 3, 1, 1) / std_array)

    def construct(self, images: Tensor) -> Tensor:
        x = ops.transpose(ops.cast(images, mstype.float32), (0, 3, 1, 2))
        return self.model(x * self.scale + self.shift)


@dataclass
class TrainStep:
    """``step(uint8 images, int32 labels) -> loss``: forward, cross-entropy, backward, update."""

    network: NormalizedInput
    optimizer: Any
    step: nn.TrainOneStepCell


def train_step(
    model: nn.Cell, mean: tuple, std: tuple, lr: float = 1e-3, optimizer: Any = None
) -> TrainStep:
    """``nn.WithLossCell`` + ``nn.TrainOneStepCell`` (under ``DATA_PARALLEL`` its gradient
    reducer averages the ranks' gradients), with ``optimizer`` or else ``nn.Adam(lr)``."""
    network = NormalizedInput(model, mean, std)
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    optimizer = optimizer or nn.Adam(model.trainable_params(), learning_rate=lr)
    step = nn.TrainOneStepCell(nn.WithLossCell(network, loss), optimizer)
    return TrainStep(network, optimizer, step)


def running_statistics(model: nn.Cell) -> list[Any]:
    """The BatchNorm moving means and variances of ``model``."""
    return [
        p
        for p in model.get_parameters()
        if p.name.rpartition(".")[2] in ("moving_mean", "moving_variance")
    ]
