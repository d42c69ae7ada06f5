"""CBAM-ResNet18 in PyTorch: zoo_resnet's timm ResNet with timm's CBAM as every block's attention.

zoo imports this module only when a torch model is built, so importing timm here is fine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from timm.layers.cbam import CbamModule
from torch import nn
from zoo_resnet.torch_models import build_resnet

from zoo_cbam.shapes import check_options, reduced_channels


def cbam_resnet18(
    make_head: Callable[[int], nn.Module], cbam_ratio: float = 1 / 16, cbam_kernel: int = 7
) -> nn.Module:
    """timm's ``BasicBlock`` applies ``attn_layer(channels)`` after ``conv2`` + ``bn2``, before
    the residual add: where SE-ResNet18 has its SE block."""
    check_options(cbam_ratio, cbam_kernel)

    def attention(channels: int, **factory: Any) -> CbamModule:
        return CbamModule(
            channels,
            rd_channels=reduced_channels(channels, cbam_ratio),
            spatial_kernel_size=cbam_kernel,
            mlp_bias=True,
            **factory,
        )

    return build_resnet(make_head, {"attn_layer": attention}, {})
