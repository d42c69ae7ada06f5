"""``zoo export --framework mindspore``: MindIR (dynamic batch) and ONNX.

Both take the normalised ``float32 (N, 3, H, W)`` input; mean and std are in ``config.json``.
MindSpore's ONNX exporter accepts static shapes only (and writes opset 11), so the graph is
exported at batch 1; ``zoo export`` then makes its batch axis dynamic, names it and converts it
to opset 17 (:func:`zoo_core.deploy.stamp_onnx`) and verifies it at batch N and 1.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from zoo_core.errors import InvalidValue

SUFFIXES = {"mindir": ".mindir", "onnx": ".onnx"}


def export(model: Any, fmt: str, path: Path, image_size: int) -> Path:
    """Write ``model`` (eval mode) as ``fmt`` to ``path``, atomically; return the path."""
    import mindspore as ms

    if fmt not in SUFFIXES:
        raise InvalidValue(f"MindSpore exports {', '.join(SUFFIXES)}, not {fmt!r}")
    shape = (3, image_size, image_size)
    if fmt == "mindir":
        example = ms.Tensor(shape=[None, *shape], dtype=ms.float32)
    else:
        example = ms.Tensor(np.zeros((1, *shape), np.float32))
    model.set_train(False)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{path.name}.", dir=path.parent) as folder:
        stem = Path(folder) / "model"
        ms.export(model, example, file_name=str(stem), file_format=fmt.upper())
        written = stem.with_suffix(SUFFIXES[fmt])
        os.chmod(written, 0o644)  # MindSpore writes exports read-only
        os.replace(written, path)
    return path
