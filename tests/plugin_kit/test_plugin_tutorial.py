"""The tutorial of docs/plugins.md followed from a clean folder in a fresh venv: its files, its
install-and-look steps; then plugin management: a run whose plugin is left out or uninstalled
names the distribution to install, and uninstalling removes the architecture."""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from pathlib import Path

import pytest
from plugin_kit_support import Venv, blocks_tagged, write_tutorial

BUILT_INS = "resnet,heads,hagrid,torch,mindspore"
RECORD_RUN = """
import sys
from pathlib import Path

from zoo_core.data import DataSplits
from zoo_core.framework import TrainJob
from zoo_core.registry import get_registry, parameter_count
from zoo_core.rundir import RunDir
from zoo_core.training import run_config


class Recorded:
    '''What a framework session tells run_config: versions and parameter count.'''

    def __init__(self, parameters):
        self.parameters = parameters

    def versions(self):
        return {}

    def parameter_count(self):
        return self.parameters


registry = get_registry()
arch = registry.architecture("cbam_resnet18")
job = TrainJob("cbam_resnet18", "torch", out=Path(sys.argv[1]))
splits = DataSplits(classes=arch.label_names, train=[], val=[])
count = parameter_count(registry, arch.name, job.head, len(arch.label_names))
RunDir(job.out).write_config(run_config(job, arch, splits, Recorded(count)))
"""


@dataclass
class Tutorial:
    folder: Path
    run: Path
    outputs: dict[str, str]


@pytest.fixture(scope="module")
def tutorial(venv: Venv, tmp_path_factory: pytest.TempPathFactory) -> Tutorial:
    """Write the tutorial's files into an empty folder and run its install-and-look block line by
    line in a fresh venv; then record a cbam_resnet18 run's config while the plugin is there."""
    folder = tmp_path_factory.mktemp("tutorial") / "zoo-cbam"
    write_tutorial(folder)
    (block,) = blocks_tagged("bash")
    outputs = {line: venv.run(line, cwd=folder).stdout for line in block.lines()}
    script, run = folder.parent / "record_run.py", folder.parent / "run"
    script.write_text(RECORD_RUN)
    venv.run(f"python {script} {run}", cwd=folder)
    return Tutorial(folder, run, outputs)


def row_with(text: str, output: str) -> str:
    return next(line for line in output.splitlines() if text in line)


def test_the_steps_install_it_with_pip(tutorial: Tutorial) -> None:
    assert list(tutorial.outputs)[0] == "pip install -e ."
    assert "Successfully installed zoo-cbam-0.1.0" in tutorial.outputs["pip install -e ."]


def test_zoo_list_shows_it_in_both_frameworks(tutorial: Tutorial) -> None:
    row = row_with("cbam_resnet18", tutorial.outputs["zoo list"])
    assert row.count("✓") == 2 and "zoo-cbam" in row


def manifest_of(path: Path) -> dict[str, tuple[int, ...]]:
    """The tutorial's ``cbam_resnet18`` shape manifest, loaded from its file (pure Python)."""
    spec = importlib.util.spec_from_file_location("tutorial_cbam_shapes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.cbam_resnet18()


def test_zoo_info_counts_parameters_from_the_manifest(tutorial: Tutorial) -> None:
    shapes = manifest_of(tutorial.folder / "zoo_cbam" / "shapes.py")
    classes = 18
    linear = sum(map(math.prod, shapes.values())) + 512 * classes + classes
    assert f"{linear:,}" in row_with("linear", tutorial.outputs["zoo info cbam_resnet18"])


def test_zoo_plugins_shows_it(tutorial: Tutorial) -> None:
    row = row_with("zoo-cbam", tutorial.outputs["zoo plugins"])
    assert "cbam" in row and "0.1.0" in row and "zoo_architectures" in row and "ok" in row


MISSING = (
    "architecture 'cbam_resnet18' is provided by 'zoo-cbam', which is not installed: "
    "pip install zoo-cbam"
)


def test_a_run_whose_plugin_is_left_out_names_the_distribution(tutorial, venv: Venv) -> None:
    result = venv.run(f"zoo eval {tutorial.run}", tutorial.folder, False, ZOO_PLUGINS=BUILT_INS)
    assert result.returncode == 1
    assert result.stderr.strip() == f"zoo: error: {tutorial.run}: {MISSING}"


def test_uninstalling_removes_it_and_its_runs_name_the_distribution(tutorial, venv) -> None:
    venv.run("pip uninstall -y zoo-cbam", cwd=tutorial.folder)
    assert "cbam_resnet18" not in venv.run("zoo list", cwd=tutorial.folder).stdout
    assert "zoo-cbam" not in venv.run("zoo plugins", cwd=tutorial.folder).stdout
    result = venv.run(f"zoo predict {tutorial.run} x.png", tutorial.folder, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == f"zoo: error: {tutorial.run}: {MISSING}"
