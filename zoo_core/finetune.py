"""Starting a run from someone's weights (``zoo train --init SOURCE``), framework-neutrally.

Every tensor whose canonical name and shape fit the new model is loaded; the rest of the model
stays as initialised. A classifier whose class count differs is left new (timm's rule for
``num_classes`` ≠ the checkpoint's), and so are layers the source lacks (the SE blocks of an
``se_resnet18`` started from ``resnet18`` weights). Sessions call :func:`freeze_backbone` before
building their optimizer; the core loads :func:`initial_weights` into the fresh session.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zoo_core.registry import Registry
from zoo_core.rundir import RunDir, WeightsError
from zoo_core.specs import ArchitectureSpec

if TYPE_CHECKING:
    import numpy as np

    from zoo_core.framework import TrainJob

COUNTER = "num_batches_tracked"
MIN_LOADED = 0.5
"""Refuse an init source that fills less than this share of the backbone's weights."""


class InitError(WeightsError):
    """An init source that does not fit the model being trained."""


@dataclass
class InitReport:
    loaded: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    dropped: dict[str, str] = field(default_factory=dict)
    classifier_replaced: bool = False

    def summary(self) -> str:
        replaced = "; classifier replaced (other classes)" if self.classifier_replaced else ""
        return (
            f"loaded {len(self.loaded)} tensors, left {len(self.new)} new, dropped "
            f"{len(self.dropped)}{replaced}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "loaded": len(self.loaded),
            "new": self.new,
            "dropped": self.dropped,
            "classifier_replaced": self.classifier_replaced,
        }


def fits(source: np.ndarray, target: np.ndarray) -> bool:
    shape = tuple(source.shape)
    return shape == tuple(target.shape) or (target.ndim == 0 and shape == (1,))


def merge(
    model: dict[str, np.ndarray], source: dict[str, np.ndarray], classifier: str
) -> tuple[dict[str, np.ndarray], InitReport]:
    """``model``'s weights with every fitting tensor of ``source`` put in, and what happened."""
    import numpy as np

    merged, report = dict(model), InitReport()
    head = f"{classifier}."
    for name, target in model.items():
        if name not in source:
            if not name.endswith(COUNTER):
                report.new.append(name)
            continue
        value = source[name]
        if fits(value, target):
            merged[name] = np.asarray(value, dtype=target.dtype).reshape(target.shape)
            if not name.endswith(COUNTER):
                report.loaded.append(name)
        else:
            report.new.append(name)
            shapes = f"{tuple(value.shape)} in the source, {tuple(target.shape)} in the model"
            report.dropped[name] = shapes
            report.classifier_replaced |= name.startswith(head)
    for name in source:
        if name not in model:
            report.dropped[name] = "not in the model"
    return merged, report


def check_enough(model: dict[str, np.ndarray], report: InitReport, classifier: str, where: str):
    """Refuse when the source fills less than :data:`MIN_LOADED` of the backbone's values."""
    head = f"{classifier}."

    def size(names: Iterable[str]) -> int:
        return sum(math.prod(model[n].shape) for n in names if not n.startswith(head))

    total = size(n for n in model if not n.endswith(COUNTER))
    share = size(report.loaded) / max(total, 1)
    if share < MIN_LOADED:
        missing = ", ".join(report.new[:4]) + (" …" if len(report.new) > 4 else "")
        raise InitError(
            f"{where}: only {share:.0%} of the model's backbone weights fit "
            f"({report.summary()}; e.g. new: {missing}) — is it another architecture?"
        )


def initial_weights(
    job: TrainJob, arch: ArchitectureSpec, model: dict[str, np.ndarray], registry: Registry
) -> tuple[dict[str, np.ndarray], InitReport, dict[str, Any]]:
    """The weights to start ``job`` from, the report, and the provenance to record."""
    from zoo_core import sources

    path, spec, read = sources.read(str(job.init), registry)
    merged, report = merge(model, read.tensors, arch.classifier)
    check_enough(model, report, arch.classifier, str(path))
    origin = sources.provenance(str(job.init), spec, read)
    return merged, report, {**origin, **report.to_dict()}


def apply(job: TrainJob, arch: ArchitectureSpec, session: Any, registry: Registry, console: Any):
    """Load ``job.init`` into a fresh session and print what was loaded; return provenance."""
    merged, report, origin = initial_weights(job, arch, session.weights(), registry)
    session.restore(merged, session.training_state())
    console.print(f"[bold]init[/] {job.init} ({origin['format']}): {report.summary()}")
    return origin


def freeze_backbone(job: TrainJob, arch: ArchitectureSpec, parameters: Iterable[tuple[str, Any]]):
    """With ``job.freeze_backbone``, stop gradients to every parameter outside the classifier.
    ``parameters`` are ``(name, parameter)`` pairs of any framework whose parameters have a
    settable ``requires_grad``."""
    if not job.freeze_backbone:
        return
    head = f"{arch.classifier}."
    for name, parameter in parameters:
        if not name.startswith(head):
            parameter.requires_grad = False


def check_resume(out: Path) -> None:
    """``--resume`` on a folder that exists but holds no training state is refused: it is not a
    run that stopped, and training would overwrite what is there. A run killed before its first
    epoch was saved (config.json, no weights) holds nothing to lose and starts over."""
    run = RunDir(out)
    if not out.exists() or not any(out.iterdir()) or run.state_path.is_file():
        return
    if run.exists() and not run.weights_path.is_file():
        return  # a run killed before its first epoch ended: nothing trained to lose, start over
    from zoo_core.errors import TrainingError

    raise TrainingError(
        f"{out}: --resume, but it holds no {run.state_path.name} (no run stopped there); "
        "to start from its weights use --init, or choose another --out"
    )
