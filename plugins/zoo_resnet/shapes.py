"""Canonical names and shapes of the trainable parameters (classifier excluded), pure Python.

These are the torch ``state_dict`` names every zoo checkpoint uses; each framework's
implementation must produce exactly these (the conformance tests check it).
"""

from __future__ import annotations

Shapes = dict[str, tuple[int, ...]]
STAGES = ((64, 1), (128, 2), (256, 2), (512, 2))  # (channels, first-block stride)


def se_channels(channels: int, ratio: float, divisor: int) -> int:
    """The SE bottleneck width as timm's SEModule computes it (``make_divisible`` with
    ``round_limit=0``): ``channels * ratio`` rounded to a multiple of ``divisor``."""
    value = channels * ratio
    return max(divisor, int(value + divisor / 2) // divisor * divisor)


def resnet18(se_ratio: float | None = None, se_divisor: int = 1) -> Shapes:
    shapes: Shapes = {"conv1.weight": (64, 3, 7, 7), "bn1.weight": (64,), "bn1.bias": (64,)}
    in_channels = 64
    for stage, (channels, stride) in enumerate(STAGES, start=1):
        for block in range(2):
            prefix = f"layer{stage}.{block}"
            shapes[f"{prefix}.conv1.weight"] = (channels, in_channels, 3, 3)
            shapes[f"{prefix}.conv2.weight"] = (channels, channels, 3, 3)
            for bn in ("bn1", "bn2"):
                shapes[f"{prefix}.{bn}.weight"] = (channels,)
                shapes[f"{prefix}.{bn}.bias"] = (channels,)
            if se_ratio:
                reduced = se_channels(channels, se_ratio, se_divisor)
                shapes[f"{prefix}.se.fc1.weight"] = (reduced, channels, 1, 1)
                shapes[f"{prefix}.se.fc1.bias"] = (reduced,)
                shapes[f"{prefix}.se.fc2.weight"] = (channels, reduced, 1, 1)
                shapes[f"{prefix}.se.fc2.bias"] = (channels,)
            if block == 0 and (stride != 1 or in_channels != channels):
                shapes[f"{prefix}.downsample.0.weight"] = (channels, in_channels, 1, 1)
                shapes[f"{prefix}.downsample.1.weight"] = (channels,)
                shapes[f"{prefix}.downsample.1.bias"] = (channels,)
            in_channels = channels
    return shapes


def se_resnet18(se_ratio: float = 1 / 16, se_divisor: int = 1) -> Shapes:
    return resnet18(se_ratio=se_ratio, se_divisor=se_divisor)
