"""Fine-tuning from someone's weights: a resnet18 run trained on hagrid-synth's 19 classes starts
an se_resnet18 on 4 other classes, in torch and in MindSpore (``finetune_probe.py``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from zoo_core.rundir import load_tensors, save_tensors

from .conftest import HERE, environment, zoo

SOURCE_EPOCHS = 3
SE_TENSORS = 8 * 4  # fc1/fc2 weight and bias in each of the 8 BasicBlocks


@pytest.fixture(scope="module")
def source_run(synth_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("source") / "resnet18"
    settings = ("--epochs", str(SOURCE_EPOCHS), "--image-size", "32", "--batch-size", "8")
    done = zoo("train", "resnet18", "--data", str(synth_release), "--out", str(out), *settings)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def train(framework: str, data: Path, out: Path, *init: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(HERE / "finetune_probe.py"), framework, "se_resnet18"]
        + [str(data), str(out), "1", *init],
        env=environment(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "log": done.stderr}


@pytest.mark.parametrize("framework", ["torch", "mindspore"])
def test_init_beats_scratch_on_other_classes(
    framework: str, source_run: Path, synth_release: Path, tmp_path: Path
) -> None:
    scratch = train(framework, synth_release, tmp_path / "scratch")
    tuned = train(framework, synth_release, tmp_path / "tuned", str(source_run))
    init = tuned["init"]
    assert init["format"] == "zoo" and init["classifier_replaced"]
    assert set(init["dropped"]) == {"fc.weight", "fc.bias"}  # 19 classes there, 4 here
    assert sum(".se." in name for name in init["new"]) == SE_TENSORS
    assert set(init["new"]) - {n for n in init["new"] if ".se." in n} == {"fc.weight", "fc.bias"}
    assert "loaded 100 tensors, left 34 new, dropped 2" in " ".join(tuned["log"].split())
    print(f"{framework}: first-epoch loss scratch {scratch['losses']} init {tuned['losses']}")
    assert tuned["losses"][0] < scratch["losses"][0]


def test_freeze_backbone_trains_only_the_head(
    source_run: Path, synth_release: Path, tmp_path: Path
) -> None:
    frozen = train("mindspore", synth_release, tmp_path / "frozen", str(source_run), "freeze")
    assert frozen["params"] == 4 * 512 + 4
    before = load_tensors(source_run / "model.safetensors")[0]
    after = load_tensors(tmp_path / "frozen" / "model.safetensors")[0]
    assert np.array_equal(before["layer3.1.conv2.weight"], after["layer3.1.conv2.weight"])
    assert not np.array_equal(after["fc.weight"][:, :4], np.zeros((4, 4)))


def test_cli_fine_tunes_and_records_the_source(source_run: Path, synth_release, tmp_path) -> None:
    out = tmp_path / "cli"
    done = zoo(
        "train", "se_resnet18", "--framework", "mindspore", "--init", str(source_run),
        "--data", str(synth_release), "--epochs", "1", "--image-size", "32",
        "--batch-size", "8", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"init {source_run} (zoo): loaded 102 tensors, left 32 new, dropped 0" in " ".join(
        done.stderr.split()
    )
    config = json.loads((out / "config.json").read_text())
    assert config["init"]["source"] == str(source_run)
    from zoo_core.hub.bundle import hub_config
    from zoo_core.hub.card import render_card

    published = hub_config(config, "0" * 64, "me/tuned")
    card = render_card(published, "me/tuned", "apache-2.0", set())
    assert "base_model: resnet18" in card


def test_an_init_that_does_not_fit_is_refused(synth_release: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.safetensors"
    save_tensors(other, {"encoder.weight": np.zeros((8, 8), np.float32)}, {})
    done = zoo(
        "train", "resnet18", "--init", str(other), "--data", str(synth_release),
        "--epochs", "1", "--image-size", "32", "--out", str(tmp_path / "r"),
    )  # fmt: skip
    assert done.returncode == 1
    assert "only 0% of the model's backbone weights fit" in done.stderr
