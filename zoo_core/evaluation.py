"""Evaluation and prediction with any framework's backend, on any checkpoint source."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from zoo_core import checkpoint
from zoo_core.data import BadSample, DataRequest, DataSplits, SampleSource
from zoo_core.datasets import resolve_mode
from zoo_core.errors import InvalidValue
from zoo_core.images import open_image
from zoo_core.lazy import resolve
from zoo_core.metrics import classification_metrics
from zoo_core.registry import get_registry
from zoo_core.safe_text import for_rich


def load_image(path: Path, size: int) -> np.ndarray:
    """An image file as ``uint8 (size, size, 3)``, upright by its EXIF orientation, by
    :data:`zoo_core.deploy.PREPROCESSING`. A missing, unreadable or oversized file raises
    :class:`BadSample`."""
    from PIL import Image, ImageOps

    from zoo_core.deploy import PAD_COLOR, RESIZE_FILTER

    with open_image(path) as image:
        try:
            image.draft("RGB", (size, size))
            rgb = ImageOps.exif_transpose(image).convert("RGB")  # upright, as photos are shown
        except (OSError, SyntaxError, ValueError) as error:
            raise BadSample(path, f"not a readable image ({error})") from None
    method = Image.Resampling[RESIZE_FILTER.upper()]
    return np.asarray(ImageOps.pad(rgb, (size, size), method=method, color=PAD_COLOR))


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def predict_arrays(loaded: checkpoint.LoadedModel, images: np.ndarray) -> np.ndarray:
    config = loaded.config
    return np.asarray(
        loaded.backend.predict(loaded.model, images, tuple(config["mean"]), tuple(config["std"]))
    )


def predict_files(
    source: str, framework: str, paths: Sequence[Path], top_k: int = 3
) -> list[dict[str, Any]]:
    """Top-k classes with probabilities for each image file."""
    loaded = checkpoint.load(source, framework)
    size = int(loaded.config["input_size"][-1])
    labels = loaded.config["label_names"]
    batch = np.stack([load_image(Path(path), size) for path in paths])
    probabilities = softmax(predict_arrays(loaded, batch))
    results = []
    for path, row in zip(paths, probabilities, strict=True):
        order = np.argsort(-row)[:top_k]
        ranked = [{"label": labels[i], "probability": float(row[i])} for i in order]
        results.append({"image": str(path), "top_k": ranked})
    return results


def predict_split(
    loaded: checkpoint.LoadedModel, split: SampleSource, batch_size: int
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Labels and predictions over a split, skipping (and listing) bad samples."""
    y_true: list[int] = []
    y_pred: list[int] = []
    bad: list[str] = []
    batch: list[np.ndarray] = []
    labels: list[int] = []

    def flush() -> None:
        if batch:
            y_pred.extend(predict_arrays(loaded, np.stack(batch)).argmax(axis=1).tolist())
            y_true.extend(labels)
            batch.clear()
            labels.clear()

    for index in range(len(split)):
        try:
            image, label = split[index]
        except BadSample as error:
            bad.append(str(error))
            continue
        batch.append(image)
        labels.append(int(label))
        if len(batch) == batch_size:
            flush()
    flush()
    return np.asarray(y_true), np.asarray(y_pred), bad


def open_run_data(
    config: dict[str, Any],
    data: str | None,
    registry: Any,
    image_size: int | None = None,
    source: str = "",
    dataset: str | None = None,
    options: dict[str, Any] | None = None,
) -> tuple[str, DataSplits]:
    """The splits of ``data``/``dataset`` (default: the dataset, folder and options the run was
    trained on, where still at hand) at the run's input size, subset and seed; classes must
    match the run's."""
    training = config.get("training", {})
    recorded = training.get("dataset") or None
    if data is None and dataset is None:
        folder = training.get("data")
        data = folder if folder and Path(folder).exists() else None
        dataset = recorded
    dataset, root = registry.resolve_data(data, dataset)
    same = dataset == recorded
    if options is None:
        options = dict((training.get("options") or {}).get("data") or {}) if same else {}
    spec = registry.datasets[dataset]
    mode = training.get("mode") if training.get("mode") in spec.modes else None
    request = DataRequest(
        root=root,
        mode=resolve_mode(spec, mode),
        image_size=int(image_size or config["input_size"][-1]),
        seed=int(training.get("seed", 0)),
        per_class=training.get("per_class") if same else None,
        options=options,
    )
    splits = resolve(spec.opener)(request)
    if list(splits.classes) != list(config["label_names"]):
        raise InvalidValue(
            f"{source}: the model's classes {config['label_names']} differ from "
            f"{dataset}'s {list(splits.classes)}"
        )
    return dataset, splits


def evaluate(
    source: str,
    framework: str,
    data: str | None,
    split: str = "val",
    batch_size: int = 64,
    dataset: str | None = None,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Metrics of a checkpoint on a dataset split, with the checkpoint's input size and classes."""
    registry = get_registry()
    loaded = checkpoint.load(source, framework, registry)
    dataset, splits = open_run_data(
        loaded.config, data, registry, source=source, dataset=dataset, options=options
    )
    chosen = {"val": splits.val, "test": splits.test}.get(split)
    if chosen is None:
        raise InvalidValue(f"{dataset} has no {split!r} split")
    y_true, y_pred, bad = predict_split(loaded, chosen, batch_size)
    metrics = classification_metrics(y_true, y_pred, splits.classes)
    metrics.update(split=split, dataset=splits.description, bad_samples=bad, framework=framework)
    return metrics


def print_metrics(metrics: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    summary = Table(
        title=for_rich(
            f"{metrics['split']} · {metrics['samples']} samples · {metrics['framework']}"
        )
    )
    for column in ("precision", "recall", "F1 (macro)", "accuracy"):
        summary.add_column(column, justify="right")
    summary.add_row(*(f"{metrics[k]:.4f}" for k in ("precision", "recall", "f1", "accuracy")))
    console.print(summary)
    per_class = Table(title="Per class")
    for column in ("class", "precision", "recall", "F1", "support"):
        per_class.add_column(column, justify="right")
    for name, scores in metrics["per_class"].items():
        per_class.add_row(
            for_rich(name),
            *(f"{scores[k]:.3f}" for k in ("precision", "recall", "f1")),
            str(scores["support"]),
        )
    console.print(per_class)
    if metrics["bad_samples"]:
        console.print(f"skipped {len(metrics['bad_samples'])} bad sample(s)")
