"""The runner's rules without training: each experiment's zoo train command states every setting,
a run directory trained with other settings is refused by name, and one sweep holds a folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zoo_core.recipes import RecipeError, load_plan, make_plan
from zoo_core.recipes.runner import Status, child_environment, locked, status, train_arguments
from zoo_core.registry import get_registry

RECIPE = """\
[recipe]
name = "runner"
seeds = [3]

[dataset]
name = "hagrid-synth"
mode = "full_frame"
per_class = 0.25

[train]
epochs = 2
batch_size = 8
lr = 2e-4
image_size = 40
head_dropout = 0.1
precision = "fp32"
ms_mode = "pynative"

[[sweep]]
architecture = "se_resnet18"
head = [512, 256]
framework = "mindspore"
"""


@pytest.fixture
def plan(tmp_path: Path):
    path = tmp_path / "runner.toml"
    path.write_text(RECIPE)
    return make_plan(path, get_registry())


def test_the_train_command_states_every_setting_of_the_recipe(plan, tmp_path: Path) -> None:
    (experiment,) = plan.experiments
    arguments = train_arguments(plan, experiment, tmp_path / "run", resume=True)
    assert arguments[1:5] == ["-m", "zoo_core", "train", "se_resnet18"]
    assert arguments[-1] == "--resume"
    options = dict(zip(arguments[5:-1:2], arguments[6:-1:2], strict=True))
    assert options == {
        "--framework": "mindspore", "--head": "512,256", "--head-dropout": "0.1",
        "--dataset": "hagrid-synth", "--mode": "full_frame", "--epochs": "2", "--batch-size": "8",
        "--lr": "0.0002", "--image-size": "40", "--seed": "3", "--out": str(tmp_path / "run"),
        "--device": "auto", "--precision": "fp32", "--ms-mode": "pynative", "--per-class": "0.25",
        "--optimizer": "adam", "--momentum": "0.9", "--weight-decay": "0.0",
        "--schedule": "constant", "--warmup-steps": "0", "--warmup-factor": "0.001",
    }  # fmt: skip


def test_a_run_trained_with_other_settings_is_refused_by_name(plan, tmp_path: Path) -> None:
    (experiment,) = plan.experiments
    run = tmp_path / "run"
    run.mkdir()
    assert status(plan, experiment, run) is Status.NEW
    training = {
        "architecture": "se_resnet18", "framework": "mindspore", "head": [512, 256],
        "head_kind": "mlp", "head_dropout": 0.1, "dataset": "hagrid-synth", "data": None,
        "mode": "full_frame", "per_class": 0.25, "epochs": 2, "batch_size": 8, "lr": 2e-4,
        "image_size": 40, "seed": 3,
    }  # fmt: skip
    (run / "config.json").write_text(json.dumps({"training": training}))
    assert status(plan, experiment, run) is Status.PARTIAL
    (run / "config.json").write_text(json.dumps({"training": {**training, "image_size": 64}}))
    with pytest.raises(RecipeError, match=r"was trained with image_size = 64, but the recipe"):
        status(plan, experiment, run)


def test_one_sweep_at_a_time_holds_an_output_folder(tmp_path: Path) -> None:
    with locked(tmp_path):
        with pytest.raises(RecipeError, match="is in use by another 'zoo run'"):
            with locked(tmp_path, wait_s=0.2):
                pass
    with locked(tmp_path, wait_s=0.2):
        pass


def test_zoo_results_needs_a_folder_written_by_zoo_run(tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match="no plan.json — not a folder written by 'zoo run'"):
        load_plan(tmp_path)
    (tmp_path / "plan.json").write_text("{")
    with pytest.raises(RecipeError, match="malformed JSON"):
        load_plan(tmp_path)


def test_trainers_get_passive_openmp_unless_the_user_chose(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    assert child_environment()["OMP_WAIT_POLICY"] == "PASSIVE"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    environment = child_environment()
    assert environment["OMP_WAIT_POLICY"] == "ACTIVE" and environment["PYTHONUNBUFFERED"] == "1"
