"""``zoo train --framework mindspore`` end to end: the run directory, predictions from it in
both frameworks, resuming after SIGKILL, and bad samples."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from zoo_core.registry import get_registry, parameter_count
from zoo_core.rundir import RunDir
from zoo_core.specs import HeadConfig

RUN_FILES = (
    "config.json",
    "model.safetensors",
    "metrics.jsonl",
    "training_state.safetensors",
    "curves.png",
    "confusion_matrix.png",
)


def test_run_directory(tiny_run: Path) -> None:
    for name in RUN_FILES:
        assert (tiny_run / name).is_file(), name
    run = RunDir(tiny_run)
    config = run.read_config()
    assert config["framework"] == "mindspore"
    assert config["architecture"] == "se_resnet18"
    assert config["training"]["options"]["ms_mode"] == "graph"
    assert config["versions"]["mindspore"]
    classes = config["num_classes"]
    count = parameter_count(get_registry(), "se_resnet18", HeadConfig(), classes)
    assert config["parameters"] == count
    rows = run.read_metrics()
    assert [row["epoch"] for row in rows] == [0, 1]
    assert all(row["samples"] == config["dataset"]["samples"]["val"] for row in rows)
    assert rows[1]["train_loss"] < rows[0]["train_loss"]
    weights = run.load_weights()
    assert weights["layer1.0.bn2.num_batches_tracked"].dtype == np.int64
    assert weights["layer1.0.bn2.num_batches_tracked"].item() > 0


def test_training_output_is_quiet(tiny_run: Path) -> None:
    log = (tiny_run.parent / "train.log").read_text()
    for noise in ("[WARNING]", "[INFO]", "DeprecationWarning", "Traceback"):
        assert noise not in log
    assert "GRAPH_MODE" in log


def predictions(ms: SimpleNamespace, run: Path, image: Path, framework: str) -> list[dict]:
    done = ms.succeeded(ms.zoo("predict", str(run), str(image), "-f", framework, "--json"))
    return json.loads(done.stdout)[0]["top_k"]


def assert_same_predictions(first: list[dict], second: list[dict]) -> None:
    assert [p["label"] for p in first] == [p["label"] for p in second]
    for a, b in zip(first, second, strict=True):
        assert abs(a["probability"] - b["probability"]) <= 1e-4


@pytest.mark.usefixtures("torch_required")
def test_torch_predicts_with_a_mindspore_run(
    ms: SimpleNamespace, tiny_run: Path, sample_image: Path
) -> None:
    torch_top = predictions(ms, tiny_run, sample_image, "torch")
    assert_same_predictions(torch_top, predictions(ms, tiny_run, sample_image, "mindspore"))


@pytest.mark.slow  # trains with torch first (~30 s); the parity tests cover the weights
@pytest.mark.usefixtures("torch_required")
def test_mindspore_predicts_with_a_torch_run(
    ms: SimpleNamespace, tiny_synth: Path, sample_image: Path, tmp_path: Path
) -> None:
    out = tmp_path / "torch-run"
    ms.succeeded(ms.zoo(*training(tiny_synth, out, "resnet18", "torch", 1, "--head", "512")))
    torch_top = predictions(ms, out, sample_image, "torch")
    assert_same_predictions(torch_top, predictions(ms, out, sample_image, "mindspore"))


def training(data: Path, out: Path, arch: str, framework: str, epochs: int, *extra: str):
    tiny = ("--image-size", "32", "--batch-size", "16", "--seed", "1")  # as conftest's tiny_run
    tiny += ("--schedule", "cosine", "--warmup-steps", "2")
    settings = ("--data", str(data), "--epochs", str(epochs), "--out", str(out), *tiny, *extra)
    return ("train", arch, "--framework", framework, *settings)


def test_resume_after_sigkill_ends_with_the_same_weights(
    ms: SimpleNamespace, tiny_run: Path, tiny_synth: Path, tmp_path: Path
) -> None:
    """Killed during epoch 2 and resumed, the run ends bit for bit where the uninterrupted
    ``tiny_run`` did: the same batches, seeds and kernels (GRAPH_MODE on CPU with the same thread
    count computes the same sums in the same order; measured: no weight differs at all)."""
    out = tmp_path / "run"
    args = training(tiny_synth, out, "se_resnet18", "mindspore", 2)
    process = subprocess.Popen(
        [sys.executable, "-m", "zoo_core", *args],
        env=ms.environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while not (out / "training_state.safetensors").is_file():
        assert process.poll() is None, "training ended before the first epoch was saved"
        assert time.monotonic() < deadline, "no epoch finished in 5 minutes"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert len(RunDir(out).read_metrics()) == 1, "the kill came too late to interrupt the run"

    done = ms.succeeded(ms.zoo(*args, "--resume"))
    assert "resuming" in done.stderr
    resumed, _ = RunDir(out).load_state()
    reference, _ = RunDir(tiny_run).load_state()
    assert sorted(resumed) == sorted(reference)
    differing = [name for name in reference if not np.array_equal(resumed[name], reference[name])]
    assert differing == []
    rows, reference_rows = RunDir(out).read_metrics(), RunDir(tiny_run).read_metrics()
    for key in ("epoch", "train_loss", "learning_rates", "f1", "accuracy", "confusion_matrix"):
        assert [row[key] for row in rows] == [row[key] for row in reference_rows]


@pytest.fixture
def corrupt_synth(tiny_synth: Path, tmp_path: Path) -> tuple[Path, list[Path]]:
    """The tiny dataset with one image of every gesture made unreadable."""
    root = tmp_path / "synth"
    shutil.copytree(tiny_synth, root)
    broken = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "ann_subsample"):
        images = sorted(folder.glob("*.jpg"))
        if images:
            images[0].write_bytes(b"\xff\xd8\xff\xe0 this is not a JPEG")
            broken.append(images[0])
    return root, broken


def test_bad_samples_are_skipped_and_reported(
    ms: SimpleNamespace, corrupt_synth: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    root, broken = corrupt_synth
    out = tmp_path / "run"
    done = ms.succeeded(ms.zoo(*training(root, out, "se_resnet18", "mindspore", 1)))
    assert "bad sample" in done.stderr
    assert any(path.name in done.stderr for path in broken)
    (row,) = RunDir(out).read_metrics()
    assert row["bad_samples"] > 0  # hands on a broken image, in the training and validation splits


def test_strict_training_stops_at_a_bad_sample(
    ms: SimpleNamespace, corrupt_synth: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    root, broken = corrupt_synth
    done = ms.zoo(*training(root, tmp_path / "run", "se_resnet18", "mindspore", 1, "--strict"))
    assert done.returncode == 1
    assert done.stderr.count("zoo: error:") == 1
    assert any(str(path.name) in done.stderr for path in broken)
    assert "Traceback" not in done.stderr
