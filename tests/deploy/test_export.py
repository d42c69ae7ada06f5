"""``zoo export``: the run's own exporter, ONNX names, dynamic batch, metadata, verification,
int8 with its F1 measured; the preprocessing rule in config.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from zoo_core.deploy import PREPROCESSING, normalize
from zoo_core.evaluation import load_image

from .conftest import zoo

VERIFIED = re.compile(
    r"verified with onnxruntime on (\d+) val images of \S+ at batch \d+ and 1: "
    r"max \|Δ logit\| (\S+) \(bound (\S+)\), top-1 agrees (\d+)/(\d+)"
)


def torch_logits(run: Path, inputs: np.ndarray) -> np.ndarray:
    import torch

    from zoo_core import checkpoint

    model = checkpoint.load(str(run), "torch").model.eval()
    with torch.no_grad():
        return model(torch.from_numpy(inputs)).numpy()


def test_new_runs_record_the_preprocessing_rule(trained: Path) -> None:
    config = json.loads((trained / "config.json").read_text())
    assert config["preprocessing"] == PREPROCESSING
    assert config["preprocessing"]["resize_filter"] == "bicubic"
    assert config["preprocessing"]["pad_color"] == [0, 0, 0]


def test_onnx_export_uses_the_runs_framework_and_is_verified(exported: Path) -> None:
    log = (exported / "export.log").read_text()
    found = VERIFIED.search(log)
    assert found, log
    images, delta, bound, agree, total = found.groups()
    assert float(delta) <= float(bound) <= 1e-2 and agree == total == images
    record = json.loads((exported / "model.onnx.json").read_text())
    assert record["exported_with"] == "torch"  # MindSpore is installed too; the run is torch's
    assert record["verification"]["passed"] and record["verification"]["max_abs_diff"] < 1e-4
    config = json.loads((exported / "config.json").read_text())
    assert config["exports"]["model.onnx"]["bytes"] == (exported / "model.onnx").stat().st_size


def test_onnx_names_dynamic_batch_opset_and_metadata(exported: Path) -> None:
    model = onnx.load(str(exported / "model.onnx"))
    (image_input,) = model.graph.input
    (output,) = model.graph.output
    assert (image_input.name, output.name) == ("images", "logits")
    assert image_input.type.tensor_type.shape.dim[0].dim_param == "batch"
    assert [d.dim_value for d in image_input.type.tensor_type.shape.dim[1:]] == [3, 32, 32]
    assert max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")) >= 13
    meta = {p.key: p.value for p in model.metadata_props}
    config = json.loads((exported / "config.json").read_text())
    assert json.loads(meta["zoo.label_names"]) == config["label_names"]
    assert json.loads(meta["zoo.mean"]) == config["mean"]
    assert json.loads(meta["zoo.std"]) == config["std"]
    assert json.loads(meta["zoo.input_size"]) == [3, 32, 32]
    assert json.loads(meta["zoo.preprocessing"]) == PREPROCESSING
    session = ort.InferenceSession(str(exported / "model.onnx"), providers=["CPUExecutionProvider"])
    assert session.get_modelmeta().custom_metadata_map == meta
    inputs = np.random.default_rng(0).standard_normal((3, 3, 32, 32)).astype(np.float32)
    expected = torch_logits(exported, inputs)
    for batch in (1, 3):
        (logits,) = session.run(["logits"], {"images": inputs[:batch]})
        np.testing.assert_allclose(logits, expected[:batch], rtol=1e-4, atol=1e-4)


def test_metadata_reproduces_zoos_input(exported: Path, synth: Path) -> None:
    """A deployment that follows metadata_props alone gets zoo predict's logits."""
    from PIL import Image, ImageOps

    session = ort.InferenceSession(str(exported / "model.onnx"), providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    rule = json.loads(meta["zoo.preprocessing"])
    size = json.loads(meta["zoo.input_size"])[-1]
    path = sorted(synth.glob("*/*.jpg"))[0]
    with Image.open(path) as image:
        if rule["jpeg_draft"]:
            image.draft("RGB", (size, size))
        rgb = image.convert("RGB")
    method = Image.Resampling[rule["resize_filter"].upper()]
    pixels = np.asarray(
        ImageOps.pad(rgb, (size, size), method=method, color=tuple(rule["pad_color"]))
    )
    np.testing.assert_array_equal(pixels, load_image(path, size))
    mean, std = json.loads(meta["zoo.mean"]), json.loads(meta["zoo.std"])
    (logits,) = session.run(["logits"], {"images": normalize(pixels[None], mean, std)})
    expected = torch_logits(exported, normalize(load_image(path, size)[None], mean, std))
    np.testing.assert_allclose(logits, expected, atol=1e-4)


def test_int8_export_records_f1_and_sizes(exported: Path) -> None:
    log = (exported / "export.log").read_text()
    assert re.search(r"val macro F1 fp32 \d\.\d{4} → int8 \d\.\d{4}", log), log
    record = json.loads((exported / "model.int8.onnx.json").read_text())
    assert record["bytes"] == (exported / "model.int8.onnx").stat().st_size
    assert record["fp32_bytes"] == (exported / "model.onnx").stat().st_size
    assert record["bytes"] < 0.4 * record["fp32_bytes"]
    evaluation = record["evaluation"]
    assert evaluation["fp32"]["samples"] == evaluation["int8"]["samples"] > 0
    assert evaluation["f1_drop"] == pytest.approx(
        evaluation["fp32"]["f1"] - evaluation["int8"]["f1"]
    )
    assert record["calibration"].startswith("16 train images")
    model = onnx.load(str(exported / "model.int8.onnx"))
    dequantize = [n for n in model.graph.node if n.op_type == "DequantizeLinear"]
    assert any(a.name == "axis" for n in dequantize for a in n.attribute)  # per-channel weights
    meta = {p.key: p.value for p in model.metadata_props}
    assert json.loads(meta["zoo.label_names"]) and "int8" in meta["zoo.quantization"]
    config = json.loads((exported / "config.json").read_text())
    assert set(config["exports"]) == {"model.onnx", "model.int8.onnx"}


@pytest.mark.mindspore
def test_framework_option_chooses_the_exporter(run: Path, tmp_path: Path) -> None:
    pytest.importorskip("mindspore")
    target = tmp_path / "ms.onnx"
    done = zoo(
        "export", str(run), "--format", "onnx", "--framework", "mindspore", "--out", str(target)
    )
    assert VERIFIED.search(done.stdout), done.stdout
    assert json.loads((tmp_path / "ms.onnx.json").read_text())["exported_with"] == "mindspore"
    assert "exports" not in json.loads((run / "config.json").read_text())  # written outside
    session = ort.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["images"]
    inputs = np.random.default_rng(1).standard_normal((3, 3, 32, 32)).astype(np.float32)
    (logits,) = session.run(["logits"], {"images": inputs})  # batch 3 from a batch-1 export
    np.testing.assert_allclose(logits, torch_logits(run, inputs), atol=1e-4)


def test_a_framework_that_cannot_export_the_format_is_a_clear_error(run: Path) -> None:
    done = zoo("export", str(run), "--format", "onnx", "--framework", "onnxruntime", ok=False)
    assert done.returncode == 1
    assert done.stderr.strip() == "zoo: error: framework 'onnxruntime' cannot export 'onnx'"
    assert not (run / "model.onnx").exists()


def test_model_card_gains_a_deployment_section(exported: Path, tmp_path: Path) -> None:
    from zoo_core.hub.bundle import stage

    files = stage(exported, tmp_path / "staged", "acme/deployed", "apache-2.0")
    assert {"model.onnx", "model.int8.onnx"} <= set(files)
    card = (tmp_path / "staged" / "README.md").read_text()
    section = card.split("## Deployment", 1)[1].split("\n## ", 1)[0]
    assert "| `model.onnx` | onnx |" in section and "| `model.int8.onnx` | onnx int8 |" in section
    assert "zoo predict hf-hub:acme/deployed hand.jpg --framework onnxruntime" in section
    published = json.loads((tmp_path / "staged" / "config.json").read_text())
    assert set(published["exports"]) == {"model.onnx", "model.int8.onnx"}


def test_a_run_without_exports_has_no_deployment_section(trained: Path, tmp_path: Path) -> None:
    from zoo_core.hub.bundle import stage

    files = stage(trained, tmp_path / "staged", "acme/plain", "apache-2.0")
    assert not any(name.endswith(".onnx") for name in files)
    assert "## Deployment" not in (tmp_path / "staged" / "README.md").read_text()


def test_int8_of_a_format_nobody_quantizes_fails_before_writing(run: Path) -> None:
    done = zoo("export", str(run), "--format", "mindir", "--int8", ok=False)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "zoo: error: no installed framework quantizes 'mindir' files; "
        "--int8 works with --format onnx"
    )
    assert not list(run.glob("model.*mindir*"))
