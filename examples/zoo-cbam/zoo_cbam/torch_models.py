"""CBAM-ResNet18 in PyTorch: timm's ResNet with timm's CBAM module as every block's attention."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoo_cbam.shapes import check_options, reduced_channels


def cbam_resnet18(
    make_head: Callable[[int], Any], cbam_ratio: float = 1 / 16, cbam_kernel: int = 7
) -> Any:
    """timm's ``BasicBlock`` puts ``attn_layer(channels)`` after ``conv2``/``bn2``, before the
    residual add: where SE-ResNet18 has its SE block."""
    from timm.layers.cbam import CbamModule
    from timm.models.resnet import BasicBlock, ResNet

    check_options(cbam_ratio, cbam_kernel)

    def attention(channels: int, **factory: Any) -> CbamModule:
        return CbamModule(
            channels,
            rd_channels=reduced_channels(channels, cbam_ratio),
            spatial_kernel_size=cbam_kernel,
            mlp_bias=True,
            **factory,
        )

    model = ResNet(BasicBlock, (2, 2, 2, 2), num_classes=0, block_args={"attn_layer": attention})
    model.fc = make_head(model.num_features)
    return model
