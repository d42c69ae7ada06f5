"""Canonical parameter names and shapes of an MLP head, relative to the classifier's name.

No hidden layer: ``weight``/``bias`` (a plain Linear, as timm's ``fc``). Otherwise
``hidden.{i}.weight``/``bias`` for each hidden Linear and ``out.weight``/``bias``.
"""

from __future__ import annotations

from collections.abc import Sequence


def mlp(in_features: int, num_classes: int, hidden: Sequence[int]) -> dict[str, tuple[int, ...]]:
    if not hidden:
        return {"weight": (num_classes, in_features), "bias": (num_classes,)}
    shapes: dict[str, tuple[int, ...]] = {}
    width = in_features
    for index, size in enumerate(hidden):
        shapes[f"hidden.{index}.weight"] = (size, width)
        shapes[f"hidden.{index}.bias"] = (size,)
        width = size
    shapes["out.weight"] = (num_classes, width)
    shapes["out.bias"] = (num_classes,)
    return shapes
