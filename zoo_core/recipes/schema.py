"""What a recipe file holds: one frozen dataclass per TOML section (documented in docs/recipes.md).

A field typed ``tuple[X, ...]`` also accepts a single ``X`` (``framework = "torch"``); a head is
a list of hidden widths, so ``head = [512, 256]`` is one head and ``head = [[], [512]]`` two.
Fields without a default are required. A ``None`` default means "not given": the plan fills it
in with the dataset's demo default or else the study's setting (:mod:`zoo_core.study`), so a
recipe states only what differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Head = tuple[int, ...]

TABLE_KINDS: tuple[str, ...] = ("models", "heads", "frameworks")
REPORT_EPOCHS: tuple[str, ...] = ("best", "last")
ALL = "all"
DEFAULT_HEAD_KIND = "mlp"


@dataclass(frozen=True)
class About:
    """``[recipe]``: a name (the default output folder), a description, and the seeds: a count
    (``2`` → seeds 0 and 1) or a list of seeds."""

    name: str
    seeds: int | tuple[int, ...] = 3
    description: str = ""

    @property
    def seed_list(self) -> tuple[int, ...]:
        return tuple(range(self.seeds)) if isinstance(self.seeds, int) else self.seeds


@dataclass(frozen=True)
class DatasetSettings:
    """``[dataset]``: a dataset plugin's name, the subset (images per class, a fraction of each
    class, or ``"all"``), the sample mode (default: the dataset's first), where its files are
    (``--data`` overrides name and path) and ``[dataset.options]``, the plugin's options
    (``zoo train --data-option KEY=VALUE``)."""

    name: str
    mode: str = ""
    per_class: int | float | str | None = None
    path: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TrainSettings:
    """``[train]``: the training configuration shared by every experiment of the recipe."""

    epochs: int | None = None
    batch_size: int | None = None
    lr: float | None = None
    image_size: int | None = None
    optimizer: str | None = None
    momentum: float | None = None
    weight_decay: float | None = None
    schedule: str | None = None
    warmup_steps: int | None = None
    warmup_factor: float | None = None
    head_dropout: float = 0.0
    device: str = "auto"
    precision: str = "auto"
    workers: int = -1
    ms_mode: str = "graph"
    strict: bool = False
    tensorboard: bool = False
    init: str = ""
    """A weight source every experiment starts from (``zoo train --init``); empty: none."""


@dataclass(frozen=True)
class Sweep:
    """``[[sweep]]``: every combination of these architectures, heads and frameworks (each
    trained once per seed). Several sweeps add up; an experiment in two sweeps runs once.
    ``head_kind`` names the head plugin the widths are for."""

    architecture: tuple[str, ...]
    framework: tuple[str, ...]
    head: tuple[Head, ...] = ((),)
    head_kind: str = DEFAULT_HEAD_KIND


@dataclass(frozen=True)
class TableSettings:
    """``[[table]]``: one of the study's tables over the experiments that match the filters
    (an empty filter matches everything). ``kind`` picks the shape: ``models`` (Model |
    Framework | Precision | Recall | F1), ``heads`` (Hidden layers | F1 | Parameters (M)),
    ``frameworks`` (one column per framework, the first is the reference)."""

    kind: str
    title: str = ""
    architecture: tuple[str, ...] = ()
    head: tuple[Head, ...] = ()
    framework: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportSettings:
    """``[report]``: which epoch of each run the tables report: ``best`` (the saved checkpoint,
    best validation macro F1) or ``last``."""

    epoch: str = "best"


@dataclass(frozen=True)
class Recipe:
    """A whole recipe file."""

    recipe: About
    dataset: DatasetSettings
    sweep: tuple[Sweep, ...]
    train: TrainSettings = field(default_factory=TrainSettings)
    table: tuple[TableSettings, ...] = ()
    report: ReportSettings = field(default_factory=ReportSettings)
