"""Recipe validation: every kind of bad input fails before anything runs, with one message naming
the file, the key and what is allowed; the shipped recipes are valid and state the study's setup."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from zoo_core.data import DataError
from zoo_core.recipes import RecipeError, load_plan, make_plan
from zoo_core.recipes.plan import Plan
from zoo_core.registry import get_registry

REPO = Path(__file__).resolve().parents[2]

VALID = """\
[recipe]
name = "tiny"
seeds = 2

[dataset]
name = "hagrid-synth"
mode = "crop"
per_class = 4

[train]
epochs = 1
batch_size = 8
lr = 1e-3
image_size = 32

[[sweep]]
architecture = ["resnet18", "se_resnet18"]
head = []
framework = "torch"

[[table]]
kind = "models"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "recipe.toml"
    path.write_text(text)
    return path


def edited(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


def error_of(path: Path, **overrides: object) -> str:
    with pytest.raises(RecipeError) as caught:
        make_plan(path, get_registry(), **overrides)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") or message.startswith("--"), message
    return message


def test_devices_and_precisions_are_each_swept_frameworks_own(tmp_path: Path) -> None:
    both = edited('framework = "torch"', 'framework = ["mindspore", "torch"]')
    bf16 = write(tmp_path, both.replace("lr = 1e-3\n", 'lr = 1e-3\nprecision = "bf16"\n'))
    assert (
        "[train] precision = 'bf16': framework 'mindspore' ([[sweep]] #1) accepts auto, fp32"
        in (error_of(bf16))
    )
    npu = edited('framework = "torch"', 'framework = "mindspore"')
    npu = npu.replace("lr = 1e-3\n", 'lr = 1e-3\ndevice = "npu"\n')
    assert make_plan(write(tmp_path, npu), get_registry()).experiments


def test_the_valid_recipe_plans_every_model_for_every_seed(tmp_path: Path) -> None:
    plan = make_plan(write(tmp_path, VALID), get_registry())
    names = [experiment.name for experiment in plan.experiments]
    assert names == [
        "resnet18-linear-torch-seed0",
        "se_resnet18-linear-torch-seed0",
        "resnet18-linear-torch-seed1",
        "se_resnet18-linear-torch-seed1",
    ]
    assert plan.dataset == "hagrid-synth" and plan.data is None and plan.synthetic


BAD_INPUTS = {
    "unknown key": (
        ("epochs = 1", "epoch = 1"),
        ["[train] unknown key 'epoch'", "did you mean 'epochs'", "allowed: batch_size, device"],
    ),
    "unknown section": (
        ("[train]", "[trian]"),
        ["unknown section 'trian'", "did you mean 'train'", "allowed: dataset, recipe, report"],
    ),
    "string for an integer": (
        ("epochs = 1", 'epochs = "one"'),
        ["[train] epochs = 'one': expected an integer"],
    ),
    "float for an integer": (
        ("image_size = 32", "image_size = 32.5"),
        ["[train] image_size = 32.5: expected an integer"],
    ),
    "number for a name": (
        ('architecture = ["resnet18", "se_resnet18"]', "architecture = [18]"),
        ["[[sweep]] #1 architecture = [18]: expected a string or a list of strings"],
    ),
    "strings for head widths": (
        ("head = []", 'head = ["512"]'),
        ["head = ['512']: expected a list of integers or a list of lists of integers"],
    ),
    "missing key": (
        ('name = "tiny"\n', ""),
        ["[recipe] name is required: a string"],
    ),
    "unknown optimizer": (
        ("lr = 1e-3", 'lr = 1e-3\noptimizer = "lion"'),
        ["[train] optimizer = 'lion': expected one of adam, sgd, adamw"],
    ),
    "one-cycle with a warm-up": (
        ("lr = 1e-3", 'lr = 1e-3\nschedule = "onecycle"\nwarmup_steps = 10'),
        ["[train] warmup_steps = 10: the onecycle schedule has its own"],
    ),
    "momentum out of range": (
        ("lr = 1e-3", "lr = 1e-3\nmomentum = 1.0"),
        ["[train] momentum = 1.0: must be in [0, 1)"],
    ),
    "unknown architecture": (
        ('"se_resnet18"]', '"se_resnet81"]'),
        ["[[sweep]] #1 architecture: unknown architecture 'se_resnet81'", "se_resnet18"],
    ),
    "unknown framework": (
        ('framework = "torch"', 'framework = ["torch", "tensorflow"]'),
        ["[[sweep]] #1 framework: unknown framework 'tensorflow'", "mindspore", "torch"],
    ),
    "unknown head": (
        ("head = []", 'head = []\nhead_kind = "transformer"'),
        ["[[sweep]] #1 head_kind: unknown head 'transformer'", "Known:", "mlp"],
    ),
    "unknown dataset": (
        ('name = "hagrid-synth"', 'name = "imagenet"'),
        ["[dataset] name: unknown dataset 'imagenet'", "hagrid-synth"],
    ),
    "missing dataset path": (
        ('name = "hagrid-synth"', 'name = "hagrid"'),
        ["[dataset] path is missing", "dataset 'hagrid' reads real files", "--data PATH"],
    ),
    "dataset path that does not exist": (
        ('name = "hagrid-synth"', 'name = "hagrid"\npath = "no/such/folder"'),
        ["[dataset] path = 'no/such/folder'", "does not exist"],
    ),
    "a device the framework does not declare": (
        ("lr = 1e-3\n", 'lr = 1e-3\ndevice = "npu"\n'),
        ["[train] device = 'npu': framework 'torch' ([[sweep]] #1) accepts auto, cpu, cuda, gpu"],
    ),
    "an execution mode the framework does not declare": (
        ("lr = 1e-3\n", 'lr = 1e-3\nms_mode = "eager"\n'),
        ["[train] ms_mode = 'eager': expected one of graph, pynative"],
    ),
    "unknown mode": (
        ('mode = "crop"', 'mode = "crops"'),
        ["[dataset] mode = 'crops': expected one of crop, full_frame"],
    ),
    "zero epochs": (
        ("epochs = 1", "epochs = 0"),
        ["[train] epochs = 0: must be at least 1"],
    ),
    "unknown table kind": (
        ('kind = "models"', 'kind = "bars"'),
        ["[[table]] #1 kind = 'bars': expected one of models, heads, frameworks"],
    ),
    "table filter on nothing swept": (
        ('kind = "models"', 'kind = "models"\narchitecture = "resnet18.a1"'),
        ["[[table]] #1 architecture = 'resnet18.a1': no sweep has it"],
    ),
    "frameworks table over one framework": (
        ('kind = "models"', 'kind = "frameworks"'),
        ["[[table]] #1 kind = 'frameworks': compares frameworks; it matches only one"],
    ),
    "malformed TOML": (
        ("epochs = 1", "epochs = "),
        ["malformed TOML", "line 11"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_names_the_file_the_key_and_what_is_allowed(tmp_path: Path, case: str) -> None:
    (old, new), fragments = BAD_INPUTS[case]
    message = error_of(write(tmp_path, edited(old, new)))
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert "\n" not in message


def test_a_missing_recipe_file_is_one_clear_error(tmp_path: Path) -> None:
    assert "no such recipe file" in error_of(tmp_path / "absent.toml")


def test_seeds_override_must_be_positive(tmp_path: Path) -> None:
    assert "--seeds 0: must be at least 1" in error_of(write(tmp_path, VALID), seeds=0)


def hagrid_folder(parent: Path) -> Path:
    """A folder the hagrid plugin recognises: HaGRID v1 annotation files (detection lists them,
    reads none)."""
    folder = parent / "hagrid"
    (folder / "ann_subsample").mkdir(parents=True)
    (folder / "ann_subsample" / "like.json").write_text("{}")
    return folder


def test_data_override_detects_the_dataset_of_a_folder(tmp_path: Path) -> None:
    folder = hagrid_folder(tmp_path)
    plan = make_plan(write(tmp_path, VALID), get_registry(), data=str(folder), seeds=3)
    assert (plan.dataset, plan.data, plan.synthetic) == ("hagrid", str(folder), False)
    assert plan.recipe.recipe.seed_list == (0, 1, 2)


def test_a_folder_no_plugin_recognises_is_the_recipes_dataset(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    recipe = write(tmp_path, VALID.replace('name = "hagrid-synth"', 'name = "hagrid"'))
    plan = make_plan(recipe, get_registry(), data=str(empty))
    assert (plan.dataset, plan.data) == ("hagrid", str(empty))
    plan = make_plan(write(tmp_path, VALID), get_registry(), data=str(empty), dataset="hagrid")
    assert (plan.dataset, plan.data) == ("hagrid", str(empty))
    with pytest.raises(DataError, match="no installed dataset recognises"):
        get_registry().resolve_data(str(empty))  # zoo train --data reads no recipe


def test_zoo_run_reports_a_bad_recipe_as_one_error_line(tmp_path: Path) -> None:
    path = write(tmp_path, edited("epochs = 1", "epoch = 1"))
    result = subprocess.run(
        [sys.executable, "-m", "zoo_core", "run", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"zoo: error: {path}: [train] unknown key 'epoch'")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_zoo_run_reports_a_missing_data_folder(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    result = subprocess.run(
        [sys.executable, "-m", "zoo_core", "run", str(path), "--data", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "zoo: error: --data" in result.stderr and "no such folder" in result.stderr


SHIPPED = sorted((REPO / "recipes").glob("*/*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[f"{p.parent.name}/{p.name}" for p in SHIPPED])
def test_every_shipped_recipe_is_valid_and_survives_a_plan_round_trip(
    path: Path, tmp_path: Path
) -> None:
    data = str(hagrid_folder(tmp_path)) if path.parent.name in ("paper", "anchors") else None
    plan = make_plan(path, get_registry(), data=data)
    assert Plan.from_json(plan.to_json(), "plan.json") == plan
    plan.save(tmp_path)
    assert load_plan(tmp_path) == plan


@pytest.mark.parametrize("path", sorted((REPO / "recipes" / "paper").glob("*.toml")))
def test_paper_recipes_state_the_study_setup(path: Path, tmp_path: Path) -> None:
    recipe = make_plan(path, get_registry(), data=str(hagrid_folder(tmp_path))).recipe
    train = recipe.train
    assert (train.epochs, train.lr, train.image_size, train.batch_size) == (20, 1e-3, 224, 32)
    assert recipe.dataset.name == "hagrid" and recipe.dataset.mode == "crop"
    assert len(recipe.recipe.seed_list) >= 2
    heads = {head for sweep in recipe.sweep for head in sweep.head}
    if any(table.kind == "heads" for table in recipe.table):
        assert heads == {(), (512,), (512, 256), (512, 256, 128)}


def test_the_anchors_state_the_hagrid_authors_and_the_studys_settings(tmp_path: Path) -> None:
    anchors, data = REPO / "recipes" / "anchors", str(hagrid_folder(tmp_path))
    theirs = make_plan(anchors / "hagrid_v1.toml", get_registry(), data=data).recipe.train
    assert (theirs.optimizer, theirs.lr, theirs.momentum, theirs.weight_decay) == (
        "sgd", 0.005, 0.9, 5e-4,
    )  # fmt: skip
    assert (theirs.warmup_steps, theirs.warmup_factor, theirs.schedule) == (1000, 0.001, "constant")
    assert (theirs.epochs, theirs.batch_size, theirs.image_size) == (100, 64, 224)
    study = make_plan(anchors / "study.toml", get_registry(), data=data).recipe.train
    assert (study.optimizer, study.lr, study.schedule, study.weight_decay) == (
        "adam", 1e-3, "constant", 0.0,
    )  # fmt: skip
    assert (study.epochs, study.batch_size, study.image_size) == (20, 32, 224)
