"""Fixtures of the plugin-kit tests; their helpers live in ``plugin_kit_support`` beside this file
(importable from the tests, which pytest imports in importlib mode, through the path added here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plugin_kit_support import Venv, make_venv  # noqa: E402


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """A fresh virtual environment over the project's, one per test module."""
    return make_venv(tmp_path_factory.mktemp("venv"))
