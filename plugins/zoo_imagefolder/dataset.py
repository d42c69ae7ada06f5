"""The opener named by the ``imagefolder`` :class:`DatasetSpec`: ``open_folder(request)``.

``request.options`` keys: ``val_fraction`` (share of each class held out for val when the tree
has no ``val/``; default ``request.val_fraction``, 0.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from zoo_core.data import DataError, DataRequest, DataSplits
from zoo_core.images import FILL, whole_image
from zoo_core.sampling import check_per_class, describe_subset, hash_key, subset_size
from zoo_imagefolder.layout import Tree, scan

MODE = "full_frame"
Item = tuple[Path, int]


class FolderSource:
    """One split as a :class:`zoo_core.data.SampleSource`: each image whole, upright (EXIF),
    letterboxed to ``image_size``; an unreadable file raises ``BadSample``."""

    def __init__(self, items: Sequence[Item], image_size: int) -> None:
        self.items = list(items)
        self.image_size = image_size
        self.epoch = 0

    def __len__(self) -> int:
        return len(self.items)

    def set_epoch(self, epoch: int) -> None:
        self.epoch = int(epoch)  # no augmentation: every epoch sees the same images

    def __getitem__(self, index: int) -> tuple[Any, int]:
        if not 0 <= index < len(self.items):
            raise IndexError(index)
        path, label = self.items[index]
        return whole_image(path, self.image_size, FILL), label


def key(tree: Tree, path: Path) -> str:
    return path.relative_to(tree.root).as_posix()


def ordered(tree: Tree, paths: list[Path], seed: int) -> list[Path]:
    return sorted(paths, key=lambda path: hash_key(seed, key(tree, path)))


def subset(tree: Tree, paths: list[Path], per_class: float | None, seed: int) -> list[Path]:
    """``per_class`` images of one class (or that fraction), chosen by seed; order kept."""
    if per_class is None:
        return paths
    keep = set(ordered(tree, paths, seed)[: subset_size(per_class, len(paths))])
    return [path for path in paths if path in keep]


def split_off(
    tree: Tree, paths: list[Path], fraction: float, seed: int
) -> tuple[list[Path], list[Path]]:
    """(train, val) of one class: ``fraction`` of its images (rounded, at least one when it
    has two) go to val, chosen by seed; train keeps at least one."""
    count = min(max(round(fraction * len(paths)), 1 if len(paths) > 1 else 0), len(paths) - 1)
    held = set(ordered(tree, paths, seed)[: max(count, 0)])
    return [p for p in paths if p not in held], [p for p in paths if p in held]


def split_files(tree: Tree, request: DataRequest, fraction: float) -> tuple[dict, str]:
    """Files per split (train, val, test) and class, and how they were split."""
    seed, per_class = request.seed, request.per_class
    pools = {
        split: {name: subset(tree, paths, per_class, seed) for name, paths in by_class.items()}
        for split, by_class in tree.files.items()
    }
    if "val" in pools:
        return {s: pools.get(s, {}) for s in ("train", "val", "test")}, "given train/ val/ splits"
    pool = pools.get("train", pools.get("all", {}))
    train, val = {}, {}
    for name, paths in pool.items():
        train[name], val[name] = split_off(tree, paths, fraction, seed)
    how = f"val = {fraction:.0%} of each class (seed {seed})"
    if "train" in pools:
        how = f"train/ split: {how}"
    return {"train": train, "val": val, "test": pools.get("test", {})}, how


def items(classes: tuple[str, ...], by_class: dict[str, list[Path]]) -> list[Item]:
    return [(path, label) for label, name in enumerate(classes) for path in by_class.get(name, [])]


def val_fraction(request: DataRequest) -> float:
    value = request.options.get("val_fraction", request.val_fraction)
    try:
        fraction = float(value)
    except (TypeError, ValueError):
        fraction = -1.0
    if not 0 < fraction < 1:
        raise DataError(f"imagefolder: option val_fraction = {value!r}: must be in (0, 1)")
    return fraction


def open_folder(request: DataRequest) -> DataSplits:
    """Open the image folder at ``request.root``."""
    if request.root is None:
        raise DataError("dataset 'imagefolder' needs a folder: pass --data PATH")
    if request.mode not in ("", MODE):
        raise DataError(
            f"imagefolder: mode {request.mode!r} needs hand boxes, which an image folder has "
            f"none of; its images are used whole (mode {MODE})"
        )
    unknown = sorted(set(request.options) - {"val_fraction"})
    if unknown:
        raise DataError(f"imagefolder: unknown option(s) {', '.join(unknown)}; known: val_fraction")
    check_per_class(request.per_class)
    tree = scan(Path(request.root).expanduser())
    splits, how = split_files(tree, request, val_fraction(request))
    classes = tree.classes
    sources = {name: items(classes, splits[name]) for name in ("train", "val", "test")}
    if not sources["train"]:
        raise DataError(f"{tree.root}: no training images (after the split and subset)")
    test = FolderSource(sources["test"], request.image_size) if sources["test"] else None
    result = DataSplits(
        classes,
        FolderSource(sources["train"], request.image_size),
        FolderSource(sources["val"], request.image_size),
        test,
    )
    result.description = describe(tree, request, sources, how)
    return result


def describe(
    tree: Tree, request: DataRequest, sources: dict[str, list[Item]], how: str
) -> dict[str, Any]:
    """What was measured on: for tables and model cards."""
    subset_text = describe_subset(request.per_class, request.seed)
    samples = {name: len(found) for name, found in sources.items() if found or name != "test"}
    counts = " / ".join(f"{n:,} {name}" for name, n in samples.items())
    left_out = f"; {len(tree.problems)} left out (see zoo data verify)" if tree.problems else ""
    summary = (
        f"imagefolder {tree.root} ({len(tree.classes)} classes), whole images "
        f"{request.image_size}px, {subset_text}: {counts} images; {how}{left_out}"
    )
    return {
        "dataset": "imagefolder",
        "synthetic": False,
        "kind": "real",
        "format": "imagefolder",
        "root": str(tree.root.resolve()),
        "mode": MODE,
        "image_size": request.image_size,
        "classes": len(tree.classes),
        "subset": subset_text,
        "split": how,
        "images": samples,
        "samples": samples,
        "seed": request.seed,
        "problems": [str(problem) for problem in tree.problems],
        "ignored_files": len(tree.ignored),
        "summary": summary,
    }
