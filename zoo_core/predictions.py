"""The best epoch's validation labels and predictions, kept in the run directory so that its
score can be given a confidence interval later (``zoo_core.recipes.stats``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from zoo_core.rundir import atomic_write_json

PREDICTIONS = "val_predictions.json"


@dataclass(frozen=True)
class SavedPredictions:
    epoch: int
    y_true: np.ndarray
    y_pred: np.ndarray


def save_predictions(run: Path, epoch: int, y_true: np.ndarray, y_pred: np.ndarray) -> None:
    atomic_write_json(
        run / PREDICTIONS,
        {
            "epoch": int(epoch),
            "y_true": np.asarray(y_true).astype(int).tolist(),
            "y_pred": np.asarray(y_pred).astype(int).tolist(),
        },
    )


def load_predictions(run: Path) -> SavedPredictions | None:
    """What :func:`save_predictions` wrote, or None for a run without (or with a broken) file."""
    try:
        data = json.loads((run / PREDICTIONS).read_text())
        return SavedPredictions(
            int(data["epoch"]),
            np.asarray(data["y_true"], np.int64),
            np.asarray(data["y_pred"], np.int64),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
