"""Folders and Hub repositories written by timm (``timm.models.save_for_hf`` /
``push_to_hf_hub``): ``config.json`` with ``architecture``, ``num_classes``, ``label_names`` and
``pretrained_cfg`` (input size, mean, std), and ``model.safetensors`` or ``pytorch_model.bin``.

timm's ResNet names its tensors as zoo's models do (zoo builds on timm), so they cross unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from zoo_core.rundir import load_tensors
from zoo_core.sources import ReadWeights
from zoo_formats import pickles

CONFIG = "config.json"
WEIGHTS = ("model.safetensors", "pytorch_model.bin")
ARCHITECTURES: dict[str, tuple[str, dict[str, Any]]] = {
    "resnet18": ("resnet18", {}),
    "seresnet18": ("se_resnet18", {"se_ratio": 1 / 16, "se_divisor": 8}),
}
"""timm's model names → zoo's architecture and options (timm rounds SE widths to multiples of 8)."""


def timm_config(folder: Path) -> dict[str, Any] | None:
    try:
        config = json.loads((folder / CONFIG).read_text())
    except (OSError, ValueError):
        return None
    if isinstance(config, dict) and "architecture" in config and "pretrained_cfg" in config:
        return config
    return None


def weights_in(folder: Path) -> Path | None:
    return next((folder / name for name in WEIGHTS if (folder / name).is_file()), None)


def detect(path: Path) -> bool:
    folder = path if path.is_dir() else path.parent
    if not path.is_dir() and path.name not in WEIGHTS:
        return False
    return timm_config(folder) is not None and weights_in(folder) is not None


def read(path: Path) -> ReadWeights:
    folder = path if path.is_dir() else path.parent
    config = timm_config(folder) or {}
    file = path if not path.is_dir() else weights_in(folder)
    assert file is not None  # detect() checked
    if file.suffix == ".safetensors":
        tensors = load_tensors(file)[0]
    else:
        tensors = pickles.state_dict(file, pickles.load(file))
    pretrained = config.get("pretrained_cfg") or {}
    timm_name = str(config["architecture"])
    name, options = ARCHITECTURES.get(timm_name, (timm_name, {}))
    labels = config.get("label_names") or pretrained.get("label_names")
    size = pretrained.get("input_size") or config.get("input_size")
    mean, std = pretrained.get("mean"), pretrained.get("std")
    return ReadWeights(
        tensors=tensors,
        file=file,
        label_names=tuple(labels) if labels else None,
        num_classes=config.get("num_classes"),
        input_size=tuple(size) if size else None,
        mean=tuple(mean) if mean else None,
        std=tuple(std) if std else None,
        architecture=name,
        architecture_options=options,
        origin={"timm_architecture": timm_name},
    )
