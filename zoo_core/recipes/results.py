"""Reading the finished runs of a plan and summarising each model over its seeds."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zoo_core.recipes.experiments import Experiment, Model
from zoo_core.recipes.plan import Plan
from zoo_core.recipes.runner import Status, status
from zoo_core.rundir import RunDir

METRICS: tuple[str, ...] = ("precision", "recall", "f1", "accuracy")


def model_json(model: Model) -> dict[str, Any]:
    return {
        "architecture": model.architecture,
        "head_kind": model.head_kind,
        "head": list(model.head),
        "hidden_layers": len(model.head),
        "framework": model.framework,
    }


@dataclass(frozen=True)
class RunResult:
    """The reported numbers of one finished run (the epoch ``[report] epoch`` picks)."""

    experiment: Experiment
    path: Path
    epoch: int
    scores: dict[str, float]
    parameters: int | None
    images_per_s: float
    samples: int
    dataset: dict[str, Any]
    f1_interval: tuple[float, float] | None = None
    """The 95 % bootstrap interval of macro F1 over the evaluated samples (best epoch only)."""
    losses: tuple[float, ...] = ()
    """The training loss of every epoch."""

    @property
    def loss_tail_share(self) -> float | None:
        """How much the training loss still fell over the last fifth of the epochs (at least
        two), as a share of its whole fall: a least-squares line through that fifth, its drop
        from the fifth's first epoch to its last over first epoch → last. A line, not the last
        step, because single epochs jitter (the no-gesture crops are redrawn every epoch). None
        before two epochs; infinite if the loss never fell."""
        losses = self.losses
        if len(losses) < 2:
            return None
        window = max(2, len(losses) // 5)
        tail = losses[-window:]
        fall = losses[0] - losses[-1]
        if fall <= 0:
            return math.inf
        slope = statistics.linear_regression(range(window), tail).slope
        return -slope * (window - 1) / fall

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.experiment.name,
            **model_json(self.experiment.model),
            "seed": self.experiment.seed,
            "run_dir": str(self.path),
            "epoch": self.epoch,
            **self.scores,
            "parameters": self.parameters,
            "train_images_per_s": self.images_per_s,
            "val_samples": self.samples,
            "f1_interval": list(self.f1_interval) if self.f1_interval else None,
            "train_losses": list(self.losses),
        }


@dataclass(frozen=True)
class Stat:
    """Mean and sample standard deviation over seeds."""

    mean: float
    std: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Stat:
        std = statistics.stdev(values) if len(values) > 1 else 0.0
        return cls(statistics.fmean(values), std, len(values))

    def text(self, digits: int = 3) -> str:
        if self.n > 1:
            return f"{self.mean:.{digits}f} ± {self.std:.{digits}f}"
        return f"{self.mean:.{digits}f}"


@dataclass(frozen=True)
class ModelSummary:
    """One model (architecture + head in a framework), over the seeds that finished."""

    model: Model
    planned_seeds: tuple[int, ...]
    runs: list[RunResult] = field(default_factory=list)

    @property
    def seeds(self) -> tuple[int, ...]:
        return tuple(run.experiment.seed for run in self.runs)

    def by_seed(self, metric: str) -> dict[int, float]:
        return {run.experiment.seed: run.scores[metric] for run in self.runs}

    def intervals_text(self, digits: int = 3) -> str:
        """The runs' bootstrap intervals of macro F1: ``[0.61, 0.68]; [0.59, 0.66]``."""
        shown = [
            f"[{run.f1_interval[0]:.{digits}f}, {run.f1_interval[1]:.{digits}f}]"
            for run in self.runs
            if run.f1_interval
        ]
        return "; ".join(shown) or "–"

    def stat(self, metric: str) -> Stat:
        if metric == "images_per_s":
            return Stat.of([run.images_per_s for run in self.runs])
        return Stat.of([run.scores[metric] for run in self.runs])

    @property
    def parameters(self) -> int | None:
        counts = {run.parameters for run in self.runs if run.parameters is not None}
        return counts.pop() if len(counts) == 1 else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            **model_json(self.model),
            "seeds": list(self.seeds),
            "planned_seeds": list(self.planned_seeds),
        }
        for metric in (*METRICS, "images_per_s"):
            stat = self.stat(metric) if self.runs else None
            data[f"{metric}_mean"] = stat.mean if stat else None
            data[f"{metric}_std"] = stat.std if stat and stat.n > 1 else None
        data["parameters"] = self.parameters
        return data


def read_run(plan: Plan, experiment: Experiment, path: Path) -> RunResult:
    run = RunDir(path)
    config = run.read_config()
    rows = run.read_metrics()
    if plan.recipe.report.epoch == "last":
        chosen = max(rows, key=lambda row: row["epoch"])
    else:
        chosen = config["results"]  # the epoch of model.safetensors
    parameters = config.get("parameters")
    epoch = int(chosen["epoch"])
    return RunResult(
        experiment=experiment,
        path=path,
        epoch=epoch,
        scores={metric: float(chosen[metric]) for metric in METRICS},
        parameters=int(parameters) if parameters is not None else None,
        images_per_s=statistics.fmean(float(row["train_images_per_s"]) for row in rows),
        samples=int(chosen.get("samples", 0)),
        dataset=config.get("dataset", {}),
        f1_interval=run_interval(path, epoch, int(config.get("num_classes", 0))),
        losses=tuple(float(row["train_loss"]) for row in sorted(rows, key=lambda r: r["epoch"])),
    )


def run_interval(path: Path, epoch: int, classes: int) -> tuple[float, float] | None:
    """The bootstrap interval of the run's macro F1 at ``epoch``, if its predictions are kept."""
    from zoo_core.predictions import load_predictions
    from zoo_core.recipes.stats import f1_interval

    saved = load_predictions(path)
    if saved is None or saved.epoch != epoch or classes < 1:
        return None
    return f1_interval(saved.y_true, saved.y_pred, classes)


def collect(plan: Plan, out: Path) -> list[RunResult]:
    """The finished runs of ``plan`` under ``out``; unfinished ones are left out."""
    results = []
    for experiment in plan.experiments:
        path = plan.run_dir(out, experiment)
        if status(plan, experiment, path) is Status.FINISHED:
            results.append(read_run(plan, experiment, path))
    return results


def summarise(plan: Plan, results: list[RunResult]) -> list[ModelSummary]:
    """One :class:`ModelSummary` per model of the plan, in the plan's order."""
    summaries: dict[Model, ModelSummary] = {}
    for experiment in plan.experiments:
        if experiment.model not in summaries:
            summaries[experiment.model] = ModelSummary(
                experiment.model, planned_seeds=plan.recipe.recipe.seed_list
            )
    for result in results:
        summaries[result.experiment.model].runs.append(result)
    return list(summaries.values())
