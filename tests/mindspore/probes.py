"""Measurements the MindSpore tests make in a process of their own; each prints one JSON line.

``python probes.py frameworks``    parameter counts and names in both frameworks, and the
                                   max |Δ logit| both ways for every architecture × head
``python probes.py weights DIR RUN MINDIR``  save/load round trip, refused misfits, and the
                                   exports of RUN: MINDIR (reloaded and run) and ONNX
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ARCHITECTURES = ("resnet18", "se_resnet18")
HEADS = ("", "512", "512,256", "512,256,128")
NUM_CLASSES = 18
IMAGE_SIZE = 64


def cases() -> list[tuple[str, str]]:
    return [(arch, head) for arch in ARCHITECTURES for head in HEADS]


def case_id(arch: str, head: str) -> str:
    return f"{arch}[{head}]"


def torch_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("torch", "timm"))


BUILT: dict[tuple[str, str, str], tuple[Any, Any]] = {}


def build(arch: str, head: str, framework: str) -> tuple[Any, Any]:
    """The model (built once per process) and the framework's backend."""
    from zoo_core.registry import get_registry

    registry = get_registry()
    if (arch, head, framework) not in BUILT:
        model = registry.build(arch, framework, head, NUM_CLASSES)
        BUILT[arch, head, framework] = model, registry.backend(framework)
    return BUILT[arch, head, framework]


def layout(state: dict[str, np.ndarray]) -> dict[str, list]:
    return {name: [list(value.shape), value.dtype.str] for name, value in state.items()}


def models() -> dict[str, Any]:
    report: dict[str, Any] = {}
    for arch, head in cases():
        model, backend = build(arch, head, "mindspore")
        entry = {
            "count": backend.parameter_count(model),
            "mindspore_names": [p.name for p in model.get_parameters()],
            "state": layout(backend.state_dict(model)),
            "torch_state": None,
            "torch_count": None,
        }
        if torch_available():
            torch_model, torch_backend = build(arch, head, "torch")
            entry["torch_state"] = layout(torch_backend.state_dict(torch_model))
            entry["torch_count"] = torch_backend.parameter_count(torch_model)
        report[case_id(arch, head)] = entry
    return report


def logits(backend: Any, model: Any, images: np.ndarray) -> np.ndarray:
    from zoo_core.specs import IMAGENET_MEAN, IMAGENET_STD

    return np.asarray(backend.predict(model, images, IMAGENET_MEAN, IMAGENET_STD), np.float64)


def parity() -> dict[str, Any]:
    """Random weights and BatchNorm statistics in one framework, exported under canonical names,
    loaded into the other: both give the same eval-mode logits."""
    from zoo_mindspore import environment

    from zoo_core.testing.arrays import images, synthetic_state

    batch = images(4, IMAGE_SIZE, seed=11)
    report: dict[str, Any] = {}
    for index, (arch, head) in enumerate(cases()):
        ms_model, ms_backend = build(arch, head, "mindspore")
        torch_model, torch_backend = build(arch, head, "torch")
        entry: dict[str, Any] = {}
        for source, target in (("torch", "mindspore"), ("mindspore", "torch")):
            models_ = {"torch": (torch_model, torch_backend), "mindspore": (ms_model, ms_backend)}
            source_model, source_backend = models_[source]
            target_model, target_backend = models_[target]
            template = source_backend.state_dict(source_model)
            seed = 2 * index + (source == "torch")
            source_backend.load_state_dict(source_model, synthetic_state(template, seed=seed))
            target_backend.load_state_dict(target_model, source_backend.state_dict(source_model))
            expected = logits(source_backend, source_model, batch)
            got = logits(target_backend, target_model, batch)
            entry[f"{source}->{target}"] = float(np.abs(expected - got).max())
            entry["logit_std"] = float(expected.std())
        # The statistics matter: the default ones (mean 0, variance 1) change the logits.
        state = ms_backend.state_dict(ms_model)
        defaults = {
            name: (np.ones_like(v) if name.endswith("running_var") else np.zeros_like(v))
            if name.endswith(("running_mean", "running_var"))
            else v
            for name, v in state.items()
        }
        with_stats = logits(ms_backend, ms_model, batch)
        ms_backend.load_state_dict(ms_model, defaults)
        without = logits(ms_backend, ms_model, batch)
        entry["statistics_effect"] = float(np.abs(with_stats - without).max())
        ms_backend.load_state_dict(ms_model, state)
        if not head:  # GRAPH_MODE compiles the same network: the same logits
            environment.configure(mode="graph")
            entry["graph_mode_vs_pynative"] = float(
                np.abs(logits(ms_backend, ms_model, batch) - with_stats).max()
            )
            environment.configure(mode="pynative")
        report[case_id(arch, head)] = entry
    return report


def weights(folder: Path) -> dict[str, Any]:
    """Round trip through a run directory's safetensors, and what misfits raise."""
    from zoo_core.rundir import RunDir, WeightsError
    from zoo_core.testing.arrays import synthetic_state

    model, backend = build("se_resnet18", "512", "mindspore")
    state = synthetic_state(backend.state_dict(model), seed=5)
    run = RunDir(folder)
    run.save_weights(state, {"probe": "weights"})
    backend.load_state_dict(model, run.load_weights())
    back = backend.state_dict(model)
    report: dict[str, Any] = {
        "same_names": sorted(back) == sorted(state),
        "bit_equal": all(
            back[k].dtype == v.dtype and np.array_equal(back[k], v) for k, v in state.items()
        ),
        "counter_dtype": back["bn1.num_batches_tracked"].dtype.str,
        "counter_shape": list(back["bn1.num_batches_tracked"].shape),
    }
    without_counters = {k: v for k, v in state.items() if not k.endswith("num_batches_tracked")}
    backend.load_state_dict(model, without_counters)  # torch's counters are optional
    misfits = {
        "missing": {k: v for k, v in state.items() if k != "layer2.0.se.fc1.weight"},
        "unexpected": {**state, "layer9.conv.weight": np.zeros(3, np.float32)},
        "shape": {**state, "fc.out.weight": np.zeros((7, 512), np.float32)},
        "both_names_for_bn": {**state, "bn1.gamma": state["bn1.weight"]},
    }
    own_names = {k: v for k, v in state.items() if k != "bn1.weight"}
    backend.load_state_dict(model, {**own_names, "bn1.gamma": state["bn1.weight"]})
    report["accepts_mindspore_names"] = True
    errors: dict[str, str | None] = {}
    for what, misfit in misfits.items():
        try:
            backend.load_state_dict(model, misfit)
            errors[what] = None
        except WeightsError as error:
            errors[what] = str(error)
    report["errors"] = errors
    return report


def exports(folder: Path, run: Path, mindir: Path) -> dict[str, Any]:
    """``mindir`` (``zoo export`` of ``run``), loaded back as a GraphCell, gives the run's
    logits; an ONNX export is written."""
    import mindspore as ms
    from mindspore import nn

    from zoo_core import checkpoint
    from zoo_core.testing.arrays import images, normalized

    loaded = checkpoint.load(str(run), "mindspore")
    mean, std = tuple(loaded.config["mean"]), tuple(loaded.config["std"])
    size = int(loaded.config["input_size"][-1])
    batch = images(3, size, seed=2)
    expected = logits(loaded.backend, loaded.model, batch)
    graph = nn.GraphCell(ms.load(str(mindir)))
    exported = graph(ms.Tensor(normalized(batch, mean, std))).asnumpy()
    onnx = loaded.backend.export(loaded.model, "onnx", folder / "model.onnx", size)
    return {
        "mindir_delta": float(np.abs(exported - expected).max()),
        "logit_std": float(expected.std()),
        "onnx": str(onnx),
        "onnx_bytes": onnx.stat().st_size,
        "onnx_head": onnx.read_bytes()[:64].hex(),
    }


def main(argv: list[str]) -> None:
    from zoo_mindspore import environment

    environment.prepare()
    name, *args = argv
    if name == "frameworks":
        result = {"models": models(), "parity": parity() if torch_available() else None}
    elif name == "weights":
        folder, run, mindir = (Path(arg) for arg in args)
        result = {**weights(folder), "exports": exports(folder, run, mindir)}
    else:
        raise SystemExit(f"unknown probe {name!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
