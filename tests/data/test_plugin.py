"""The plugin as zoo sees it: two datasets through the registry, and a cheap import."""

from __future__ import annotations

import subprocess
import sys

from zoo_hagrid.classes import V1_CLASSES

from zoo_core.lazy import resolve
from zoo_core.registry import get_registry


def test_datasets_are_registered_with_lazy_openers() -> None:
    datasets = get_registry(refresh=True).datasets
    real, synth = datasets["hagrid"], datasets["hagrid-synth"]
    assert not real.synthetic and synth.synthetic
    assert real.classes == synth.classes == V1_CLASSES
    assert resolve(real.opener).__name__ == "open_hagrid"
    assert resolve(synth.opener).__name__ == "open_synth"


def test_importing_the_plugin_is_cheap() -> None:
    code = (
        "import sys, typer, zoo_hagrid; zoo_hagrid.zoo_datasets(); "
        "zoo_hagrid.zoo_commands(typer.Typer()); "
        "print(sorted(m for m in ('numpy', 'PIL', 'zoo_hagrid.dataset') if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "[]"
