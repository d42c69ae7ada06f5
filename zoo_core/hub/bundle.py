"""The files a run becomes on the Hub, staged in a folder before the upload.

::

    model.safetensors     the run's best weights, byte for byte
    config.json           the run's config + weights_sha256 and Hub fields, local paths removed
    README.md             the model card
    curves.png, confusion_matrix.png   when the run has them
    model.onnx, …         the exports ``zoo export`` recorded, when made from these weights

Staging is deterministic: the same run staged twice gives the same bytes.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

from zoo_core import __version__
from zoo_core.errors import InvalidValue
from zoo_core.hub.card import render_card
from zoo_core.rundir import (
    CONFIG,
    CONFUSION,
    CURVES,
    WEIGHTS,
    RunDir,
    WeightsError,
    atomic_write_bytes,
    atomic_write_json,
    load_tensors,
    sha256_of,
)

README = "README.md"
IMAGES = (CURVES, CONFUSION)
REQUIRED = ("architecture", "num_classes", "label_names", "input_size", "mean", "std", "framework")
LOCAL_PATHS = {"training": ("data", "out"), "dataset": ("root", "cache", "path")}
"""Fields holding paths on the machine that trained the run: meaningless anywhere else."""


def hub_config(config: dict[str, Any], weights_sha256: str, repo_id: str) -> dict[str, Any]:
    """The run's ``config.json`` as published: checksum and Hub fields added, local paths
    cleared."""
    published = copy.deepcopy(config)
    for section, keys in LOCAL_PATHS.items():
        part = published.get(section)
        if isinstance(part, dict):
            for key in keys:
                if part.get(key) is not None:
                    part[key] = None
    published["weights_file"] = WEIGHTS
    published["weights_format"] = "safetensors; canonical (PyTorch state_dict) names"
    published["weights_sha256"] = weights_sha256
    published["library_name"] = "zoo"
    published["hub"] = {"repo_id": repo_id, "pushed_with": f"zoo {__version__}"}
    return published


def check_run(run: RunDir) -> dict[str, Any]:
    """The run's config, after checking it has what a published model needs."""
    config = run.read_config(require_model=True)
    missing = [key for key in REQUIRED if key not in config]
    if missing:
        raise InvalidValue(f"{run.path / CONFIG}: missing field(s) {', '.join(missing)}")
    tensors, _ = load_tensors(run.weights_path)
    if not tensors:
        raise WeightsError(f"{run.weights_path}: holds no tensors")
    return config


def stage(run_dir: Path, target: Path, repo_id: str, license_id: str) -> list[str]:
    """Write the Hub files of the run in ``run_dir`` into ``target``; return their names."""
    run = RunDir(run_dir)
    config = check_run(run)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(run.weights_path, target / WEIGHTS)
    published = hub_config(config, sha256_of(target / WEIGHTS), repo_id)
    images = {name for name in IMAGES if (run.path / name).is_file()}
    exports = current_exports(run, published)
    for name in sorted(images | set(exports)):
        shutil.copyfile(run.path / name, target / name)
    card = render_card(published, repo_id, license_id, images)
    atomic_write_json(target / CONFIG, published)
    atomic_write_bytes(target / README, card.encode())
    return sorted([WEIGHTS, CONFIG, README, *images, *exports])


def current_exports(run: RunDir, published: dict[str, Any]) -> dict[str, Any]:
    """The run's exports (``zoo export``) still made from these weights; recorded in
    ``published``, staged beside the weights."""
    exports = {
        name: record
        for name, record in (published.get("exports") or {}).items()
        if (run.path / name).is_file()
        and record.get("weights_sha256") == published["weights_sha256"]
    }
    published["exports"] = exports
    if not exports:
        del published["exports"]
    return exports
