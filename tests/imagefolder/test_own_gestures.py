"""README "Your own gestures": a model trained on the 19 HaGRID gestures, fine-tuned in MindSpore
onto a folder of three gestures of one's own (``--init RUN --data my_gestures/``), then
evaluated in torch from its config.json alone."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from imagefolder_support import copy_crops, run_zoo

TINY = ("--epochs", "1", "--image-size", "32", "--batch-size", "16", "--workers", "0")
MINE = ("like", "palm", "peace")


def test_a_hagrid_model_fine_tunes_onto_new_gesture_classes(
    hagrid_sample: Path, tmp_path: Path
) -> None:
    for module in ("torch", "timm", "mindspore"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed")
    crops = str(hagrid_sample / "crops")
    run_zoo("train", "se_resnet18", "--data", crops, *TINY, "--out", "runs/hagrid", cwd=tmp_path)
    copy_crops(hagrid_sample, tmp_path / "my_gestures", MINE, 10)
    run_zoo("train", "se_resnet18", "--framework", "mindspore", "--init", "runs/hagrid",
            "--data", "my_gestures/", *TINY, "--out", "runs/mine", cwd=tmp_path)  # fmt: skip
    config = json.loads((tmp_path / "runs" / "mine" / "config.json").read_text())
    assert config["label_names"] == list(MINE) and config["framework"] == "mindspore"
    assert config["training"]["init"] == "runs/hagrid"
    assert config["training"]["dataset"] == "imagefolder"
    done = run_zoo("eval", "runs/mine", "--framework", "torch", "--json", cwd=tmp_path)
    metrics = json.loads(done.stdout)
    assert list(metrics["per_class"]) == list(MINE) and metrics["samples"] == 6
