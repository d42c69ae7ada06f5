"""Weights that do not fit: clear WeightsErrors naming the file or the offending names."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from zoo_core import checkpoint
from zoo_core.registry import get_registry
from zoo_core.rundir import WEIGHTS, RunDir, WeightsError
from zoo_core.specs import HeadConfig

from .conftest import REPO, zoo_command, zoo_env

CLASSES = 5


def write_run(path: Path, hidden: tuple[int, ...] = (), saved_hidden: tuple[int, ...] = ()) -> Path:
    """A run directory whose config says ``hidden`` and whose weights are of ``saved_hidden``."""
    registry = get_registry()
    model = registry.build("resnet18", "torch", HeadConfig(saved_hidden), CLASSES)
    run = RunDir(path)
    run.save_weights(registry.backend("torch").state_dict(model), {"epoch": "0"})
    arch = registry.architecture("resnet18")
    run.write_config(
        {
            "architecture": "resnet18",
            "architecture_options": {},
            "head": list(hidden),
            "head_kind": "mlp",
            "head_dropout": 0.0,
            "num_classes": CLASSES,
            "label_names": [f"class{i}" for i in range(CLASSES)],
            "input_size": [3, 32, 32],
            "mean": list(arch.mean),
            "std": list(arch.std),
            "framework": "torch",
        }
    )
    return path


def test_matching_weights_load(tmp_path: Path) -> None:
    loaded = checkpoint.load(str(write_run(tmp_path / "run")), "torch")
    assert isinstance(loaded.model, torch.nn.Module)


def test_truncated_weights_name_the_file(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run")
    data = (run / WEIGHTS).read_bytes()
    (run / WEIGHTS).write_bytes(data[: len(data) // 2])
    with pytest.raises(WeightsError, match=str(run / WEIGHTS)):
        checkpoint.load(str(run), "torch")


def test_weights_of_another_head_name_the_parameters(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", hidden=(), saved_hidden=(64,))
    with pytest.raises(WeightsError) as error:
        checkpoint.load(str(run), "torch")
    message = str(error.value)
    assert "missing fc.weight, fc.bias" in message
    unexpected = message.split("unexpected ")[1]
    assert {"fc.hidden.0.weight", "fc.out.bias"} <= set(unexpected.split(", "))


def test_mis_shaped_and_missing_weights(tmp_path: Path) -> None:
    registry = get_registry()
    backend = registry.backend("torch")
    model = registry.build("resnet18", "torch", HeadConfig(()), CLASSES)
    state = backend.state_dict(model)
    state["fc.weight"] = np.zeros((CLASSES + 1, 512), np.float32)
    del state["layer1.0.conv1.weight"]
    with pytest.raises(WeightsError) as error:
        backend.load_state_dict(model, state)
    message = str(error.value)
    assert "missing layer1.0.conv1.weight" in message
    assert f"fc.weight (6, 512) in the weights vs ({CLASSES}, 512) in the model" in message


def test_bad_weights_are_one_error_line_on_the_command_line(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", hidden=(), saved_hidden=(64,))
    image = tmp_path / "hand.png"
    Image.fromarray(np.zeros((40, 40, 3), np.uint8)).save(image)
    done = subprocess.run(
        zoo_command("predict", str(run), str(image)),
        env=zoo_env(),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("zoo: error: ") and "Traceback" not in done.stderr
    assert "unexpected " in done.stderr and "fc.hidden.0.weight" in done.stderr
    assert json.loads((run / "config.json").read_text())["head"] == []
