"""MindSpore weights under canonical names: a bit-exact round trip through a run directory,
strict loading with errors that name the misfit, and MindIR/ONNX export."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest


@pytest.fixture(scope="module")
def weights(
    ms: SimpleNamespace, tiny_run: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("ms-weights")
    mindir = folder / "exported.mindir"
    # No --framework: MindSpore is the one that exports MindIR.
    done = ms.succeeded(ms.zoo("export", str(tiny_run), "--format", "mindir", "--out", str(mindir)))
    assert str(mindir) in done.stdout
    return ms.probe("weights", str(folder), str(tiny_run), str(mindir))


def test_round_trip_is_bit_exact(weights: dict[str, Any]) -> None:
    assert weights["same_names"]
    assert weights["bit_equal"]


def test_batch_counters_are_written_as_torch_does(weights: dict[str, Any]) -> None:
    assert weights["counter_dtype"] == "<i8"
    assert weights["counter_shape"] == []


@pytest.mark.parametrize(
    ("misfit", "named"),
    [
        ("missing", ["missing", "layer2.0.se.fc1.weight"]),
        ("unexpected", ["unexpected", "layer9.conv.weight"]),
        ("shape", ["shape mismatch", "fc.out.weight", "(7, 512)", "(18, 512)"]),
        ("both_names_for_bn", ["'bn1.weight' twice", "'bn1.gamma'"]),
    ],
)
def test_misfitting_weights_are_refused(
    weights: dict[str, Any], misfit: str, named: list[str]
) -> None:
    message = weights["errors"][misfit]
    assert message is not None, f"weights {misfit} were accepted"
    for part in named:
        assert part in message


def test_mindspore_parameter_names_are_accepted(weights: dict[str, Any]) -> None:
    assert weights["accepts_mindspore_names"]


def test_truncated_checkpoint_is_one_clear_error(
    ms: SimpleNamespace, tiny_run: Path, tmp_path: Path, sample_image: Path
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_bytes((tiny_run / "config.json").read_bytes())
    data = (tiny_run / "model.safetensors").read_bytes()
    (broken / "model.safetensors").write_bytes(data[: len(data) // 2])
    done = ms.zoo("predict", str(broken), str(sample_image), "--framework", "mindspore")
    assert done.returncode == 1
    assert "zoo: error:" in done.stderr
    assert "model.safetensors" in done.stderr
    assert "Traceback" not in done.stderr


def test_exported_mindir_computes_the_same_logits(weights: dict[str, Any]) -> None:
    assert weights["exports"]["mindir_delta"] <= 1e-5
    assert weights["exports"]["logit_std"] > 0


def test_onnx_export(weights: dict[str, Any]) -> None:
    exported = weights["exports"]
    assert Path(exported["onnx"]).name == "model.onnx"
    assert exported["onnx_bytes"] > 40_000_000  # ~11 M float32 weights
    assert bytes.fromhex(exported["onnx_head"]).find(b"conv1.weight") > 0
