"""`zoo train --framework torch` end to end, then `zoo eval`, `zoo predict` and `zoo export`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from zoo_core.cli import build_app
from zoo_core.rundir import RunDir, load_tensors

from .conftest import TINY, run_zoo

RUN_FILES = (
    "model.safetensors",
    "config.json",
    "metrics.jsonl",
    "training_state.safetensors",
    "curves.png",
    "confusion_matrix.png",
)


@pytest.fixture(scope="module")
def trained(synth_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "se-512"
    args = ("train", "se_resnet18", "--framework", "torch", "--head", "512", "--epochs", "2")
    run_zoo(*args, *TINY, "--data", str(synth_release), "--out", str(out))
    return out


def zoo(*args: str) -> str:
    result = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_train_writes_the_run_directory(trained: Path) -> None:
    assert all((trained / name).is_file() for name in RUN_FILES)
    config = RunDir(trained).read_config()
    assert config["architecture"] == "se_resnet18" and config["head"] == [512]
    assert config["framework"] == "torch" and config["input_size"] == [3, 32, 32]
    assert config["parameters"] == 11_537_482 + 513  # 19 classes: 18 gestures + no_gesture
    assert config["versions"]["torch"] and config["versions"]["timm"]
    assert config["results"]["split"] == "val"
    rows = RunDir(trained).read_metrics()
    assert [row["epoch"] for row in rows] == [0, 1]
    assert all(np.isfinite(row["train_loss"]) and row["bad_samples"] == 0 for row in rows)
    state, metadata = load_tensors(trained / "training_state.safetensors")
    assert json.loads(metadata["state"])["epoch"] == 1
    assert "optimizer/fc.hidden.0.weight/exp_avg" in state
    assert "model/layer4.1.se.fc2.bias" in state


def test_eval_reproduces_the_best_epoch(trained: Path, synth_release: Path) -> None:
    metrics = json.loads(zoo("eval", str(trained), "--data", str(synth_release), "--json"))
    results = RunDir(trained).read_config()["results"]
    assert metrics["samples"] == results["samples"]
    assert metrics["f1"] == pytest.approx(results["f1"], abs=1e-6)


def test_predict_on_dataset_images(trained: Path, synth_release: Path) -> None:
    images = sorted(synth_release.glob("*/*.jpg"))[:3]
    results = json.loads(zoo("predict", str(trained), *map(str, images), "--json", "-k", "2"))
    labels = RunDir(trained).read_config()["label_names"]
    assert [r["image"] for r in results] == [str(p) for p in images]
    for result in results:
        probabilities = [p["probability"] for p in result["top_k"]]
        assert len(probabilities) == 2 and probabilities == sorted(probabilities, reverse=True)
        assert all(p["label"] in labels for p in result["top_k"])


def test_predict_on_real_hagrid_crops(trained: Path, hagrid_sample: Path) -> None:
    crops = sorted((hagrid_sample / "crops").glob("*/*.jpg"))[::40]
    assert crops, f"no crops under {hagrid_sample / 'crops'}"
    results = json.loads(zoo("predict", str(trained), *map(str, crops), "--json", "-k", "19"))
    for result in results:
        assert sum(p["probability"] for p in result["top_k"]) == pytest.approx(1.0, abs=1e-4)


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_export_torchscript_gives_the_same_logits(trained: Path, tmp_path: Path) -> None:
    import torch

    from zoo_core import checkpoint

    target = tmp_path / "model.pt"
    assert "exported" in zoo(
        "export", str(trained), "--format", "torchscript", "--out", str(target)
    )
    loaded = checkpoint.load(str(trained), "torch")
    inputs = torch.randn(3, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(torch.jit.load(str(target))(inputs), loaded.model.eval()(inputs))


def test_export_onnx_gives_the_same_logits(trained: Path, tmp_path: Path) -> None:
    pytest.importorskip("onnx", reason="ONNX export needs the onnx package")
    import torch
    from onnx.reference import ReferenceEvaluator

    from zoo_core import checkpoint

    target = tmp_path / "model.onnx"
    zoo("export", str(trained), "--format", "onnx", "--framework", "torch", "--out", str(target))
    inputs = np.random.default_rng(0).standard_normal((2, 3, 32, 32)).astype(np.float32)
    (logits,) = ReferenceEvaluator(str(target)).run(None, {"images": inputs})
    model = checkpoint.load(str(trained), "torch").model.eval()
    with torch.no_grad():
        expected = model(torch.from_numpy(inputs)).numpy()
    np.testing.assert_allclose(logits, expected, rtol=1e-3, atol=1e-4)
