"""The ``onnxruntime`` framework: predict and eval through the same hooks as torch, from the
run's export or exporting on the fly; training is a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import zoo


def predictions(run: Path, images: list[Path], framework: str) -> list[dict]:
    args = ("predict", str(run), *map(str, images), "--json", "-k", "3", "-f", framework)
    return json.loads(zoo(*args).stdout)


def test_predict_matches_torch(exported: Path, synth: Path) -> None:
    images = sorted(synth.glob("*/*.jpg"))[:4]
    ours, theirs = (
        predictions(exported, images, "onnxruntime"),
        predictions(exported, images, "torch"),
    )
    for mine, reference in zip(ours, theirs, strict=True):
        assert [p["label"] for p in mine["top_k"]] == [p["label"] for p in reference["top_k"]]
        for a, b in zip(mine["top_k"], reference["top_k"], strict=True):
            assert a["probability"] == pytest.approx(b["probability"], abs=1e-4)


def test_eval_matches_torch(exported: Path, synth: Path) -> None:
    def f1(framework: str) -> float:
        done = zoo("eval", str(exported), "--data", str(synth), "--json", "-f", framework)
        metrics = json.loads(done.stdout)
        assert metrics["framework"] == framework
        return metrics["f1"]

    assert f1("onnxruntime") == pytest.approx(f1("torch"), abs=1e-6)


def test_predict_exports_on_the_fly_into_the_cache(run: Path, synth: Path, tmp_path: Path) -> None:
    import os

    image = sorted(synth.glob("*/*.jpg"))[0]
    done = zoo("predict", str(run), str(image), "-f", "onnxruntime")
    assert "exporting" in done.stderr and "with torch" in done.stderr
    assert not (run / "model.onnx").exists()  # the run is left as it was
    cache = Path(os.environ["ZOO_CACHE_DIR"]) / "onnx"
    assert list(cache.glob("*-32.onnx"))
    again = zoo("predict", str(run), str(image), "-f", "onnxruntime")
    assert "exporting" not in again.stderr and again.stdout == done.stdout


def test_training_with_onnxruntime_is_a_clear_error(synth: Path, tmp_path: Path) -> None:
    out = tmp_path / "never"
    done = zoo(
        "train",
        "se_resnet18",
        "-f",
        "onnxruntime",
        "--data",
        str(synth),
        "--out",
        str(out),
        ok=False,
    )
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        .splitlines()[-1]
        .startswith(
            "zoo: error: framework 'onnxruntime' runs exported models only; it cannot train"
        )
    )
    assert "Traceback" not in done.stderr and not out.exists()


def test_an_export_of_other_weights_is_not_used(
    exported: Path, synth: Path, tmp_path: Path
) -> None:
    import shutil

    from zoo_core.rundir import RunDir, load_tensors

    run = Path(shutil.copytree(exported, tmp_path / "retrained"))
    tensors, metadata = load_tensors(run / "model.safetensors")
    tensors["fc.bias"] = tensors["fc.bias"] + 1.0  # new weights; model.onnx is now stale
    RunDir(run).save_weights(tensors, metadata)
    image = str(sorted(synth.glob("*/*.jpg"))[0])
    done = zoo("predict", str(run), image, "-f", "onnxruntime", "--json")
    assert "exporting" in done.stderr
    (mine,) = json.loads(done.stdout)
    (reference,) = json.loads(zoo("predict", str(run), image, "--json").stdout)
    for a, b in zip(mine["top_k"], reference["top_k"], strict=True):
        assert a["label"] == b["label"]
        assert a["probability"] == pytest.approx(b["probability"], abs=1e-4)
