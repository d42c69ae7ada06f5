"""A third-party dataset plugin, installed as its own distribution into a fresh venv, is a peer
of the built-in ones: ``zoo train --data PATH`` detects its folder and hands it the folder and
every ``--data-option``; a recipe's ``path`` and ``[dataset.options]`` reach it too; ``zoo eval
RUN`` reopens it with the folder and options config.json records. Uninstalling removes it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from plugin_kit_support import Venv

PYPROJECT = """
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "zoo-tallies"
version = "0.1.0"
dependencies = ["zoo"]

[project.entry-points.zoo]
tallies = "zoo_tallies"

[tool.setuptools]
packages = ["zoo_tallies"]
"""

HOOK = """
from zoo_core import DatasetSpec, hookimpl


@hookimpl
def zoo_datasets():
    return [
        DatasetSpec(
            name="tallies",
            description="Flat colours, one per class, counted in tallies.txt",
            opener="zoo_tallies.data:open_tallies",
            detect="zoo_tallies.data:detect",
        )
    ]
"""

DATA = '''
"""Each class is a flat colour; ``tallies.txt`` in the folder names the classes. The option
``per_split`` (required) is the number of samples per class and split; every option and the
folder are echoed in the description, so a test sees what the plugin received."""

from pathlib import Path

import numpy as np

from zoo_core.data import DataError, DataSplits, Recognition


def detect(root):
    if (Path(root) / "tallies.txt").is_file():
        return Recognition.own_files("tallies.txt names the classes")
    return Recognition.no("a tallies.txt naming the classes")


class Flat:
    def __init__(self, count, classes, size):
        self.count, self.classes, self.size = count, classes, size

    def __len__(self):
        return self.count * len(self.classes)

    def set_epoch(self, epoch):
        pass

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(index)
        label = index % len(self.classes)
        return np.full((self.size, self.size, 3), 40 * label, np.uint8), label


def open_tallies(request):
    if request.root is None:
        raise DataError("tallies needs a folder")
    if "per_split" not in request.options:
        raise DataError("tallies: option per_split is required")
    classes = tuple((Path(request.root) / "tallies.txt").read_text().split())
    count, size = int(request.options["per_split"]), request.image_size
    splits = DataSplits(classes, Flat(count, classes, size), Flat(count, classes, size))
    splits.description = {
        "dataset": "tallies",
        "synthetic": True,
        "root": str(request.root),
        "options": dict(request.options),
        "summary": f"tallies at {request.root}, options {request.options}",
    }
    return splits
'''

RECIPE = """
[recipe]
name = "tallies"
seeds = 1

[dataset]
name = "tallies"
path = "data"
per_class = "all"

[dataset.options]
per_split = 2
greeting = "from the recipe"

[train]
epochs = 1
batch_size = 8
lr = 1e-3
image_size = 32
workers = 0

[[sweep]]
architecture = "resnet18"
framework = "torch"
"""

TINY = "--epochs 1 --image-size 32 --batch-size 8 --workers 0"


@pytest.fixture(scope="module")
def installed(venv: Venv, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """zoo-tallies written and installed (editable, no deps) into the fresh venv; a data folder."""
    base = tmp_path_factory.mktemp("tallies")
    package = base / "zoo-tallies"
    (package / "zoo_tallies").mkdir(parents=True)
    (package / "pyproject.toml").write_text(PYPROJECT)
    (package / "zoo_tallies" / "__init__.py").write_text(textwrap.dedent(HOOK))
    (package / "zoo_tallies" / "data.py").write_text(DATA)
    venv.run(f"pip install --no-deps -e {package}", cwd=base)
    (base / "data").mkdir()
    (base / "data" / "tallies.txt").write_text("red green blue\n")
    return base


def config_of(run: Path) -> dict:
    return json.loads((run / "config.json").read_text())


def test_zoo_train_detects_its_folder_and_passes_the_options(installed: Path, venv: Venv) -> None:
    data = installed / "data"
    venv.run(
        f"zoo train resnet18 --data {data} -O per_split=3 --data-option greeting=hello {TINY} "
        "--out runs/train",
        cwd=installed,
    )
    config = config_of(installed / "runs" / "train")
    assert config["training"]["dataset"] == "tallies"
    assert config["label_names"] == ["red", "green", "blue"]
    assert config["dataset"]["root"] == str(data)
    assert config["dataset"]["options"] == {"per_split": 3, "greeting": "hello"}


def test_zoo_eval_reopens_the_recorded_folder_and_options(installed: Path, venv: Venv) -> None:
    run = installed / "runs" / "train"
    if not run.exists():
        pytest.skip("needs the run of the training test")
    metrics = json.loads(venv.run(f"zoo eval {run} --json", cwd=installed).stdout)
    assert metrics["dataset"]["root"] == str(installed / "data")
    assert metrics["dataset"]["options"] == {"per_split": 3, "greeting": "hello"}
    assert metrics["samples"] == 9
    changed = json.loads(venv.run(f"zoo eval {run} --json -O per_split=1", cwd=installed).stdout)
    assert changed["dataset"]["options"] == {"per_split": 1} and changed["samples"] == 3


def test_a_recipe_gives_it_its_path_and_options(installed: Path, venv: Venv) -> None:
    recipe = installed / "tallies.toml"
    recipe.write_text(RECIPE)
    venv.run(f"zoo run {recipe} --out sweep", cwd=installed)
    (run,) = (installed / "sweep" / "runs").iterdir()
    config = config_of(run)
    assert config["training"]["dataset"] == "tallies"
    assert config["dataset"]["root"] == str(installed / "data")
    assert config["dataset"]["options"] == {"per_split": 2, "greeting": "from the recipe"}


def test_an_unrecognised_folder_names_what_each_plugin_looks_for(installed, venv) -> None:
    other = installed / "notes"
    other.mkdir()
    (other / "readme.txt").write_text("no dataset here")
    result = venv.run(f"zoo train resnet18 --data {other} {TINY}", cwd=installed, check=False)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("zoo: error:")]
    assert len(errors) == 1, result.stderr
    line = errors[0]
    assert line.startswith(f"zoo: error: {other}: no installed dataset recognises")
    assert "tallies: a tallies.txt naming the classes" in line
    assert "imagefolder: one folder of images per class" in line


def test_uninstalling_removes_it(installed: Path, venv: Venv) -> None:
    venv.run("pip uninstall -y zoo-tallies", cwd=installed)
    assert "tallies" not in venv.run("zoo list", cwd=installed).stdout
    data = installed / "data"
    result = venv.run(f"zoo train resnet18 --data {data} {TINY}", installed, check=False)
    assert result.returncode == 1 and "no installed dataset recognises" in result.stderr
