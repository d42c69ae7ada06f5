"""ResNet18 and SE-ResNet18 as MindSpore cells whose parameter names are the canonical ones.

The structure mirrors timm's ``ResNet`` with ``BasicBlock`` (SE after ``conv2``/``bn2``, before the
residual add), so the names of :mod:`zoo_resnet.shapes` come out of the attribute paths; only
BatchNorm's parameters carry MindSpore's names (``gamma``, ``beta``, ``moving_mean``,
``moving_variance``), which the MindSpore backend maps to torch's.
Load through the registry (``zoo_core.create_model(..., framework="mindspore")``), which prepares
MindSpore's process environment before this module imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mindspore import Tensor, nn
from mindspore.common.initializer import HeNormal

from zoo_core.errors import InvalidValue
from zoo_resnet.shapes import STAGES, se_channels

BN_MOMENTUM = 0.9  # weighs the running statistics, so it equals torch's momentum 0.1
BN_EPS = 1e-5
NUM_FEATURES = 512

HeadFactory = Callable[[int], nn.Cell]
Attention = Callable[[int], nn.Cell]
"""``attention(channels)``: the cell a block applies after ``conv2`` + ``bn2``, before the add."""


def conv(in_channels: int, out_channels: int, kernel: int, stride: int = 1, bias: bool = False):
    """A convolution initialised as timm's ResNet does (Kaiming normal, fan-out, ReLU gain)."""
    padding = kernel // 2
    return nn.Conv2d(
        in_channels,
        out_channels,
        kernel,
        stride,
        pad_mode="pad" if padding else "valid",
        padding=padding,
        has_bias=bias,
        weight_init=HeNormal(mode="fan_out", nonlinearity="relu"),
    )


def batch_norm(channels: int, zero_gamma: bool = False) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(
        channels, eps=BN_EPS, momentum=BN_MOMENTUM, gamma_init="zeros" if zero_gamma else "ones"
    )


class SqueezeExcite(nn.Cell):
    """Average pool → 1×1 conv → ReLU → 1×1 conv → sigmoid → channel scale (timm SEModule)."""

    def __init__(self, channels: int, reduced: int) -> None:
        super().__init__()
        self.fc1 = conv(channels, reduced, 1, bias=True)
        self.relu = nn.ReLU()
        self.fc2 = conv(reduced, channels, 1, bias=True)
        self.gate = nn.Sigmoid()

    def construct(self, x: Tensor) -> Tensor:
        squeezed = x.mean(axis=(2, 3), keep_dims=True)
        return x * self.gate(self.fc2(self.relu(self.fc1(squeezed))))


def squeeze_excite(ratio: float, divisor: int) -> Attention:
    """SE blocks of ``ratio`` (widths rounded as :func:`zoo_resnet.shapes.se_channels`)."""

    def attention(channels: int) -> SqueezeExcite:
        return SqueezeExcite(channels, se_channels(channels, ratio, divisor))

    return attention


class BasicBlock(nn.Cell):
    """Two 3×3 conv + BN, an optional attention cell (``se``, as timm names a block's attention
    whatever its kind), and the residual connection."""

    def __init__(
        self,
        in_channels: int,
        channels: int,
        stride: int,
        attention: Attention | None,
        zero_init_last: bool,
    ) -> None:
        super().__init__()
        self.conv1 = conv(in_channels, channels, 3, stride)
        self.bn1 = batch_norm(channels)
        self.relu = nn.ReLU()
        self.conv2 = conv(channels, channels, 3)
        self.bn2 = batch_norm(channels, zero_gamma=zero_init_last)
        self.se = attention(channels) if attention is not None else None
        self.downsample = None
        if stride != 1 or in_channels != channels:
            self.downsample = nn.SequentialCell(
                [conv(in_channels, channels, 1, stride), batch_norm(channels)]
            )

    def construct(self, x: Tensor) -> Tensor:
        shortcut = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.se is not None:
            out = self.se(out)
        if self.downsample is not None:
            shortcut = self.downsample(x)
        return self.relu(out + shortcut)


class ResNet18(nn.Cell):
    """ResNet18 with an optional attention cell in every block; the classifier ``fc`` is the
    given head.

    ``attention(channels)`` builds each block's attention cell, like timm's ``attn_layer``
    (``se_ratio``/``se_divisor`` are the shorthand for SE blocks). ``drop_rate`` (dropout on the
    pooled features) and ``zero_init_last`` (a zero scale on each block's last BatchNorm) are
    timm's ResNet options of the same names and defaults.
    """

    def __init__(
        self,
        make_head: HeadFactory,
        se_ratio: float | None = None,
        se_divisor: int = 1,
        drop_rate: float = 0.0,
        zero_init_last: bool = True,
        attention: Attention | None = None,
    ) -> None:
        super().__init__()
        if not 0 <= drop_rate < 1:
            raise InvalidValue(f"drop_rate {drop_rate}: must be in [0, 1)")
        if se_ratio and attention is not None:
            raise InvalidValue("ResNet18: give se_ratio or attention, not both")
        if se_ratio:
            attention = squeeze_excite(se_ratio, se_divisor)
        self.conv1 = conv(3, 64, 7, 2)
        self.bn1 = batch_norm(64)
        self.relu = nn.ReLU()
        # Zero padding then a valid max-pool equals torch's padded max-pool on ReLU outputs (≥ 0),
        # and exports to ONNX, which MindSpore's padded MaxPool2d does not.
        self.pad = nn.Pad(((0, 0), (0, 0), (1, 1), (1, 1)))
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, pad_mode="valid")
        in_channels = 64
        for stage, (channels, stride) in enumerate(STAGES, start=1):
            blocks = [
                BasicBlock(in_channels, channels, stride, attention, zero_init_last),
                BasicBlock(channels, channels, 1, attention, zero_init_last),
            ]
            setattr(self, f"layer{stage}", nn.SequentialCell(blocks))
            in_channels = channels
        self.drop = nn.Dropout(p=drop_rate) if drop_rate > 0 else None
        self.fc = make_head(NUM_FEATURES)

    def construct(self, x: Tensor) -> Tensor:
        x = self.maxpool(self.pad(self.relu(self.bn1(self.conv1(x)))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = x.mean(axis=(2, 3))
        if self.drop is not None:
            x = self.drop(x)
        return self.fc(x)


def build(make_head: HeadFactory, name: str, **options: Any) -> ResNet18:
    try:
        return ResNet18(make_head, **options)
    except TypeError as error:
        raise InvalidValue(f"{name}: option not understood ({error})") from None


def resnet18(make_head: HeadFactory, **options: Any) -> ResNet18:
    """The study's baseline; options ``drop_rate``, ``zero_init_last``."""
    if {"se_ratio", "se_divisor"} & set(options):
        raise InvalidValue("resnet18 has no SE blocks; use se_resnet18 for se_ratio/se_divisor")
    return build(make_head, "resnet18", **options)


def se_resnet18(
    make_head: HeadFactory, se_ratio: float = 1 / 16, se_divisor: int = 1, **options: Any
) -> ResNet18:
    """ResNet18 with an SE block (reduction ``1 / se_ratio``) in every BasicBlock."""
    if not 0 < se_ratio <= 1 or se_divisor < 1:
        raise InvalidValue(
            f"se_resnet18: se_ratio must be in (0, 1] and se_divisor ≥ 1, "
            f"got se_ratio={se_ratio}, se_divisor={se_divisor}"
        )
    return build(make_head, "se_resnet18", se_ratio=se_ratio, se_divisor=int(se_divisor), **options)
