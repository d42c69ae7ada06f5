"""Reading HaGRID annotation releases (v1, v2, v2-1M) into :class:`Entry` lists.

A release is a set of ``<gesture>.json`` files, each mapping an image id to its ``bboxes``
(normalized ``[x, y, w, h]``), parallel ``labels`` and ``user_id``; they sit in one folder per
official split: ``ann_train_val/``, ``ann_test/``, ``ann_subsample/`` (v1) or ``train/``, ``val/``,
``test/`` (v2, v2-1M). A folder of ``<gesture>.json`` files alone is read as one ``subsample``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zoo_core.data import DataError
from zoo_hagrid.classes import FORMATS, V2_1M_CLASSES, V2_1M_ONLY
from zoo_hagrid.records import Annotations, Box, Entry, Hand, Problem

V1_SPLITS: dict[str, str] = {
    "train_val": "ann_train_val",
    "test": "ann_test",
    "subsample": "ann_subsample",
}
V2_SPLITS: tuple[str, ...] = ("train", "val", "test")
ANNOTATION_PARENTS: tuple[str, ...] = ("", "annotations", "hagrid_annotations", "ann")
IMAGE_PARENTS: tuple[str, ...] = ("", "images", "hagrid_dataset", "dataset")
_KNOWN_STEMS = frozenset(V2_1M_CLASSES)

Report = Callable[[Problem], None]


def _json_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if p.stem in _KNOWN_STEMS)


def _looks_1m(files: list[Path]) -> bool:
    if any(p.stem in V2_1M_ONLY for p in files):
        return True
    with files[0].open("rb") as handle:  # the v2-1M fields show in the first entry
        head = handle.read(1 << 16)
    return b'"united_bbox"' in head or b'"hand_landmarks"' in head


def find_release(
    root: Path, fmt: str | None = None, annotations: Path | None = None
) -> tuple[str, dict[str, Path]]:
    """The format of the release under ``root`` and its annotation folder for each split."""
    if fmt is not None and fmt not in FORMATS:
        raise DataError(f"unknown HaGRID format {fmt!r}; known: {', '.join(FORMATS)}")
    bases = [annotations] if annotations else [root / parent for parent in ANNOTATION_PARENTS]
    for base in bases:
        if not base.is_dir():
            continue
        v1 = {s: base / d for s, d in V1_SPLITS.items() if _json_files(base / d)}
        if v1:
            return fmt or "v1", v1
        v2 = {s: base / s for s in V2_SPLITS if _json_files(base / s)}
        if v2:
            files = [f for folder in v2.values() for f in _json_files(folder)]
            return fmt or ("v2-1M" if _looks_1m(files) else "v2"), v2
        flat = _json_files(base)
        if flat:
            return fmt or ("v2-1M" if _looks_1m(flat) else "v1"), {"subsample": base}
    where = annotations or root
    raise DataError(
        f"{where}: no HaGRID annotations found (expected ann_train_val/, ann_test/ or "
        f"ann_subsample/ (v1), train/ val/ test/ (v2), or <gesture>.json files)"
    )


def image_folder(images: Path, split: str, gesture: str) -> Path:
    """Where the images of ``gesture`` in ``split`` are: ``<gesture>/`` by default, or one of
    the download layouts (``subsample/<gesture>``, ``train_val_<gesture>``…)."""
    names = [gesture, f"{split}/{gesture}", f"{split}_{gesture}", f"{split}_{gesture}/{gesture}"]
    names.append(f"subsample/{gesture}")
    for parent in IMAGE_PARENTS:
        for name in names:
            folder = images / parent / name
            if folder.is_dir():
                return folder
    return images / gesture


def _box(value: Any) -> Box:
    """A box as 4 floats; anything else becomes NaNs (reported as a malformed box)."""
    if isinstance(value, (list, tuple)) and len(value) == 4:
        try:
            x, y, w, h = (float(v) for v in value)
        except (TypeError, ValueError):
            pass
        else:
            return (x, y, w, h)
    return (math.nan, math.nan, math.nan, math.nan)


def _united(item: dict[str, Any]) -> list[Hand]:
    """The two-hand boxes of v2-1M (``united_bbox``/``united_label``), where present."""
    boxes, labels = item.get("united_bbox"), item.get("united_label")
    if not isinstance(boxes, list) or not isinstance(labels, list):
        return []
    hands = {}
    for box, label in zip(boxes, labels, strict=False):
        if box is not None and label is not None and str(label) != "no_gesture":
            hands[(str(label), _box(box))] = Hand(str(label), _box(box))
    return list(hands.values())


def _hands(item: dict[str, Any]) -> tuple[Hand, ...]:
    hands = [
        Hand(str(label), _box(box))
        for box, label in zip(item["bboxes"], item["labels"], strict=True)
    ]
    united = _united(item)
    if united:  # a two-hand gesture is one sample: its united box replaces the two hands
        joined = {hand.label for hand in united}
        hands = [hand for hand in hands if hand.label not in joined] + united
    return tuple(hands)


def _entry_problem(item: Any) -> str | None:
    if not isinstance(item, dict):
        return "expected an object with bboxes, labels and user_id"
    for key in ("bboxes", "labels"):
        if not isinstance(item.get(key), list):
            return f"missing or non-list {key!r}"
    if len(item["bboxes"]) != len(item["labels"]):
        return f"{len(item['bboxes'])} bboxes but {len(item['labels'])} labels"
    return None


def read_file(path: Path, split: str, images: Path, report: Report | None = None) -> list[Entry]:
    """The entries of one ``<gesture>.json``. A structural fault (bad JSON, missing fields)
    raises :class:`DataError`, or is passed to ``report`` (and the entry skipped) when given."""

    def fail(reason: str) -> None:
        if report is None:
            raise DataError(f"{path}: {reason}")
        report(Problem(str(path), reason))

    try:
        data = json.loads(path.read_bytes())
    except OSError as error:
        fail(f"cannot read annotation file: {error.strerror or error}")
        return []
    except ValueError as error:
        fail(f"malformed JSON: {error}")
        return []
    if not isinstance(data, dict):
        fail(f"expected a JSON object mapping image ids to annotations, got {type(data).__name__}")
        return []
    gesture = path.stem
    folder = image_folder(images, split, gesture)
    entries = []
    for image_id, item in data.items():
        problem = _entry_problem(item)
        if problem:
            fail(f"entry {image_id!r}: {problem}")
            continue
        entries.append(
            Entry(
                image_id=image_id,
                path=folder / f"{image_id}.jpg",
                gesture=gesture,
                hands=_hands(item),
                user_id=str(item.get("user_id", "")),
                split=split,
                source=str(path),
                leading_hand=str(item.get("leading_hand", "")),
            )
        )
    return entries


def read_release(
    root: Path,
    fmt: str | None = None,
    annotations: Path | None = None,
    images: Path | None = None,
    report: Report | None = None,
) -> Annotations:
    """Every entry of the release under ``root``, by official split."""
    fmt, folders = find_release(root, fmt, annotations)
    result = Annotations(root=root, format=fmt)
    for split, folder in folders.items():
        entries: list[Entry] = []
        for path in _json_files(folder):
            entries.extend(read_file(path, split, images or root, report))
        result.splits[split] = entries
    return result
