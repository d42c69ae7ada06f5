"""The example plugin examples/zoo-cbam passes its own tests (zoo's conformance kit on
cbam_resnet18 in both frameworks). Slow: CI runs them through examples/zoo-cbam/ci.sh instead."""

from __future__ import annotations

import subprocess
import sys

import pytest
from plugin_kit_support import EXAMPLE


@pytest.mark.slow
def test_the_example_passes_its_own_tests() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
