"""TensorBoard event files of a run (``zoo train --tensorboard``): the loss and the learning
rate of every step, the validation metrics of every epoch. Written with TensorBoard's own
framework-free ``tensorboard.summary.Writer`` (the ``zoo[tensorboard]`` extra); view them with
``tensorboard --logdir RUN/tensorboard``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zoo_core.errors import ZooError

TENSORBOARD = "tensorboard"
EPOCH_SCALARS = ("train_loss", "precision", "recall", "f1", "accuracy", "train_images_per_s")


class TensorBoardMissing(ZooError, ModuleNotFoundError):
    """``--tensorboard`` without the ``tensorboard`` package."""


class TrainingEvents:
    """Collects the losses an epoch reports and writes them, with the rates and metrics, as
    events. ``first_step``: the optimizer steps already taken (non-zero on resume)."""

    def __init__(self, run: Path, first_step: int = 0) -> None:
        try:
            from tensorboard.summary import Writer
        except ModuleNotFoundError:
            raise TensorBoardMissing(
                "--tensorboard needs the tensorboard package: pip install 'zoo[tensorboard]'"
            ) from None
        self.writer = Writer(str(run / TENSORBOARD))
        self.step = first_step
        self.losses: list[float] = []

    def track(self, progress: Any) -> Any:
        """``progress`` that also keeps each batch's loss for :meth:`write_epoch`."""

        def tracked(images: int, loss: float) -> None:
            self.losses.append(float(loss))
            progress(images, loss)

        return tracked

    def write_epoch(self, epoch: int, row: dict[str, Any]) -> None:
        rates = row.get("learning_rates") or []
        for offset, loss in enumerate(self.losses):
            self.writer.add_scalar("train/loss", loss, self.step + offset)
        for offset, rate in enumerate(rates):
            self.writer.add_scalar("train/learning_rate", rate, self.step + offset)
        self.step += max(len(self.losses), len(rates))
        self.losses = []
        for key in EPOCH_SCALARS:
            if key in row:
                self.writer.add_scalar(f"epoch/{key}", row[key], epoch)
        self.writer.flush()

    def close(self) -> None:
        self.writer.close()


def steps_taken(rows: list[dict[str, Any]]) -> int:
    """The optimizer steps recorded in ``metrics.jsonl`` rows (for a resumed run's events)."""
    return sum(len(row.get("learning_rates") or []) for row in rows)
