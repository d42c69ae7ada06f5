"""ONNX Runtime sessions on a run's exports: the run's own file when it is current, else one
exported (or quantized) on the fly into zoo's cache through an installed training framework."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import onnxruntime as ort

from zoo_core.deploy import cache_dir
from zoo_core.errors import InvalidValue
from zoo_core.registry import FrameworkUnavailable, get_registry
from zoo_core.rundir import WEIGHTS, RunDir, sha256_of


def threads() -> int:
    """``OMP_NUM_THREADS`` when set, else the CPUs this process may use."""
    if os.environ.get("OMP_NUM_THREADS", "").isdigit():
        return max(1, int(os.environ["OMP_NUM_THREADS"]))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def session(path: Path, intra_threads: int | None = None) -> ort.InferenceSession:
    """A CPU session over ``path`` with a fixed number of intra-op threads."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = intra_threads or threads()
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def fits(model: ort.InferenceSession, sha: str, size: int) -> bool:
    """Whether a session's file is an export of these weights at ``size`` px."""
    meta = model.get_modelmeta().custom_metadata_map
    try:
        exported_size = json.loads(meta.get("zoo.input_size", "[]"))[-1]
    except (ValueError, IndexError):
        return False
    return meta.get("zoo.weights_sha256") == sha and exported_size == size


def export_error(run: Path, name: str, flag: str = "") -> FrameworkUnavailable:
    return FrameworkUnavailable(
        f"{run}: no up-to-date {name} for onnxruntime, and no installed framework can export "
        f"one: run 'zoo export {run} --format onnx{flag}' where torch or MindSpore is installed"
    )


def fp32_file(run: Path, sha: str, size: int) -> Path:
    """The run's ``model.onnx`` when it fits, else a cached export (made now if missing)."""
    from zoo_core import exporting

    cached = cache_dir() / "onnx" / f"{sha[:16]}-{size}.onnx"
    for path in (run / "model.onnx", cached):
        if path.is_file() and fits(session(path, 1), sha, size):
            return path
    registry = get_registry()
    try:
        exporter = exporting.choose_framework(registry, RunDir(run).read_config(), "onnx", None)
    except (FrameworkUnavailable, InvalidValue):
        raise export_error(run, "model.onnx") from None
    _stderr(f"exporting {run} at {size} px with {exporter} for onnxruntime into {cached}")
    exporting.export_run(str(run), "onnx", exporter, cached, image_size=size, echo=_stderr)
    return cached


def int8_file(run: Path, sha: str, size: int) -> Path:
    """The run's ``model.int8.onnx`` when it fits, else a cached quantization (made now)."""
    from zoo_core import exporting

    cached = cache_dir() / "onnx" / f"{sha[:16]}-{size}.int8.onnx"
    for path in (run / "model.int8.onnx", cached):
        if path.is_file() and fits(session(path, 1), sha, size):
            return path
    fp32 = fp32_file(run, sha, size)
    _stderr(f"quantizing {fp32} to int8 into {cached}")
    exporting.quantize_file(str(run), fp32, cached, size, echo=_stderr)
    return cached


def open_run(
    run: Path,
    config: dict[str, Any],
    size: int | None = None,
    int8: bool = False,
    intra: int | None = None,
) -> ort.InferenceSession:
    """A session for the run's fp32 (or int8) ONNX model at ``size`` px."""
    size = int(size or config["input_size"][-1])
    sha = sha256_of(run / WEIGHTS)
    path = int8_file(run, sha, size) if int8 else fp32_file(run, sha, size)
    return session(path, intra)


def _stderr(line: str) -> None:
    print(f"zoo: {line}", file=sys.stderr)
