"""Fine-tuning from someone's weights: a resnet18 trained in torch on one class set
(``stripes-12``) starts an se_resnet18 on other classes (``stripes-4``) in torch and in
MindSpore (``finetune_probe.py``, ``stripes.py``), and ``zoo train --init`` does the same from
the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from zoo_core.rundir import load_tensors, save_tensors

from .conftest import HERE, environment, zoo

SE_TENSORS = 8 * 4  # fc1/fc2 weight and bias in each of the 8 BasicBlocks


def train(framework: str, arch: str, dataset: str, out: Path, epochs: int, *init: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(HERE / "finetune_probe.py"), framework, arch, dataset, str(out)]
        + [str(epochs), "1e-3", *init],
        env=environment(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "log": done.stderr}


@pytest.fixture(scope="module")
def source_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("source") / "resnet18-stripes12"
    trained = train("torch", "resnet18", "stripes-12", out, 4)
    assert trained["losses"][-1] < trained["losses"][0] - 0.5  # it learned something
    return out


@pytest.mark.parametrize("framework", ["torch", "mindspore"])
def test_init_beats_scratch_on_other_classes(
    framework: str, source_run: Path, tmp_path: Path
) -> None:
    scratch = train(framework, "se_resnet18", "stripes-4", tmp_path / "scratch", 1)
    tuned = train(framework, "se_resnet18", "stripes-4", tmp_path / "tuned", 1, str(source_run))
    init = tuned["init"]
    assert init["format"] == "zoo" and init["classifier_replaced"]
    assert set(init["dropped"]) == {"fc.weight", "fc.bias"}  # 12 classes there, 4 here
    assert sum(".se." in name for name in init["new"]) == SE_TENSORS
    assert {name for name in init["new"] if ".se." not in name} == {"fc.weight", "fc.bias"}
    assert "loaded 100 tensors, left 34 new, dropped 2" in " ".join(tuned["log"].split())
    print(f"{framework}: first-epoch loss scratch {scratch['losses']} init {tuned['losses']}")
    assert tuned["losses"][0] < scratch["losses"][0]


def test_freeze_backbone_trains_only_the_head(source_run: Path, tmp_path: Path) -> None:
    frozen = train(
        "mindspore", "se_resnet18", "stripes-4", tmp_path / "frozen", 1, str(source_run), "freeze"
    )
    assert frozen["params"] == 4 * 512 + 4
    before = load_tensors(source_run / "model.safetensors")[0]
    after = load_tensors(tmp_path / "frozen" / "model.safetensors")[0]
    assert np.array_equal(before["layer3.1.conv2.weight"], after["layer3.1.conv2.weight"])
    assert frozen["losses"][0] < 1.4  # the head learns on the frozen features


def test_cli_fine_tunes_and_records_the_source(
    source_run: Path, synth_release: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cli"
    done = zoo(
        "train", "se_resnet18", "--framework", "mindspore", "--init", str(source_run),
        "--data", str(synth_release), "--epochs", "1", "--image-size", "32",
        "--batch-size", "8", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    said = " ".join(done.stderr.split())
    assert f"init {source_run} (zoo): loaded 100 tensors, left 34 new, dropped 2" in said
    config = json.loads((out / "config.json").read_text())
    assert config["init"]["source"] == str(source_run)
    assert config["num_classes"] == 19
    from zoo_core.hub.bundle import hub_config
    from zoo_core.hub.card import render_card

    published = hub_config(config, "0" * 64, "me/tuned")
    card = render_card(published, "me/tuned", "apache-2.0", set())
    assert f"base_model: {source_run.name}" in card


def test_an_init_that_does_not_fit_is_refused(synth_release: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.safetensors"
    save_tensors(other, {"encoder.weight": np.zeros((8, 8), np.float32)}, {})
    done = zoo(
        "train", "resnet18", "--init", str(other), "--data", str(synth_release),
        "--epochs", "1", "--image-size", "32", "--out", str(tmp_path / "r"),
    )  # fmt: skip
    assert done.returncode == 1
    assert "only 0% of the model's backbone weights fit" in done.stderr


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("timm-resnet18", "timm"),
        ("torchvision.pth", "state-dict"),
        ("hagrid_v1.pth", "hagrid-v1"),
        ("hagrid_v2.pth", "hagrid-v2"),
        ("mindcv_resnet18.ckpt", "mindcv"),
    ],
)
def test_mindspore_fine_tunes_se_resnet18_from_each_foreign_format(
    mindcv: Path, synth_release: Path, tmp_path: Path, source: str, fmt: str
) -> None:
    out = tmp_path / "tuned"
    done = zoo(
        "train", "se_resnet18", "--framework", "mindspore", "--init", str(mindcv / source),
        "--data", str(synth_release), "--epochs", "1", "--image-size", "32",
        "--batch-size", "8", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    said = " ".join(done.stderr.split())
    assert f"init {mindcv / source} ({fmt}): loaded " in said, said
    init = json.loads((out / "config.json").read_text())["init"]
    assert init["format"] == fmt and init["loaded"] >= 100  # the whole ResNet18 backbone
    assert sum(".se." in name for name in init["new"]) == SE_TENSORS
