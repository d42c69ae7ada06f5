"""Checkpoints other code wrote, loaded by zoo: the same logits as the source library's own model
(max |Δ| ≤ 1e-4) in torch and in MindSpore, and the metadata each format carries."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from zoo_core import checkpoint

from .conftest import V1_TARGETS, probe

TOLERANCE = 1e-4
TORCH_READABLE = (
    "torchvision.pth",
    "timm-resnet18",
    "timm-seresnet18",
    "hagrid_v1.pth",
    "hagrid_v2.pth",
    "hagrid_v2_1m.pth",
)


@pytest.mark.parametrize("name", TORCH_READABLE)
def test_torch_logits_equal_the_source_model(foreign: Path, name: str) -> None:
    expected = json.loads((foreign / "sources.json").read_text())[name]
    loaded = checkpoint.load(str(foreign / name), "torch")
    with torch.no_grad():
        out = loaded.model.eval()(torch.from_numpy(np.load(foreign / "x.npy"))).numpy()
    reference = np.load(foreign / "refs.npz")[name]
    assert np.abs(out - reference).max() <= TOLERANCE
    assert loaded.config["source"]["format"] == expected["format"]
    assert loaded.config["num_classes"] == expected["classes"]
    assert loaded.config["architecture"] == expected.get("architecture", "resnet18")
    if "labels" in expected:
        assert loaded.config["label_names"] == expected["labels"]


def test_hagrid_metadata_is_the_authors(foreign: Path) -> None:
    v1 = checkpoint.load(str(foreign / "hagrid_v1.pth"), "torch").config
    assert v1["label_names"] == V1_TARGETS
    assert v1["mean"] == [0.0, 0.0, 0.0] and v1["std"] == [1.0, 1.0, 1.0]  # ToTensor only
    assert set(v1["source"]["dropped"]) == {"leading_hand.0.weight", "leading_hand.0.bias"}
    v2 = checkpoint.load(str(foreign / "hagrid_v2.pth"), "torch").config
    assert v2["label_names"] == V1_TARGETS[:-1]
    assert v2["mean"] == [0.54, 0.499, 0.473]
    assert set(v2["source"]["dropped"]) == {"OPTIMIZER_STATE"}
    assert v2["source"]["epochs_run"] == 3
    v2_1m = checkpoint.load(str(foreign / "hagrid_v2_1m.pth"), "torch").config
    assert v2_1m["label_names"][:2] == ["grabbing", "grip"]
    assert v2_1m["label_names"][-1] == "no_gesture"
    assert v2_1m["std"] == [0.234, 0.235, 0.231]


def test_timm_preprocessing_comes_from_pretrained_cfg(foreign: Path) -> None:
    config = checkpoint.load(str(foreign / "timm-seresnet18"), "torch").config
    assert config["input_size"] == [3, 224, 224]
    assert config["architecture_options"]["se_divisor"] == 8  # timm's seresnet18
    assert config["label_names"] == ["class_0", "class_1", "class_2"]  # it saved none


def test_every_source_in_mindspore_and_mindcv_in_both(mindcv: Path) -> None:
    report = probe("parity", str(mindcv))
    expected = json.loads((mindcv / "sources.json").read_text())
    assert set(report) == set(expected)
    for name, entry in report.items():
        assert entry["mindspore"] <= TOLERANCE, (name, entry)
        assert entry["format"] == expected[name]["format"], name
        assert entry["architecture"] == expected[name].get("architecture", "resnet18"), name
        assert entry["torch"] <= TOLERANCE, (name, entry)
    for name in ("mindcv_resnet18.ckpt", "mindcv_seresnet18.ckpt"):
        assert report[name]["dropped"] == ["global_step", "learning_rate", "moments.conv1.weight"]
    assert report["mindcv_seresnet18.ckpt"]["options"]["se_divisor"] == 8
    deltas = {name: {k: entry[k] for k in ("torch", "mindspore")} for name, entry in report.items()}
    print(json.dumps(deltas))  # the parity table of docs/weights.md (pytest -s)
