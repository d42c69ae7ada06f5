"""PNG plots of a run: training curves and the confusion matrix (matplotlib, headless)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from zoo_core.rundir import atomic_write_bytes


def _figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: Path) -> None:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    atomic_write_bytes(path, buffer.getvalue())


def plot_curves(rows: Sequence[dict[str, Any]], path: Path) -> None:
    """Training loss and validation macro F1 per epoch."""
    plt = _figure()
    epochs = [row["epoch"] for row in rows]
    fig, (loss_ax, f1_ax) = plt.subplots(1, 2, figsize=(9, 3.5))
    loss_ax.plot(epochs, [row["train_loss"] for row in rows], marker="o")
    loss_ax.set(title="Training loss", xlabel="epoch", ylabel="cross-entropy")
    for key, label in (("f1", "macro F1"), ("precision", "precision"), ("recall", "recall")):
        f1_ax.plot(epochs, [row[key] for row in rows], marker="o", label=label)
    f1_ax.set(title="Validation", xlabel="epoch", ylim=(0, 1.02))
    f1_ax.legend(loc="lower right")
    for ax in (loss_ax, f1_ax):
        ax.grid(alpha=0.3)
    _save(fig, path)
    plt.close(fig)


def plot_confusion(matrix: Sequence[Sequence[int]], classes: Sequence[str], path: Path) -> None:
    """Row-normalised confusion matrix with class names."""
    import numpy as np

    plt = _figure()
    counts = np.asarray(matrix, dtype=float)
    normalised = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    size = max(5.0, 0.38 * len(classes) + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    image = ax.imshow(normalised, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(classes)), classes, rotation=90)
    ax.set_yticks(range(len(classes)), classes)
    ax.set(xlabel="predicted", ylabel="true", title="Confusion matrix (row-normalised)")
    fig.colorbar(image, ax=ax, fraction=0.046)
    _save(fig, path)
    plt.close(fig)
