"""The study's three table shapes, built from model summaries, each with what it was measured on.

``models``: Model | Framework | Precision | Recall | F1 (ResNet18 vs SE-ResNet18).
``heads``: Hidden layers | F1 | Parameters (M) (the MLP head depth search).
``frameworks``: Metric | one column per framework | Δ against the first (MindSpore vs PyTorch).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zoo_core.recipes.experiments import Model
from zoo_core.recipes.plan import Plan
from zoo_core.recipes.results import ModelSummary, RunResult, Stat, model_json
from zoo_core.recipes.schema import ALL, DEFAULT_HEAD_KIND, TableSettings, TrainSettings
from zoo_core.recipes.stats import Comparison, paired_difference

FRAMEWORK_NAMES = {"torch": "PyTorch", "mindspore": "MindSpore"}
DEFAULT_TITLES = {"models": "Models", "heads": "MLP head depth", "frameworks": "Frameworks"}
Rows = tuple[list[str], list[list[str]]]


def framework_name(name: str) -> str:
    return FRAMEWORK_NAMES.get(name, name)


def head_name(model: Model) -> str:
    """``0 []``, ``2 [512, 256]`` (hidden layers, then widths); the kind if not the MLP."""
    text = f"{len(model.head)} {list(model.head)}"
    return text if model.head_kind == DEFAULT_HEAD_KIND else f"{model.head_kind} {text}"


def model_name(model: Model) -> str:
    if not model.head and model.head_kind == DEFAULT_HEAD_KIND:
        return model.architecture
    return f"{model.architecture} + {model.head_kind.upper()} {list(model.head)}"


def millions(count: int | None) -> str:
    return f"{count / 1e6:.3f}" if count is not None else "–"


def score(summary: ModelSummary, metric: str, digits: int = 3) -> str:
    """``mean ± std`` over the finished seeds, ``–`` when none finished."""
    return summary.stat(metric).text(digits) if summary.runs else "–"


def seeds_note(summary: ModelSummary) -> str:
    if len(summary.runs) == len(summary.planned_seeds):
        return ""
    return f" ({len(summary.runs)} of {len(summary.planned_seeds)} seeds)"


CI_COLUMN = "F1 95 % CI (bootstrap, per run)"


def reference_of(kind: str, summaries: list[ModelSummary]) -> ModelSummary | None:
    """What a table compares with: the linear head in a heads table, else the first row (the
    first framework of a frameworks table)."""
    if not summaries:
        return None
    if kind == "heads":
        linear = [s for s in summaries if not s.model.head]
        if linear:
            return linear[0]
    return summaries[0]


def compare(reference: ModelSummary | None, other: ModelSummary) -> Comparison | None:
    """``other − reference`` in macro F1, paired over the seeds both finished."""
    if reference is None or reference is other:
        return None
    return paired_difference(reference.by_seed("f1"), other.by_seed("f1"))


def comparisons_of(kind: str, summaries: list[ModelSummary]) -> list[tuple[Model, Comparison]]:
    if kind == "frameworks":
        pairs = []
        for group in framework_groups(summaries).values():
            present = [s for s in group.values()]
            pairs += [(s.model, compare(present[0], s)) for s in present[1:]]
        return [(model, c) for model, c in pairs if c]
    reference = reference_of(kind, summaries)
    found = [(s.model, compare(reference, s)) for s in summaries]
    return [(model, c) for model, c in found if c]


def comparison_cells(reference: ModelSummary | None, summary: ModelSummary) -> list[str]:
    found = compare(reference, summary)
    if reference is summary:
        return ["(reference)", ""]
    return [found.text(), found.verdict] if found else ["–", "–"]


def comparison_columns(reference: ModelSummary | None, name: Callable[[Model], str]) -> list[str]:
    against = name(reference.model) if reference else "reference"
    return [f"Δ F1 vs {against} [95 % CI, paired over seeds]", "Verdict"]


@dataclass
class Table:
    """A rendered table: header, text rows, what it was measured on, the numbers behind it."""

    kind: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    measured_on: str
    models: list[ModelSummary] = field(default_factory=list)
    comparisons: list[tuple[Model, Comparison]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "columns": self.columns,
            "rows": self.rows,
            "measured_on": self.measured_on,
            "models": [summary.to_json() for summary in self.models],
            "comparisons": [
                {"model": model_json(model), **comparison.to_json()}
                for model, comparison in self.comparisons
            ],
        }


def models_table(summaries: list[ModelSummary]) -> Rows:
    reference = reference_of("models", summaries)
    columns = ["Model", "Framework", "Precision", "Recall", "F1", CI_COLUMN]
    columns += comparison_columns(reference, model_name)
    rows = [
        [
            model_name(s.model) + seeds_note(s),
            framework_name(s.model.framework),
            *(score(s, metric) for metric in ("precision", "recall", "f1")),
            s.intervals_text(),
            *comparison_cells(reference, s),
        ]
        for s in summaries
    ]
    return columns, rows


def heads_table(summaries: list[ModelSummary]) -> Rows:
    """Model and Framework columns appear only when the table spans several of them."""
    lead: list[tuple[str, Callable[[Model], str]]] = []
    if len({s.model.architecture for s in summaries}) > 1:
        lead.append(("Model", lambda model: model.architecture))
    if len({s.model.framework for s in summaries}) > 1:
        lead.append(("Framework", lambda model: framework_name(model.framework)))
    reference = reference_of("heads", summaries)
    columns = [title for title, _ in lead] + ["Hidden layers", "F1", "Parameters (M)", CI_COLUMN]
    columns += comparison_columns(reference, head_name)
    rows = [
        [
            *(cell(s.model) for _, cell in lead),
            head_name(s.model) + seeds_note(s),
            score(s, "f1"),
            millions(s.parameters),
            s.intervals_text(),
            *comparison_cells(reference, s),
        ]
        for s in summaries
    ]
    return columns, rows


FRAMEWORK_ROWS: tuple[tuple[str, str, int], ...] = (
    ("Precision", "precision", 3),
    ("Recall", "recall", 3),
    ("F1", "f1", 3),
    ("Accuracy", "accuracy", 3),
    ("Training speed (img/s)", "images_per_s", 1),
)


def frameworks_table(summaries: list[ModelSummary]) -> Rows:
    """Rows are metrics, columns frameworks; Δ columns compare each with the first."""
    frameworks = list(dict.fromkeys(s.model.framework for s in summaries))
    reference, others = frameworks[0], frameworks[1:]
    groups = framework_groups(summaries)
    lead = ["Model"] if len(groups) > 1 else []
    columns = [*lead, "Metric", *(framework_name(fw) for fw in frameworks)]
    columns += [f"Δ ({framework_name(fw)} − {framework_name(reference)})" for fw in others]
    rows: list[list[str]] = []
    for by_framework in groups.values():
        present = [by_framework.get(fw) for fw in frameworks]
        label = [model_name(next(s for s in present if s).model)] if lead else []
        for title, metric, digits in FRAMEWORK_ROWS:
            stats: list[Stat | None] = [s.stat(metric) if s and s.runs else None for s in present]
            cells = [score(s, metric, digits) if s else "–" for s in present]
            base = stats[0]
            deltas = [
                f"{stat.mean - base.mean:+.{digits}f}" if stat and base else "–"
                for stat in stats[1:]
            ]
            rows.append([*label, title, *cells, *deltas])
        counts = [millions(s.parameters) if s else "–" for s in present]
        rows.append([*label, "Parameters (M)", *counts, *("" for _ in others)])
        seeds = [str(len(s.runs)) if s else "0" for s in present]
        rows.append([*label, "Seeds", *seeds, *("" for _ in others)])
        intervals = [s.intervals_text() if s else "–" for s in present]
        rows.append([*label, CI_COLUMN, *intervals, *("" for _ in others)])
        found = [compare(present[0], s) if present[0] and s else None for s in present[1:]]
        blank = ["" for _ in frameworks]
        texts = [c.text() if c else "–" for c in found]
        rows.append([*label, "Δ F1 [95 % CI, paired over seeds]", *blank, *texts])
        rows.append([*label, "Verdict", *blank, *(c.verdict if c else "–" for c in found)])
    return columns, rows


def framework_groups(
    summaries: list[ModelSummary],
) -> dict[tuple[str, str, tuple[int, ...]], dict[str, ModelSummary]]:
    """The summaries of one architecture + head, by framework (in table order)."""
    groups: dict[tuple[str, str, tuple[int, ...]], dict[str, ModelSummary]] = {}
    for s in summaries:
        key = (s.model.architecture, s.model.head_kind, s.model.head)
        groups.setdefault(key, {})[s.model.framework] = s
    return groups


BUILDERS: dict[str, Callable[[list[ModelSummary]], Rows]] = {
    "models": models_table,
    "heads": heads_table,
    "frameworks": frameworks_table,
}


def _values(results: list[RunResult], pick: Callable[[RunResult], Any]) -> str:
    """The distinct values over runs: ``"576"``, ``"570–581"`` or ``"v1, v2"``."""
    values = sorted({value for value in map(pick, results) if value is not None})
    if not values:
        return "?"
    if len(values) > 1 and all(isinstance(value, int) for value in values):
        return f"{values[0]:,}–{values[-1]:,}"
    return ", ".join(f"{value:,}" if isinstance(value, int) else str(value) for value in values)


def subset_text(per_class: int | float | str) -> str:
    if per_class == ALL:
        return "all images"
    if per_class >= 1:
        return f"at most {int(per_class)} images per class"
    return f"{per_class:.0%} of each class"


OPTIMIZER_NAMES = {"adam": "Adam", "sgd": "SGD", "adamw": "AdamW"}
SCHEDULE_NAMES = {"constant": "constant", "cosine": "cosine decay", "onecycle": "one-cycle"}


def optimizer_text(train: TrainSettings) -> str:
    """``SGD (momentum 0.9, weight decay 0.0005), lr 0.005, warm-up 1000 steps, constant``."""
    name = str(train.optimizer)
    details = [f"momentum {train.momentum:g}"] if name == "sgd" else []
    if train.weight_decay:
        details.append(f"weight decay {train.weight_decay:g}")
    text = OPTIMIZER_NAMES.get(name, name) + (f" ({', '.join(details)})" if details else "")
    text += f", lr {train.lr:g}"
    if train.warmup_steps:
        text += f", linear warm-up {train.warmup_steps} steps from ×{train.warmup_factor:g}"
    schedule = str(train.schedule)
    return f"{text}, {SCHEDULE_NAMES.get(schedule, schedule)} schedule"


FLAT = 0.05  # over the last fifth of the epochs the loss fell by under 5 % of its whole fall


def convergence_note(summaries: list[ModelSummary]) -> str:
    """`` Last training loss …: resnet18 0.790 (1 % in the last fifth, flattened); …``"""
    parts = []
    several = len({s.model.framework for s in summaries}) > 1
    for s in summaries:
        runs = [run for run in s.runs if run.losses]
        if not runs:
            continue
        name = model_name(s.model)
        if several:
            name += f" ({FRAMEWORK_NAMES.get(s.model.framework, s.model.framework)})"
        last = sum(run.losses[-1] for run in runs) / len(runs)
        shares = [run.loss_tail_share for run in runs if run.loss_tail_share is not None]
        if not shares:
            parts.append(f"{name} {last:.3f} (one epoch)")
        elif any(math.isinf(share) for share in shares):
            parts.append(f"{name} {last:.3f} (never fell, NOT flattened)")
        else:
            share = max(shares)
            state = "flattened" if share < FLAT else "NOT flattened"
            parts.append(f"{name} {last:.3f} ({max(share, 0):.0%} in the last fifth, {state})")
    if not parts:
        return ""
    return (
        " Last training loss, mean over seeds (in brackets, how much it still fell over the last "
        "fifth of the epochs, by a least-squares line, as a share of its whole fall; the worst "
        f"seed's; under {FLAT:.0%} counts as flattened): " + "; ".join(parts) + "."
    )


STATISTICS_NOTE = (
    " Each run's F1 interval is a 95 % percentile bootstrap over its evaluated samples (2,000 "
    "resamples, seeded); Δ is the mean difference over the seeds both models finished, with a "
    "95 % t interval; a verdict says better or worse only when that interval excludes 0."
)
SPEED_NOTE = (
    " Training speed is the logged images per second averaged over epochs; it depends on the "
    "hardware and on whatever else ran on it."
)


def measured_on(plan: Plan, summaries: list[ModelSummary]) -> str:
    """One paragraph: dataset (real or synthetic), mode, subset, images, settings, seeds."""
    dataset, train, report = plan.recipe.dataset, plan.recipe.train, plan.recipe.report
    results = [run for summary in summaries for run in summary.runs]
    if plan.synthetic:
        source = f"**{plan.dataset}: SYNTHETIC images generated by zoo, not HaGRID**"
    else:
        source = f"**{plan.dataset}: real data** (`{plan.data}`)"
    formats = _values(results, lambda run: run.dataset.get("format"))
    split = _values(results, lambda run: (run.dataset.get("split") or "").split(" (")[0] or None)
    train_images = _values(results, lambda run: run.dataset.get("samples", {}).get("train"))
    val_images = _values(results, lambda run: run.samples)
    seeds = sorted({run.experiment.seed for run in results})
    epoch = (
        "the best epoch by validation macro F1 (the saved checkpoint)"
        if report.epoch == "best"
        else "the last epoch"
    )
    epochs = f"{train.epochs} epoch{'s' if train.epochs != 1 else ''}"
    if len(seeds) > 1:
        spread = f"Seeds {', '.join(map(str, seeds))}: mean ± sample standard deviation"
    elif seeds:
        spread = f"Seed {seeds[0]} only: one run per row, no spread"
    else:
        spread = "No run finished yet"
    return (
        f"Measured on {source} (HaGRID {formats} format), mode {dataset.mode}, "
        f"{train.image_size} px; subset: {subset_text(dataset.per_class)}, drawn per seed; "
        f"{split}; {train_images} training and {val_images} validation samples per run. "
        f"{optimizer_text(train)}, batch {train.batch_size}, {epochs}. {spread}. "
        f"Macro precision, recall and F1 on the validation split at {epoch}."
    )


def build_tables(plan: Plan, summaries: list[ModelSummary]) -> list[Table]:
    """The tables the recipe asks for (one ``models`` table of everything if it asks none)."""
    settings = plan.recipe.table or (TableSettings(kind="models"),)
    tables = []
    for number, setting in enumerate(settings, 1):
        chosen = [s for s in summaries if s.model.matches(setting)]
        if setting.framework:
            chosen.sort(key=lambda s: setting.framework.index(s.model.framework))
        columns, rows = BUILDERS[setting.kind](chosen)
        title = f"Table {number}. {setting.title or DEFAULT_TITLES[setting.kind]}"
        about = measured_on(plan, [s for s in chosen if s.runs])
        if setting.kind == "frameworks":
            about += SPEED_NOTE
        about += STATISTICS_NOTE + convergence_note(chosen)
        found = comparisons_of(setting.kind, chosen)
        tables.append(Table(setting.kind, title, columns, rows, about, chosen, found))
    return tables
