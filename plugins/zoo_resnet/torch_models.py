"""ResNet18 and SE-ResNet18 in PyTorch, built on timm's ResNet and BasicBlock.

timm's BasicBlock applies its ``attn_layer`` after ``conv2`` + ``bn2`` and before the residual
add, which is exactly where the study puts the SE block; its SEModule squeezes by global average
pooling and excites with FC (1×1 conv) → ReLU → FC → sigmoid. timm's own ``seresnet18`` rounds the
SE width to a multiple of 8; here ratio and divisor are options, defaulting to r = 16 exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import torch.nn as nn

from zoo_core.errors import InvalidValue

LAYERS = (2, 2, 2, 2)
NUM_FEATURES = 512


def build_resnet(
    make_head: Callable[[int], nn.Module], block_args: dict[str, Any], options: dict[str, Any]
) -> nn.Module:
    """A timm ResNet of BasicBlocks with ``make_head(512)`` installed as ``fc``.

    ``options`` are passed to timm's ``ResNet`` (e.g. ``drop_rate``, ``zero_init_last``).
    """
    from timm.models.resnet import BasicBlock, ResNet

    try:
        model = ResNet(BasicBlock, list(LAYERS), block_args=block_args, **options)
    except TypeError as error:
        raise InvalidValue(f"resnet option not understood: {error}") from None
    model.fc = make_head(NUM_FEATURES)
    return model


def resnet18(make_head: Callable[[int], nn.Module], **options: Any) -> nn.Module:
    """ResNet18 (He et al. 2016) with the classifier ``make_head`` builds."""
    return build_resnet(make_head, {}, options)


def se_resnet18(
    make_head: Callable[[int], nn.Module],
    se_ratio: float = 1 / 16,
    se_divisor: int = 1,
    **options: Any,
) -> nn.Module:
    """ResNet18 with a Squeeze-and-Excitation block in every BasicBlock (Hu et al. 2018)."""
    from timm.layers import SEModule

    if not 0 < se_ratio <= 1 or se_divisor < 1:
        raise InvalidValue(
            f"se_resnet18: se_ratio must be in (0, 1] and se_divisor ≥ 1, "
            f"got se_ratio={se_ratio}, se_divisor={se_divisor}"
        )
    attention = partial(SEModule, rd_ratio=se_ratio, rd_divisor=int(se_divisor))
    return build_resnet(make_head, {"attn_layer": attention}, options)
