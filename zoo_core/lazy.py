"""Resolve ``"package.module:attribute"`` references, importing only when called."""

from __future__ import annotations

import importlib
from typing import Any


def resolve(reference: str) -> Any:
    """Import the module of ``"module:attribute"`` and return the (dotted) attribute."""
    module_name, _, attribute = reference.partition(":")
    obj: Any = importlib.import_module(module_name)
    for part in filter(None, attribute.split(".")):
        obj = getattr(obj, part)
    return obj
