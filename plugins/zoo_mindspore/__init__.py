"""Framework plugin: MindSpore (nn.Cell models, GRAPH_MODE training)."""

from __future__ import annotations

from zoo_core import FrameworkOption, FrameworkSpec, hookimpl
from zoo_mindspore import environment

MODE = FrameworkOption(
    name="ms_mode",
    choices=environment.MODES,
    help="MindSpore execution mode: graph (compiled) or pynative (eager).",
)


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
            session="zoo_mindspore.training:open_session",
            launcher="zoo_mindspore.launch:msrun",
            devices=("auto", *environment.DEVICES),
            precisions=("auto", "fp32"),
            options=(MODE,),
            runs=("mindir",),
        )
    ]
