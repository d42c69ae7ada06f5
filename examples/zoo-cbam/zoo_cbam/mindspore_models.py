"""CBAM-ResNet18 in MindSpore: zoo_resnet's ResNet18 with a CBAM cell as every block's attention.

The cells mirror timm's ``CbamModule`` attribute by attribute, so the parameter names are the
canonical ones of :mod:`zoo_cbam.shapes` (the MindSpore backend maps BatchNorm's names).
"""

from __future__ import annotations

from collections.abc import Callable

from mindspore import Tensor, nn, ops
from zoo_resnet.mindspore_models import ResNet18, batch_norm, conv

from zoo_cbam.shapes import check_options, reduced_channels


class ChannelAttention(nn.Cell):
    """Average- and max-pooled descriptors through a shared MLP, summed, sigmoid, channel scale."""

    def __init__(self, channels: int, reduced: int) -> None:
        super().__init__()
        self.fc1 = conv(channels, reduced, 1, bias=True)
        self.act = nn.ReLU()
        self.fc2 = conv(reduced, channels, 1, bias=True)
        self.gate = nn.Sigmoid()

    def construct(self, x: Tensor) -> Tensor:
        average = self.fc2(self.act(self.fc1(x.mean(axis=(2, 3), keep_dims=True))))
        peak = self.fc2(self.act(self.fc1(ops.amax(x, axis=(2, 3), keepdims=True))))
        return x * self.gate(average + peak)


class ConvNorm(nn.Cell):
    """Convolution without bias, then BatchNorm (timm's ``ConvNormAct`` without activation)."""

    def __init__(self, in_channels: int, out_channels: int, kernel: int) -> None:
        super().__init__()
        self.conv = conv(in_channels, out_channels, kernel)
        self.bn = batch_norm(out_channels)

    def construct(self, x: Tensor) -> Tensor:
        return self.bn(self.conv(x))


class SpatialAttention(nn.Cell):
    """Channel-wise mean and max (in that order), a k×k conv + BN, sigmoid, spatial scale."""

    def __init__(self, kernel: int) -> None:
        super().__init__()
        self.conv = ConvNorm(2, 1, kernel)
        self.gate = nn.Sigmoid()

    def construct(self, x: Tensor) -> Tensor:
        pooled = ops.cat(
            (x.mean(axis=1, keep_dims=True), ops.amax(x, axis=1, keepdims=True)), axis=1
        )
        return x * self.gate(self.conv(pooled))


class CBAM(nn.Cell):
    """Convolutional Block Attention Module (Woo et al. 2018): channel, then spatial attention."""

    def __init__(self, channels: int, ratio: float, kernel: int) -> None:
        super().__init__()
        self.channel = ChannelAttention(channels, reduced_channels(channels, ratio))
        self.spatial = SpatialAttention(kernel)

    def construct(self, x: Tensor) -> Tensor:
        return self.spatial(self.channel(x))


def cbam_resnet18(
    make_head: Callable[[int], nn.Cell], cbam_ratio: float = 1 / 16, cbam_kernel: int = 7
) -> ResNet18:
    check_options(cbam_ratio, cbam_kernel)

    def attention(channels: int) -> CBAM:
        return CBAM(channels, cbam_ratio, cbam_kernel)

    return ResNet18(make_head, attention=attention)
