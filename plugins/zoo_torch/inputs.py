"""From the data contract's ``uint8`` NHWC images to the model's normalized float input."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from zoo_core.errors import InvalidValue


def normalizer(
    mean: Sequence[float], std: Sequence[float], device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """``(shift, scale)`` such that ``(uint8 - shift) * scale`` is ``(x/255 - mean) / std``."""
    shift = torch.tensor([255.0 * m for m in mean], device=device).view(1, 3, 1, 1)
    scale = torch.tensor([1.0 / (255.0 * s) for s in std], device=device).view(1, 3, 1, 1)
    return shift, scale


def to_input(
    images: torch.Tensor | np.ndarray,
    norm: tuple[torch.Tensor, torch.Tensor],
    device: torch.device,
) -> torch.Tensor:
    """``uint8 (N, H, W, 3)`` → normalized ``float32 (N, 3, H, W)`` in channels_last layout.

    Permuting NHWC to NCHW gives channels_last strides for free; the arithmetic keeps them.
    """
    if isinstance(images, np.ndarray):
        if images.dtype != np.uint8 or images.ndim != 4 or images.shape[-1] != 3:
            raise InvalidValue(
                f"expected uint8 images of shape (N, H, W, 3), got {images.dtype} {images.shape}"
            )
        images = torch.from_numpy(np.ascontiguousarray(images))
    pixels = images.to(device, non_blocking=True).permute(0, 3, 1, 2).float()
    shift, scale = norm
    return (pixels - shift) * scale
