"""zoo's own run directories, and a ``.safetensors`` file inside one (that very file)."""

from __future__ import annotations

import json
from pathlib import Path

from zoo_core.rundir import CONFIG, WEIGHTS, RunDir, load_tensors
from zoo_core.sources import ReadWeights


def zoo_config(folder: Path) -> dict | None:
    """The folder's ``config.json`` when it is zoo's: an architecture, no ``pretrained_cfg``."""
    try:
        config = json.loads((folder / CONFIG).read_text())
    except (OSError, ValueError):
        return None
    if isinstance(config, dict) and "architecture" in config and "pretrained_cfg" not in config:
        return config
    return None


def weights_file(path: Path) -> Path:
    return path / WEIGHTS if path.is_dir() else path


def detect(path: Path) -> bool:
    if path.is_dir():
        return zoo_config(path) is not None
    return path.suffix == ".safetensors" and zoo_config(path.parent) is not None


def read(path: Path) -> ReadWeights:
    """The run's weights (or that one file), with its config checked; ``model.safetensors``
    must hash to the ``weights_sha256`` the config records, when it records one."""
    from zoo_core.checkpoint import verify_checksum

    folder = path if path.is_dir() else path.parent
    run = RunDir(folder)
    config = run.read_config(require_model=True)
    file = weights_file(path)
    if file == run.weights_path:
        verify_checksum(run, config)
    tensors, _ = load_tensors(file)
    return ReadWeights(tensors=tensors, file=file, config=config)
