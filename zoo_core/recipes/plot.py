"""results.png: one panel per table, bars of mean scores with ± std error bars; above each
compared model's F1 bar, its paired difference with the reference (95 % CI) and the verdict."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from zoo_core.recipes.experiments import Model
from zoo_core.recipes.plan import Plan
from zoo_core.recipes.results import ModelSummary
from zoo_core.recipes.stats import Comparison
from zoo_core.recipes.tables import Table, framework_name, head_name, model_name
from zoo_core.rundir import atomic_write_bytes

SCORES = ("precision", "recall", "f1")


def _bars(ax: Any, groups: list[str], series: dict[str, list[tuple[float, float]]]) -> None:
    """Grouped bars: one group per label, one bar per series, (mean, std) each."""
    width = 0.8 / max(len(series), 1)
    for index, (name, values) in enumerate(series.items()):
        positions = [g + (index - (len(series) - 1) / 2) * width for g in range(len(groups))]
        means = [mean for mean, _ in values]
        errors = [std for _, std in values]
        ax.bar(positions, means, width, yerr=errors, capsize=3, label=name)
    ax.set_xticks(range(len(groups)), groups, rotation=20, ha="right")
    ax.set_ylim(0, 1.25)
    ax.grid(axis="y", alpha=0.3)
    if len(series) > 1:
        ax.legend(loc="upper center", ncol=len(series), fontsize=8)


VERDICT_MARKS = {"better": "better", "worse": "worse"}


def _annotate(ax: Any, x: float, y: float, comparison: Comparison) -> None:
    verdict = VERDICT_MARKS.get(comparison.verdict, "n.s." if comparison.low is not None else "")
    ax.annotate(
        f"Δ {comparison.text(2)}\n{verdict}".rstrip(),
        (x, min(y + 0.03, 1.02)),
        ha="center",
        va="bottom",
        fontsize=6,
        color="black" if verdict in ("better", "worse") else "dimgray",
    )


def _comparison_marks(ax: Any, table: Table, places: dict[Model, float]) -> None:
    found = {s.model: s for s in table.models}
    for model, comparison in table.comparisons:
        if model in places and found[model].runs:
            _annotate(ax, places[model], found[model].stat("f1").mean, comparison)


def _stats(summary: ModelSummary, metric: str) -> tuple[float, float]:
    if not summary.runs:
        return (0.0, 0.0)
    stat = summary.stat(metric)
    return (stat.mean, stat.std)


def _panel(ax: Any, table: Table) -> None:
    models = table.models
    if table.kind == "frameworks":
        frameworks = list(dict.fromkeys(s.model.framework for s in models))
        labels = list(dict.fromkeys(model_name(s.model) for s in models))
        groups = [f"{metric}\n{label}" if len(labels) > 1 else metric for label in labels
                  for metric in SCORES]  # fmt: skip
        found = {(model_name(s.model), s.model.framework): s for s in models}
        series = {
            framework_name(fw): [
                _stats(found[label, fw], metric) if (label, fw) in found else (0.0, 0.0)
                for label in labels
                for metric in SCORES
            ]
            for fw in frameworks
        }
        _bars(ax, groups, series)
        width = 0.8 / max(len(series), 1)
        places = {
            s.model: labels.index(model_name(s.model)) * len(SCORES) + 2
            + (frameworks.index(s.model.framework) - (len(frameworks) - 1) / 2) * width
            for s in models
        }  # fmt: skip
        _comparison_marks(ax, table, places)
    elif table.kind == "heads":
        groups = [head_name(s.model) for s in models]
        _bars(ax, groups, {"F1": [_stats(s, "f1") for s in models]})
        for position, summary in enumerate(models):
            if summary.parameters:
                ax.annotate(
                    f"{summary.parameters / 1e6:.2f} M",
                    (position, 0.02),
                    ha="center",
                    fontsize=8,
                    color="white",
                )
        ax.set_xlabel("hidden layers (widths); bar label: parameters")
        _comparison_marks(ax, table, {s.model: float(i) for i, s in enumerate(models)})
    else:
        groups = [f"{model_name(s.model)}\n{framework_name(s.model.framework)}" for s in models]
        _bars(ax, groups, {m: [_stats(s, m) for s in models] for m in SCORES})
        width = 0.8 / len(SCORES)
        _comparison_marks(ax, table, {s.model: i + width for i, s in enumerate(models)})
    ax.set_title(table.title, fontsize=10)
    ax.set_ylabel("macro score (mean ± std over seeds)")


def plot_tables(plan: Plan, tables: list[Table], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(tables), figsize=(5.2 * len(tables), 4.6), squeeze=False)
    for ax, table in zip(axes[0], tables, strict=True):
        _panel(ax, table)
    train = plan.recipe.train
    seeds = len(plan.recipe.recipe.seed_list)
    data = (
        f"{plan.dataset} — SYNTHETIC data, not HaGRID"
        if plan.synthetic
        else f"{plan.dataset} (real data)"
    )
    fig.suptitle(
        f"{plan.recipe.recipe.name}: {data} · {plan.recipe.dataset.mode} · {train.epochs} epochs"
        f" · {train.image_size} px · {seeds} seed(s)",
        fontsize=11,
    )
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    atomic_write_bytes(path, buffer.getvalue())
