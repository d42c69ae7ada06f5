"""A recipe states only what differs: the rest is the dataset's demo default or the study's
setting, and ``zoo run --dry-run`` prints every resolved value with where it came from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from zoo_core.recipes import make_plan
from zoo_core.registry import get_registry
from zoo_core.study import STUDY_DEFAULTS

SHORT = """\
[recipe]
name = "short"

[dataset]
name = "{dataset}"

[train]
optimizer = "sgd"
weight_decay = 5e-4

[[sweep]]
architecture = ["resnet18", "se_resnet18"]
framework = "torch"
"""


def write(tmp_path: Path, dataset: str = "hagrid-synth") -> Path:
    path = tmp_path / "short.toml"
    path.write_text(SHORT.format(dataset=dataset))
    return path


def test_keys_left_out_take_the_demo_defaults_then_the_study_settings(tmp_path: Path) -> None:
    plan = make_plan(write(tmp_path), get_registry())
    train, dataset = plan.recipe.train, plan.recipe.dataset
    demo = get_registry().datasets["hagrid-synth"].train_defaults
    assert (train.epochs, train.image_size) == (demo["epochs"], demo["image_size"])
    assert (train.batch_size, train.lr) == (STUDY_DEFAULTS["batch_size"], STUDY_DEFAULTS["lr"])
    assert (train.optimizer, train.weight_decay, train.schedule) == ("sgd", 5e-4, "constant")
    assert (dataset.mode, dataset.per_class, plan.recipe.recipe.seed_list) == (
        "crop",
        "all",
        (0, 1, 2),
    )
    assert plan.origins["train.epochs"] == "demo default"
    assert plan.origins["train.lr"] == "study"
    assert plan.origins["train.optimizer"] == "recipe"


def test_on_real_data_the_study_settings_fill_in(tmp_path: Path) -> None:
    folder = tmp_path / "hagrid"
    (folder / "ann_subsample").mkdir(parents=True)
    (folder / "ann_subsample" / "like.json").write_text("{}")  # read as HaGRID v1
    plan = make_plan(write(tmp_path, "hagrid"), get_registry(), data=str(folder))
    train = plan.recipe.train
    assert (train.epochs, train.image_size, train.lr) == (20, 224, 1e-3)


def test_dry_run_prints_the_resolved_settings(tmp_path: Path) -> None:
    zoo = Path(sys.executable).parent / "zoo"
    done = subprocess.run(
        [str(zoo), "run", str(write(tmp_path)), "--dry-run", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "train.epochs = 12  (demo default)" in lines
    assert "train.lr = 0.001  (study)" in lines
    assert "train.optimizer = 'sgd'  (recipe)" in lines
    assert sum(line.startswith("new ") for line in lines) == 6
    assert not (tmp_path / "out").exists()
