"""The dataset openers named by the ``hagrid`` and ``hagrid-synth`` :class:`DatasetSpec` s.

``open_hagrid(request)`` reads a HaGRID release (v1, v2 or v2-1M, detected) or a cache made by
``zoo data prepare``; ``open_synth(request)`` does the same for the embedded synthetic dataset,
generating it into the user cache first when ``request.root`` is ``None``.

``request.options`` keys: ``format`` (``v1``/``v2``/``v2-1M``, instead of detecting it),
``annotations`` (the annotation folder, when not under the root), ``images`` (the image root,
when not the root), ``cache`` (a prepared cache to read instead of the root), and for the
synthetic data ``synth_per_class``, ``synth_users``, ``synth_size`` (``"WxH"``), ``synth_seed``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from zoo_core.data import DataError, DataRequest, DataSplits
from zoo_core.sampling import check_per_class, describe_subset
from zoo_hagrid.cache import is_cache, read_cache
from zoo_hagrid.classes import NO_GESTURE, classes_for
from zoo_hagrid.formats import read_release
from zoo_hagrid.records import Annotations, Entry
from zoo_hagrid.sources import MODES, HagridSource
from zoo_hagrid.splits import per_class_subset, user_split
from zoo_hagrid.synth.params import SynthParams, parse_size
from zoo_hagrid.synth.writer import MARKER, ensure

SYNTH_DEFAULTS = SynthParams()


def _path(value: Any) -> Path | None:
    return Path(value).expanduser() if value else None


def load(root: Path, options: dict[str, Any], mode: str) -> tuple[Annotations, dict[str, Any]]:
    """The annotations under ``root`` (a release or a prepared cache) and the cache metadata."""
    cache = _path(options.get("cache")) or (root if is_cache(root) else None)
    if cache is None:
        if not root.exists():
            raise DataError(f"{root}: no such dataset folder")
        release = read_release(
            root,
            options.get("format"),
            _path(options.get("annotations")),
            _path(options.get("images")),
        )
        return release, {}
    annotations, meta = read_cache(cache)
    if meta.get("mode") != mode:
        raise DataError(
            f"{cache}: prepared for mode {meta.get('mode')!r}, but mode {mode!r} was asked for; "
            f"run 'zoo data prepare ... --mode {mode}'"
        )
    return annotations, meta


def official_splits(
    annotations: Annotations, request: DataRequest
) -> tuple[dict[str, list[Entry]], str]:
    """train/val/test entries by the release's own splits, and how they were made."""
    splits = annotations.splits
    per_class, seed = request.per_class, request.seed
    if "train" in splits or "val" in splits:  # v2: the authors' user-disjoint splits
        how = "official train/val/test splits"
        names = ("train", "val", "test")
        return {
            name: per_class_subset(splits.get(name, []), per_class, seed) for name in names
        }, how
    pool_name = "train_val" if "train_val" in splits else "subsample"
    pool = per_class_subset(splits.get(pool_name, []), per_class, seed)
    train, val = user_split(pool, request.val_fraction, seed)
    how = (
        f"train/val split by user_id from ann_{pool_name} (val_fraction {request.val_fraction}, "
        f"seed {seed}, no user in both)"
    )
    test = per_class_subset(splits.get("test", []), per_class, seed)
    if test:
        how += "; test = official ann_test"
    return {"train": train, "val": val, "test": test}, how


def open_release(request: DataRequest, name: str, synthetic: bool = False) -> DataSplits:
    if request.root is None:
        raise DataError(
            f"dataset {name!r} needs a folder: a HaGRID download (v1, v2 or v2-1M) or a cache "
            f"made by 'zoo data prepare' (zoo train --data PATH)"
        )
    if request.mode not in MODES:
        raise DataError(f"unknown mode {request.mode!r}; known: {', '.join(MODES)}")
    check_per_class(request.per_class)
    root = Path(request.root).expanduser()
    annotations, meta = load(root, request.options, request.mode)
    synthetic = synthetic or bool(meta.get("synthetic")) or (root / MARKER).is_file()
    if synthetic:  # a hagrid-synth folder opened as a path is still hagrid-synth
        name = "hagrid-synth"
    classes = classes_for(annotations.format, request.no_gesture_prob > 0)
    splits, how = official_splits(annotations, request)
    if NO_GESTURE not in classes:  # images of idle hands only have no class left
        splits = {k: [e for e in v if e.gesture != NO_GESTURE] for k, v in splits.items()}
    if not splits["train"]:
        raise DataError(f"{root}: no training images (after the split and subset)")

    def source(entries: list[Entry], train: bool) -> HagridSource:
        return HagridSource(
            entries,
            classes,
            request.mode,
            request.image_size,
            request.seed,
            train,
            request.no_gesture_prob,
        )

    test = source(splits["test"], False) if splits["test"] else None
    result = DataSplits(classes, source(splits["train"], True), source(splits["val"], False), test)
    result.description = describe(name, synthetic, annotations, request, splits, result, how, meta)
    return result


def evaluated(split: HagridSource) -> str:
    """``evaluated: 588 val samples (432 gestures + 156 no_gesture)``."""
    idle = split.idle_count()
    parts = f" ({len(split) - idle:,} gestures + {idle:,} {NO_GESTURE})" if idle else ""
    return f"evaluated: {len(split):,} val samples{parts}"


def describe(
    name: str,
    synthetic: bool,
    annotations: Annotations,
    request: DataRequest,
    splits: dict[str, list[Entry]],
    result: DataSplits,
    how: str,
    meta: dict[str, Any],
) -> dict[str, Any]:
    """What was measured on: for tables and model cards."""
    subset = describe_subset(request.per_class, request.seed)
    images = {k: len(v) for k, v in splits.items() if v or k != "test"}
    samples = {"train": len(result.train), "val": len(result.val)}
    if result.test is not None:
        samples["test"] = len(result.test)
    counts = " / ".join(f"{n:,} {k}" for k, n in images.items())
    kind = "synthetic" if synthetic else "real"
    summary = (
        f"{name} ({kind}, HaGRID {annotations.format} format), {request.mode} "
        f"{request.image_size}px, {subset}: {counts} images; {evaluated(result.val)}; {how}"
    )
    return {
        "dataset": name,
        "synthetic": synthetic,
        "kind": kind,
        "format": annotations.format,
        "root": str(annotations.root if not meta else meta.get("source", annotations.root)),
        "cache": str(annotations.root) if meta else None,
        "mode": request.mode,
        "image_size": request.image_size,
        "classes": len(result.classes),
        "no_gesture_prob": request.no_gesture_prob,
        "subset": subset,
        "split": how,
        "images": images,
        "samples": samples,
        "users": {k: len({e.user_id for e in v}) for k, v in splits.items() if v},
        "seed": request.seed,
        "summary": summary,
    }


def open_hagrid(request: DataRequest) -> DataSplits:
    """Open a real HaGRID release (or its prepared cache) at ``request.root``."""
    return open_release(request, "hagrid")


def synth_params(options: dict[str, Any]) -> SynthParams:
    size = options.get("synth_size")
    width, height = parse_size(size) if size else (SYNTH_DEFAULTS.width, SYNTH_DEFAULTS.height)
    return SynthParams(
        per_class=int(options.get("synth_per_class", SYNTH_DEFAULTS.per_class)),
        users=int(options.get("synth_users", SYNTH_DEFAULTS.users)),
        width=width,
        height=height,
        seed=int(options.get("synth_seed", SYNTH_DEFAULTS.seed)),
    )


def open_synth(request: DataRequest) -> DataSplits:
    """Open ``hagrid-synth``: ``request.root``, or the default generated once into the cache."""
    if request.root is None:
        params = synth_params(request.options)
        request = dataclasses.replace(request, root=ensure(params))
    splits = open_release(request, "hagrid-synth", synthetic=True)
    marker = Path(splits.description["root"]) / MARKER
    if marker.is_file():
        splits.description["generator"] = json.loads(marker.read_text())
    return splits
