"""The training loop every framework shares, and the session protocol a framework implements.

A framework plugin's spec names a session factory: ``open(context: SessionContext) ->
FrameworkSession`` (its device, model, optimizer, batching and steps). :func:`run_training` does
the rest the same way for all: opening the data, the run directory, resume, per-epoch validation
metrics, the best checkpoint by macro F1, plots and progress. Sessions seed all randomness from
``(job.seed, epoch)`` at the start of each epoch, so a resumed run ends with the same weights as
an uninterrupted one. :func:`zoo_core.train_flow.train` is the entry point.
"""

from __future__ import annotations

import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from zoo_core import __version__, plots
from zoo_core.data import DataRequest, DataSplits, SampleSource
from zoo_core.deploy import preprocessing_rule
from zoo_core.errors import TrainingError
from zoo_core.events import TrainingEvents, steps_taken
from zoo_core.framework import TrainJob
from zoo_core.lazy import resolve
from zoo_core.metrics import classification_metrics, summary_line
from zoo_core.plugins import distribution_version
from zoo_core.predictions import save_predictions
from zoo_core.progress import epoch_progress
from zoo_core.registry import Registry
from zoo_core.rundir import CONFUSION, CURVES, RunDir
from zoo_core.specs import ArchitectureSpec

Progress = Callable[[int, float], None]
"""Called by a session after each batch with (images in the batch, batch loss)."""


@dataclass
class EpochResult:
    loss: float
    images: int
    seconds: float
    bad_samples: list[str] = field(default_factory=list)
    learning_rates: list[float] = field(default_factory=list)
    """The learning rate of each step, as read back from the optimizer."""


@dataclass
class Prediction:
    y_true: np.ndarray
    y_pred: np.ndarray
    bad_samples: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SessionContext:
    """What the core hands a framework's session factory."""

    job: TrainJob
    splits: DataSplits
    arch: ArchitectureSpec
    build_model: Callable[[], Any]
    """The job's untrained model (architecture + head for the split's classes), built through
    the registry; call it once, after seeding the framework."""
    model_modules: tuple[str, ...] = ()
    """The lazy references of the architecture's and head's builders (for graph caches)."""


class FrameworkSession(Protocol):
    """What a framework plugin supplies to :func:`run_training`: one process's training."""

    is_main: bool
    """Whether this process writes the run directory (rank 0 of a distributed run)."""

    def describe(self) -> str:
        """One line: device, precision, threads, mode."""

    def versions(self) -> dict[str, str]:
        """Framework package versions, recorded in ``config.json``."""

    def parameter_count(self) -> int: ...

    def train_epoch(self, epoch: int, progress: Progress) -> EpochResult:
        """One pass over the training split; bad samples are skipped and listed (or raise
        :class:`zoo_core.data.BadSample` when ``job.strict``)."""

    def predict(self, split: SampleSource) -> Prediction:
        """Labels and predictions for every usable sample of ``split``, over all ranks."""

    def weights(self) -> dict[str, np.ndarray]:
        """Model weights and buffers under canonical names."""

    def training_state(self) -> dict[str, np.ndarray]:
        """Optimizer state (and anything else) needed to resume, as named arrays."""

    def restore(self, weights: dict[str, np.ndarray], state: dict[str, np.ndarray]) -> None:
        """Load what :meth:`weights` and :meth:`training_state` returned."""

    def close(self) -> None:
        """Leave the process group (a data-parallel run) and release what the session holds."""


SessionFactory = Callable[[SessionContext], FrameworkSession]


def model_builder(registry: Registry, job: TrainJob, num_classes: int) -> Callable[[], Any]:
    """A function building ``job``'s untrained model in ``job.framework``."""

    def build() -> Any:
        return registry.build(
            job.architecture, job.framework, job.head, num_classes, **job.architecture_options
        )

    return build


def session_context(registry: Registry, job: TrainJob, splits: DataSplits) -> SessionContext:
    arch = registry.architecture(job.architecture)
    head = registry.heads[job.head.kind]
    modules = (arch.builders[job.framework], head.builders[job.framework])
    build = model_builder(registry, job, splits.num_classes)
    return SessionContext(job, splits, arch, build, modules)


def open_data(registry: Registry, job: TrainJob) -> DataSplits:
    """Open ``job.dataset`` (the default dataset when empty) through its plugin."""
    from zoo_core.datasets import default_dataset, resolve_mode

    job.dataset = job.dataset or default_dataset(registry)
    spec = registry.datasets[job.dataset]
    job.mode = resolve_mode(spec, job.mode)
    request = DataRequest(
        root=job.data,
        mode=job.mode,
        image_size=job.image_size,
        seed=job.seed,
        per_class=job.per_class,
        options=dict(job.options.get("data", {})),
    )
    return resolve(spec.opener)(request)


def run_config(
    job: TrainJob, arch: ArchitectureSpec, splits: DataSplits, session: FrameworkSession
) -> dict[str, Any]:
    """The ``config.json`` of a run: everything needed to rebuild and describe the model."""
    return {
        "zoo_version": __version__,
        "architecture": arch.name,
        "architecture_options": {**arch.options, **job.architecture_options},
        "architecture_description": arch.description,
        "architecture_paper": arch.paper,
        "head": list(job.head.hidden),
        "head_kind": job.head.kind,
        "head_dropout": job.head.dropout,
        "num_classes": splits.num_classes,
        "label_names": list(splits.classes),
        "input_size": [3, job.image_size, job.image_size],
        "mean": list(arch.mean),
        "std": list(arch.std),
        "preprocessing": preprocessing_rule(),
        "framework": job.framework,
        "versions": {
            "zoo": __version__,
            "python": platform.python_version(),
            "numpy": np.__version__,
            **session.versions(),
        },
        "plugin": {
            "distribution": arch.distribution,
            "version": distribution_version(arch.distribution),
        },
        "parameters": session.parameter_count(),
        "dataset": splits.description,
        "training": job.to_dict(),
        "results": {},
    }


def check_resumable(run: RunDir, job: TrainJob, config: dict[str, Any]) -> None:
    """Refuse to overwrite an existing run, or to resume one that was a different model."""
    if not run.exists():
        return
    if not job.resume:
        raise TrainingError(
            f"{run.path} already holds a run; pass --resume to continue it, or choose --out"
        )
    saved = run.read_config()
    for key in ("architecture", "head", "num_classes", "framework"):
        if saved.get(key) != config.get(key):
            raise TrainingError(
                f"{run.path}: cannot resume, {key} was {saved.get(key)!r}, now {config.get(key)!r}"
            )
    resumed_optimizer_differs(run, saved.get("training", {}), job)


def resumed_optimizer_differs(run: RunDir, training: dict[str, Any], job: TrainJob) -> None:
    """Refuse to resume with another optimizer or schedule than the run was trained with."""
    from zoo_core.study import STUDY_DEFAULTS

    for key in ("optimizer", "momentum", "weight_decay", "schedule", "warmup_steps"):
        before, now = training.get(key, STUDY_DEFAULTS[key]), getattr(job, key)
        if before != now:
            raise TrainingError(f"{run.path}: cannot resume, {key} was {before!r}, now {now!r}")


def run_training(job: TrainJob, registry: Registry, open_session: SessionFactory) -> Path:
    """Train ``job`` (its ``out`` set) with the framework's session in this process, writing
    the run directory (rank 0 of a data-parallel run); return its path."""
    context = session_context(registry, job, open_data(registry, job))
    session = open_session(context)
    try:
        return drive(context, session, registry)
    finally:
        session.close()


def drive(context: SessionContext, session: FrameworkSession, registry: Registry) -> Path:
    """The epochs: train, validate, write metrics, the best weights and the training state."""
    from rich.console import Console

    console = Console(stderr=True)
    job, splits, arch = context.job, context.splits, context.arch
    if job.out is None:
        raise TrainingError("the job names no run directory (out)")
    run = RunDir(job.out)
    config = run_config(job, arch, splits, session)
    if session.is_main:  # other ranks may find the config rank 0 has just written
        check_resumable(run, job, config)
    start, rows, best_f1 = 0, [], -1.0

    resumed = run.load_state() if job.resume else None
    if resumed is not None:
        tensors, state = resumed
        weights = {k[len("model/") :]: v for k, v in tensors.items() if k.startswith("model/")}
        extra = {k: v for k, v in tensors.items() if not k.startswith("model/")}
        session.restore(weights, extra)
        start = int(state["epoch"]) + 1
        best_f1 = float(state["best_f1"])
        rows = [row for row in run.read_metrics() if row["epoch"] < start]
        config["results"] = run.read_config().get("results", {})
        console.print(f"[bold]resuming[/] {run.path} at epoch {start + 1}/{job.epochs}")
    if job.init:
        from zoo_core import finetune

        init = run.read_config().get("init") if resumed is not None else None
        config["init"] = init or finetune.apply(job, arch, session, registry, console)
    if session.is_main:
        run.write_config(config)
    console.print(
        f"[bold]{arch.name}[/] + head {job.head} · {job.framework} · {session.describe()} · "
        f"{session.parameter_count():,} parameters · {splits.description.get('summary', '')}"
    )

    events = (
        TrainingEvents(run.path, steps_taken(rows)) if job.tensorboard and session.is_main else None
    )
    for epoch in range(start, job.epochs):
        splits.train.set_epoch(epoch)
        label = f"epoch {epoch + 1}/{job.epochs}"
        with epoch_progress(len(splits.train), label, enabled=session.is_main) as advance:
            result = session.train_epoch(epoch, events.track(advance) if events else advance)
        prediction = session.predict(splits.val)
        metrics = classification_metrics(prediction.y_true, prediction.y_pred, splits.classes)
        bad = result.bad_samples + prediction.bad_samples
        row = {
            "epoch": epoch,
            "train_loss": result.loss,
            "train_images_per_s": result.images / max(result.seconds, 1e-9),
            "bad_samples": len(bad),
            "learning_rates": result.learning_rates,
            **metrics,
        }
        if not session.is_main:
            continue
        rows.append(row)
        run.write_metrics(rows)
        if events:
            events.write_epoch(epoch, row)
        console.print(
            f"{label}  loss {result.loss:.4f}  {summary_line(metrics)}  "
            f"{row['train_images_per_s']:.1f} img/s"
        )
        if bad:
            console.print(f"[yellow]skipped {len(bad)} bad sample(s)[/]; first: {bad[0]}")
        if metrics["f1"] > best_f1:
            best_f1 = metrics["f1"]
            run.save_weights(session.weights(), {"epoch": str(epoch), "f1": f"{best_f1:.6f}"})
            save_predictions(run.path, epoch, prediction.y_true, prediction.y_pred)
            config["results"] = {
                "split": "val",
                "epoch": epoch,
                **{k: metrics[k] for k in ("precision", "recall", "f1", "accuracy", "samples")},
                "per_class": metrics["per_class"],
            }
            run.write_config(config)
        state = {
            **{f"model/{k}": v for k, v in session.weights().items()},
            **session.training_state(),
        }
        run.save_state(state, {"epoch": epoch, "best_f1": best_f1, "time": time.time()})
        plots.plot_curves(rows, run.path / CURVES)
        plots.plot_confusion(metrics["confusion_matrix"], splits.classes, run.path / CONFUSION)

    if events:
        events.close()
    if session.is_main:
        console.print(f"[bold green]done[/]: best macro F1 {best_f1:.3f} → {run.path}")
    sys.stdout.flush()
    return run.path
