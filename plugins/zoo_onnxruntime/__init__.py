"""Framework plugin: ONNX Runtime, inference only (runs ONNX exports; trains nothing)."""

from __future__ import annotations

from zoo_core import FrameworkSpec, hookimpl


@hookimpl
def zoo_frameworks() -> list[FrameworkSpec]:
    """ONNX Runtime: predict, eval and bench on exported ONNX files; static int8."""
    return [
        FrameworkSpec(
            name="onnxruntime",
            description="ONNX Runtime (CPU), inference only: runs a run's model.onnx, int8 QDQ",
            backend="zoo_onnxruntime.backend:backend",
            requires=("onnxruntime", "onnx"),
            runs=("onnx",),
        )
    ]
