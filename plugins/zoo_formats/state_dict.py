"""A plain PyTorch ``state_dict`` (torchvision's ``resnet18().state_dict()`` and the like) saved
with ``torch.save`` or as a bare ``.safetensors`` file. torchvision's and timm's ResNet tensor
names are zoo's canonical names, so they cross unchanged."""

from __future__ import annotations

from pathlib import Path

from zoo_core import runformat
from zoo_core.rundir import load_tensors
from zoo_core.sources import ReadWeights
from zoo_formats import pickles, timm_hub


def detect(path: Path) -> bool:
    if path.is_file() and path.suffix == ".safetensors":
        return not (runformat.detect(path) or timm_hub.detect(path))
    if not pickles.is_pickle(path) or timm_hub.detect(path):
        return False
    return pickles.tensor_dict(pickles.load(path)) is not None


def read(path: Path) -> ReadWeights:
    if path.suffix == ".safetensors":
        tensors = load_tensors(path)[0]
    else:
        tensors = pickles.state_dict(path, pickles.load(path))
    return ReadWeights(tensors=tensors, file=path)
