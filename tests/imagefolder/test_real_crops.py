"""The 190 real HaGRID crops of the shared sample, read in place as an image folder (19 class
folders of 10): one tiny epoch in each framework through the installed ``zoo``, then each run
evaluated in the other framework from its config.json alone (no --data)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from imagefolder_support import run_zoo

FRAMEWORKS = ("torch", "mindspore")
TINY = ("--epochs", "1", "--image-size", "32", "--batch-size", "16", "--workers", "0")


@pytest.fixture(scope="module")
def runs(hagrid_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    for module in ("torch", "timm", "mindspore"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed")
    folder = tmp_path_factory.mktemp("crops-runs")
    for framework in FRAMEWORKS:
        data = str(hagrid_sample / "crops")
        out = f"runs/{framework}"
        run_zoo(
            "train", "resnet18", "-f", framework, "--data", data, *TINY, "--out", out, cwd=folder
        )
    return folder / "runs"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_training_reads_the_crops_as_19_classes_named_after_the_folders(
    runs: Path, framework: str, hagrid_sample: Path
) -> None:
    config = json.loads((runs / framework / "config.json").read_text())
    folders = sorted(p.name for p in (hagrid_sample / "crops").iterdir() if p.is_dir())
    assert config["label_names"] == folders and len(folders) == 19
    assert config["training"]["dataset"] == "imagefolder"
    assert config["training"]["data"] == str(hagrid_sample / "crops")
    assert config["training"]["mode"] == "full_frame"
    dataset = config["dataset"]
    assert dataset["samples"] == {"train": 152, "val": 38} and dataset["problems"] == []
    assert (runs / framework / "model.safetensors").is_file()


@pytest.mark.parametrize(("trained", "evaluated"), [FRAMEWORKS, FRAMEWORKS[::-1]])
def test_each_run_evaluates_in_the_other_framework_from_its_config(
    runs: Path, trained: str, evaluated: str
) -> None:
    done = run_zoo("eval", str(runs / trained), "--framework", evaluated, "--json", cwd=runs)
    metrics = json.loads(done.stdout)
    config = json.loads((runs / trained / "config.json").read_text())
    assert metrics["framework"] == evaluated and metrics["samples"] == 38
    assert metrics["dataset"]["dataset"] == "imagefolder"
    assert list(metrics["per_class"]) == config["label_names"]
    assert metrics["f1"] == pytest.approx(config["results"]["f1"], abs=0.06)
