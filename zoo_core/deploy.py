"""What a deployment needs to reproduce zoo's input and read an exported model.

:data:`PREPROCESSING` is the rule :func:`zoo_core.evaluation.load_image` follows (it reads its
settings from here), recorded in every run's ``config.json`` and in every ONNX export's
``metadata_props``. An exported graph takes the normalised ``float32 (N, 3, S, S)`` input
``images`` and returns ``logits (N, classes)``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from zoo_core.errors import InvalidValue

INPUT_NAME = "images"
OUTPUT_NAME = "logits"
PAD_COLOR: tuple[int, int, int] = (0, 0, 0)
RESIZE_FILTER = "bicubic"  # a Pillow Image.Resampling name, lower case

PREPROCESSING: dict[str, Any] = {
    "library": "Pillow",
    "steps": [
        "open the file; if it is a JPEG, Image.draft('RGB', (S, S)) decodes it at the largest "
        "DCT scale of 1/2, 1/4 or 1/8 that keeps both sides >= S (full size otherwise)",
        "convert to RGB",
        "ImageOps.pad(image, (S, S), method=BICUBIC, color=(0, 0, 0), centering=(0.5, 0.5)): "
        "resize the longest side to S keeping the aspect ratio, centre on a black S x S square",
        "float32 x / 255, then (x - mean) / std per RGB channel",
        "HWC -> CHW, stack to NCHW",
    ],
    "jpeg_draft": True,
    "pad": "centre to square",
    "pad_color": list(PAD_COLOR),
    "resize_filter": RESIZE_FILTER,
    "scale": 1 / 255,
    "layout": "NCHW",
    "dtype": "float32",
}


def preprocessing_rule() -> dict[str, Any]:
    """A copy of :data:`PREPROCESSING`, for ``config.json``."""
    return json.loads(json.dumps(PREPROCESSING))


def normalize(images: np.ndarray, mean: Any, std: Any) -> np.ndarray:
    """``uint8 (N, H, W, 3)`` → the exported graph's ``float32 (N, 3, H, W)`` input."""
    images = np.asarray(images)
    if images.dtype != np.uint8 or images.ndim != 4 or images.shape[-1] != 3:
        raise InvalidValue(
            f"expected uint8 images of shape (N, H, W, 3), got {images.dtype} {images.shape}"
        )
    scaled = images.astype(np.float32) / 255.0
    scaled = (scaled - np.asarray(mean, np.float32)) / np.asarray(std, np.float32)
    return np.ascontiguousarray(scaled.transpose(0, 3, 1, 2))


def export_metadata(config: dict[str, Any], weights_sha256: str, **extra: str) -> dict[str, str]:
    """String key/values for an export's metadata (ONNX ``metadata_props``)."""
    size = int(config["input_size"][-1])
    data = {
        "zoo.architecture": config["architecture"],
        "zoo.label_names": json.dumps(list(config["label_names"])),
        "zoo.num_classes": str(config["num_classes"]),
        "zoo.mean": json.dumps(list(config["mean"])),
        "zoo.std": json.dumps(list(config["std"])),
        "zoo.input_size": json.dumps([3, size, size]),
        "zoo.input": INPUT_NAME,
        "zoo.output": OUTPUT_NAME,
        "zoo.preprocessing": json.dumps(config.get("preprocessing") or preprocessing_rule()),
        "zoo.weights_sha256": weights_sha256,
        "zoo.trained_with": str(config.get("framework", "")),
        "zoo.version": str(config.get("zoo_version", "")),
    }
    data.update(extra)
    return data


def stamp_onnx(path: Any, metadata: dict[str, str], opset: int = 17) -> None:
    """Give an ONNX file zoo's input/output names, a dynamic batch axis, ``opset`` (converted
    when older) and ``metadata`` as ``metadata_props``; checked with ``onnx.checker``."""
    import onnx
    from onnx import version_converter

    model = onnx.load(str(path))
    graph = model.graph
    inputs = [i for i in graph.input if i.name not in {init.name for init in graph.initializer}]
    if len(inputs) != 1 or len(graph.output) != 1:
        raise InvalidValue(f"{path}: expected one input and one output")
    renames = {inputs[0].name: INPUT_NAME, graph.output[0].name: OUTPUT_NAME}
    for node in graph.node:
        node.input[:] = [renames.get(name, name) for name in node.input]
        node.output[:] = [renames.get(name, name) for name in node.output]
    inputs[0].name, graph.output[0].name = INPUT_NAME, OUTPUT_NAME
    for value in (inputs[0], graph.output[0]):
        batch = value.type.tensor_type.shape.dim[0]
        batch.ClearField("dim_value")
        batch.dim_param = "batch"
    del graph.value_info[:]  # shapes inferred at batch 1 would contradict the dynamic axis
    current = max((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), default=0)
    if current < opset:
        model = version_converter.convert_version(model, opset)
        model.ir_version = max(model.ir_version, 8)
    del model.metadata_props[:]
    onnx.helper.set_model_props(model, metadata)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))


def read_onnx_metadata(path: Any) -> dict[str, str]:
    """The ``metadata_props`` of an ONNX file (without loading its weights into numpy)."""
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    return {prop.key: prop.value for prop in model.metadata_props}


def cache_dir() -> Path:
    """``$ZOO_CACHE_DIR``, or ``~/.cache/zoo``: where on-the-fly exports are kept."""
    return Path(os.environ.get("ZOO_CACHE_DIR") or Path.home() / ".cache" / "zoo").expanduser()
