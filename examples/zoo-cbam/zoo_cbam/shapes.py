"""Canonical names and shapes of CBAM-ResNet18's trainable parameters, without the classifier.

Pure Python: ``zoo info`` counts parameters with it, and the conformance kit checks that both
frameworks build exactly these. The names are those of the torch ``state_dict``; timm calls a
block's attention module ``se`` whatever its kind.
"""

from __future__ import annotations

from zoo_resnet.shapes import STAGES, Shapes, resnet18


def reduced_channels(channels: int, ratio: float) -> int:
    """Width of the channel-attention MLP: ``channels * ratio``, rounded, at least 1."""
    return max(1, int(channels * ratio + 0.5))


def check_options(cbam_ratio: float, cbam_kernel: int) -> None:
    if not 0 < cbam_ratio <= 1:
        raise ValueError(f"cbam_ratio {cbam_ratio}: must be in (0, 1]")
    if cbam_kernel < 1 or cbam_kernel % 2 == 0:
        raise ValueError(f"cbam_kernel {cbam_kernel}: must be a positive odd number")


def cbam(channels: int, ratio: float, kernel: int) -> Shapes:
    """One CBAM block: the shared MLP (1×1 convs) and the spatial conv + BatchNorm."""
    reduced = reduced_channels(channels, ratio)
    return {
        "channel.fc1.weight": (reduced, channels, 1, 1),
        "channel.fc1.bias": (reduced,),
        "channel.fc2.weight": (channels, reduced, 1, 1),
        "channel.fc2.bias": (channels,),
        "spatial.conv.conv.weight": (1, 2, kernel, kernel),
        "spatial.conv.bn.weight": (1,),
        "spatial.conv.bn.bias": (1,),
    }


def cbam_resnet18(cbam_ratio: float = 1 / 16, cbam_kernel: int = 7) -> Shapes:
    check_options(cbam_ratio, cbam_kernel)
    shapes = resnet18()
    for stage, (channels, _) in enumerate(STAGES, start=1):
        block_shapes = cbam(channels, cbam_ratio, cbam_kernel)
        for block in range(2):
            prefix = f"layer{stage}.{block}.se"
            shapes.update({f"{prefix}.{name}": shape for name, shape in block_shapes.items()})
    return shapes
