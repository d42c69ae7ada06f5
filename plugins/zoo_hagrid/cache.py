"""The prepared cache written by ``zoo data prepare``: small JPEGs plus ``zoo-cache.json``.

In ``crop`` mode each hand is stored as the square around it at the largest training scale (2),
at most ``2 × size`` pixels across, with its box re-expressed in that square: the usual crop code
then takes any scale in [1, 2] from it without touching the original frame. In ``full_frame``
mode each frame is stored with its longest side at ``size``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from zoo_core.data import DataError
from zoo_hagrid.records import Annotations, Entry, Hand

INDEX = "zoo-cache.json"
CACHE_VERSION = 1
CONTEXT = 2.0  # the largest crop scale a cached hand serves


def is_cache(root: Path) -> bool:
    return (root / INDEX).is_file()


def entry_row(entry: Entry, cache: Path) -> list[Any]:
    """One entry as a compact JSON row, with paths relative to the cache."""

    def relative(path: str | Path | None) -> str | None:
        return None if path is None else Path(path).relative_to(cache).as_posix()

    hands = [[hand.label, list(hand.box), relative(hand.path)] for hand in entry.hands]
    return [
        entry.image_id,
        entry.gesture,
        entry.user_id,
        entry.leading_hand,
        entry.source,
        relative(entry.path) if entry.path.is_relative_to(cache) else None,
        hands,
    ]


def row_entry(row: list[Any], cache: Path, split: str, index: Path) -> Entry:
    try:
        image_id, gesture, user_id, leading, source, path, hands = row
        return Entry(
            image_id=str(image_id),
            path=cache / path if path else cache / "missing" / f"{image_id}.jpg",
            gesture=str(gesture),
            hands=tuple(
                Hand(str(label), tuple(float(v) for v in box), str(cache / hand) if hand else None)  # type: ignore[arg-type]
                for label, box, hand in hands
            ),
            user_id=str(user_id),
            split=split,
            source=str(source),
            leading_hand=str(leading),
        )
    except (TypeError, ValueError) as error:
        raise DataError(f"{index}: malformed cache row {row!r:.120}: {error}") from None


def write_index(cache: Path, meta: dict[str, Any], splits: dict[str, list[Entry]]) -> Path:
    index = cache / INDEX
    body = {**meta, "zoo_hagrid_cache": CACHE_VERSION}
    body["splits"] = {
        name: [entry_row(e, cache) for e in entries] for name, entries in splits.items()
    }
    temporary = index.with_suffix(".tmp")
    temporary.write_text(json.dumps(body, separators=(",", ":")) + "\n")
    temporary.replace(index)
    return index


def read_cache(cache: Path) -> tuple[Annotations, dict[str, Any]]:
    """The entries of a prepared cache (paths pointing into it) and its metadata."""
    index = cache / INDEX
    try:
        body = json.loads(index.read_text())
    except OSError as error:
        raise DataError(f"{index}: cannot read cache index: {error.strerror or error}") from None
    except ValueError as error:
        raise DataError(f"{index}: malformed JSON: {error}") from None
    if not isinstance(body, dict) or body.get("zoo_hagrid_cache") != CACHE_VERSION:
        raise DataError(
            f"{index}: not a zoo_hagrid cache of version {CACHE_VERSION}; prepare it again"
        )
    splits = body.pop("splits", {})
    annotations = Annotations(root=cache, format=str(body.get("format", "v1")))
    for name, rows in splits.items():
        annotations.splits[name] = [row_entry(row, cache, name, index) for row in rows]
    return annotations, body
