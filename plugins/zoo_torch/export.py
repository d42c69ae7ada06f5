"""Exporting a trained model: ONNX and TorchScript.

The exported graph takes the normalized ``float32 (N, 3, H, W)`` input (mean/std are in the run's
``config.json``) and returns logits ``(N, classes)``; the batch dimension is dynamic.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import torch

from zoo_core.errors import InvalidValue
from zoo_core.registry import FrameworkUnavailable


def example_input(model: torch.nn.Module, image_size: int) -> torch.Tensor:
    device = next(model.parameters()).device
    return torch.zeros(2, 3, image_size, image_size, device=device)


def to_onnx(model: torch.nn.Module, path: Path, image_size: int) -> Path:
    if importlib.util.find_spec("onnx") is None:
        raise FrameworkUnavailable("ONNX export needs the 'onnx' package: pip install onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (DeprecationWarning, FutureWarning))
        torch.onnx.export(
            model,
            (example_input(model, image_size),),
            str(path),
            input_names=["images"],
            output_names=["logits"],
            dynamic_axes={"images": {0: "batch"}, "logits": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    import onnx

    onnx.checker.check_model(str(path))
    return path


def to_torchscript(model: torch.nn.Module, path: Path, image_size: int) -> Path:
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # TorchScript is deprecated, still loadable
        traced = torch.jit.trace(model, example_input(model, image_size))
        traced.save(str(path))
    return path


EXPORTERS = {"onnx": to_onnx, "torchscript": to_torchscript}


def export(model: torch.nn.Module, fmt: str, path: Path, image_size: int) -> Path:
    if fmt not in EXPORTERS:
        raise InvalidValue(f"torch cannot export {fmt!r}; it exports {', '.join(EXPORTERS)}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    was_training = model.training
    model.eval()
    try:
        return EXPORTERS[fmt](model, path, image_size)
    finally:
        model.train(was_training)
