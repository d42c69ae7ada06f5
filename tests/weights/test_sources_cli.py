"""``zoo import``, and foreign sources given to predict / eval / export / train, through the
installed console script."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from zoo_core.rundir import load_tensors, save_tensors, sha256_of

from .conftest import zoo


class RunsCode:
    """Unpickling this runs ``touch MARKER`` (what a malicious checkpoint would do)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("images") / "hand.jpg"
    pixels = np.random.default_rng(0).integers(0, 255, (48, 40, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path)
    return path


def failed(done, *parts: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("zoo: error: ")]
    assert len(lines) == 1 and done.stderr.strip().endswith(lines[0]), done.stderr
    for part in parts:
        assert part in lines[0]


def ok(done):
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_a_pickle_that_runs_code_is_refused_and_runs_nothing(tmp_path: Path, image: Path) -> None:
    import torch

    marker = tmp_path / "ran"
    evil = tmp_path / "weights.pth"
    torch.save({"state_dict": RunsCode(marker)}, evil)
    failed(zoo("predict", str(evil), str(image)), str(evil), "refused", "weights_only")
    failed(zoo("import", str(evil), "--out", str(tmp_path / "run")), "refused")
    failed(zoo("train", "resnet18", "--init", str(evil), "--out", str(tmp_path / "t")), "refused")
    assert not marker.exists()
    assert not (tmp_path / "run").exists()


def test_timm_folder_predicts_directly(foreign: Path, image: Path) -> None:
    done = ok(zoo("predict", f"local-dir:{foreign / 'timm-resnet18'}", str(image), "--json"))
    ranked = json.loads(done.stdout)[0]["top_k"]
    assert {entry["label"] for entry in ranked} <= {"left", "right", "up", "down"}


def test_a_foreign_file_exports_directly(foreign: Path, synth_release: Path, tmp_path) -> None:
    onnx = tmp_path / "v1.onnx"
    source = str(foreign / "hagrid_v1.pth")
    done = ok(
        zoo("export", source, "--format", "onnx", "--out", str(onnx), "--data", str(synth_release))
    )
    assert f"exported {onnx}" in done.stdout
    assert onnx.stat().st_size > 1_000_000


@pytest.mark.parametrize("framework", ["torch", "mindspore"])
def test_a_model_whose_classes_no_dataset_serves_exports_verified(
    foreign: Path, tmp_path: Path, framework: str
) -> None:
    pytest.importorskip("onnxruntime")
    onnx = tmp_path / f"v2-{framework}.onnx"
    source = str(foreign / "hagrid_v2.pth")  # 18 classes: no installed dataset serves them
    done = ok(zoo("export", source, "--format", "onnx", "-f", framework, "--out", str(onnx)))
    assert "verifying on hagrid-synth's images" in done.stdout
    assert "verified with onnxruntime" in done.stdout
    record = json.loads(onnx.with_name(f"{onnx.name}.json").read_text())
    assert record["verification"]["passed"] is True
    assert record["verification"]["max_abs_diff"] <= record["verification"]["bound"]


def test_import_writes_a_run_that_predicts_in_both_frameworks(
    foreign: Path, image: Path, tmp_path: Path
) -> None:
    run = tmp_path / "v2"
    ok(zoo("import", str(foreign / "hagrid_v2.pth"), "--arch", "resnet18", "--out", str(run)))
    config = json.loads((run / "config.json").read_text())
    source = config["source"]
    assert source["format"] == "hagrid-v2"
    assert source["file"] == str((foreign / "hagrid_v2.pth").resolve())
    assert source["sha256"] == sha256_of(foreign / "hagrid_v2.pth")
    assert config["label_names"][0] == "call" and config["num_classes"] == 18
    assert config["mean"] == [0.54, 0.499, 0.473]
    assert config["weights_sha256"] == sha256_of(run / "model.safetensors")
    results = [
        json.loads(ok(zoo("predict", str(run), str(image), "--json", "-f", fw)).stdout)[0]
        for fw in ("torch", "mindspore")
    ]
    assert results[0]["top_k"][0]["label"] == results[1]["top_k"][0]["label"]
    torch_p, ms_p = (r["top_k"][0]["probability"] for r in results)
    assert abs(torch_p - ms_p) < 1e-4
    failed(zoo("import", str(foreign / "hagrid_v2.pth"), "--out", str(run)), "not empty")


def test_imported_v1_evaluates_on_v1_classes(
    foreign: Path, synth_release: Path, tmp_path: Path
) -> None:
    run = tmp_path / "v1"
    ok(zoo("import", str(foreign / "hagrid_v1.pth"), "--out", str(run)))
    for framework in ("torch", "mindspore"):
        done = ok(zoo("eval", str(run), "--data", str(synth_release), "--json", "-f", framework))
        metrics = json.loads(done.stdout)
        assert metrics["samples"] > 0 and 0 <= metrics["accuracy"] <= 1
    ok(zoo("export", str(run), "--format", "mindir", "--data", str(synth_release)))
    assert (run / "model.mindir").is_file()


def test_a_file_path_means_that_file(foreign: Path, image: Path, tmp_path: Path) -> None:
    run = tmp_path / "tv"
    ok(zoo("import", str(foreign / "torchvision.pth"), "--out", str(run)))
    tensors, metadata = load_tensors(run / "model.safetensors")
    tensors["fc.weight"] = np.zeros_like(tensors["fc.weight"])
    tensors["fc.bias"] = np.zeros_like(tensors["fc.bias"])
    save_tensors(run / "other.safetensors", tensors, metadata)
    other = json.loads(
        ok(zoo("predict", str(run / "other.safetensors"), str(image), "--json")).stdout
    )
    assert all(abs(e["probability"] - 0.2) < 1e-6 for e in other[0]["top_k"])  # 5 equal classes
    own = json.loads(ok(zoo("predict", str(run), str(image), "--json")).stdout)
    assert abs(own[0]["top_k"][0]["probability"] - 0.2) > 1e-3


def test_a_tag_is_refused_by_name(tmp_path: Path, image: Path) -> None:
    failed(zoo("train", "resnet18.tv_in1k", "--out", str(tmp_path / "r")), "'tv_in1k'")
    failed(zoo("predict", "resnet18.tv_in1k", str(image)), "no pretrained weights tagged")
    from zoo_core import create_model
    from zoo_core.registry import UnknownNameError

    with pytest.raises(UnknownNameError, match="tv_in1k"):
        create_model("resnet18.tv_in1k")


def test_resume_without_a_training_state_is_refused(foreign: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    weights = folder / "model.safetensors"
    weights.write_bytes((foreign / "timm-seresnet18" / "model.safetensors").read_bytes())
    before = weights.read_bytes()
    done = zoo("train", "resnet18", "--out", str(folder), "--resume", "--epochs", "1")
    failed(done, str(folder), "no training_state.safetensors", "--init")
    assert weights.read_bytes() == before and sorted(os.listdir(folder)) == ["model.safetensors"]


def test_formats_are_listed(tmp_path: Path) -> None:
    listed = ok(zoo("formats")).stdout
    for name in ("zoo", "timm", "state-dict", "hagrid-v1", "hagrid-v2", "mindcv"):
        assert name in listed
