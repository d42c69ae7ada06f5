"""Framework plugin: MindSpore (nn.Cell models, GRAPH_MODE training)."""

from __future__ import annotations

from zoo_core import FrameworkSpec, hookimpl


@hookimpl
def zoo_frameworks() -> list[FrameworkSpec]:
    """MindSpore: GRAPH_MODE trainer, canonical-name weights, MindIR/ONNX export."""
    return [
        FrameworkSpec(
            name="mindspore",
            description="MindSpore; GRAPH_MODE, WithLossCell + TrainOneStepCell, msrun",
            backend="zoo_mindspore.backend:backend",
            requires=("mindspore",),
            exporters=("mindir", "onnx"),
            runs=("mindir",),
        )
    ]
