"""zoo's own weight format, part of the core (it needs no plugin): a run directory, or one
``.safetensors`` file inside one (that very file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from zoo_core.rundir import CONFIG, WEIGHTS, RunDir, load_tensors
from zoo_core.specs import WeightFormatSpec

if TYPE_CHECKING:
    from zoo_core.sources import ReadWeights

SPEC = WeightFormatSpec(
    name="zoo",
    description="a zoo run directory (config.json + model.safetensors), or one .safetensors "
    "file inside one",
    detect="zoo_core.runformat:detect",
    read="zoo_core.runformat:read",
    suffixes=(".safetensors",),
    distribution="zoo",
)


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
    if not path.is_dir() and path.suffix != ".safetensors":
        return False
    folder = path if path.is_dir() else path.parent
    return zoo_config(folder) is not None or broken_run(folder)


def broken_run(folder: Path) -> bool:
    """A config.json that is not a JSON object beside model.safetensors: a damaged zoo run, read
    as one so that the schema names what is wrong (no other format claims it)."""
    try:
        config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        return (folder / WEIGHTS).is_file()
    return not isinstance(config, dict) and (folder / WEIGHTS).is_file()


def read(path: Path) -> ReadWeights:
    """The run's weights (or that one file), with its config checked; ``model.safetensors``
    must hash to the ``weights_sha256`` the config records, when it records one."""
    from zoo_core.checkpoint import verify_checksum
    from zoo_core.sources import ReadWeights

    folder = path if path.is_dir() else path.parent
    run = RunDir(folder)
    config = run.read_config(require_model=True)
    from zoo_core.checkpoint import config_architecture
    from zoo_core.registry import get_registry

    config_architecture(config, get_registry(), folder)  # a missing plugin is named first
    file = weights_file(path)
    if file == run.weights_path:
        verify_checksum(run, config)
    tensors, _ = load_tensors(file)
    return ReadWeights(tensors=tensors, file=file, config=config)
