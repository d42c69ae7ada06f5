"""The imagefolder tests' helpers live in ``imagefolder_support`` beside this file (importable from
the tests, which pytest imports in importlib mode, through the path added here)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
