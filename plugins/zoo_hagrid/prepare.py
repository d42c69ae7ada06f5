"""``zoo data prepare``: decode the originals once into a cache of small JPEGs (see
:mod:`zoo_hagrid.cache`), so that training epochs never touch the full-size frames."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PIL import Image

from zoo_core.data import BadSample, DataError
from zoo_core.images import draft, load_rgb, open_image
from zoo_hagrid.cache import CONTEXT, INDEX, write_index
from zoo_hagrid.formats import read_release
from zoo_hagrid.records import Entry, Hand, Problem
from zoo_hagrid.sources import MODES, crop_hand
from zoo_hagrid.synth.writer import MARKER

QUALITY = 95


@dataclass
class PrepareReport:
    out: Path
    entries: int = 0
    files: int = 0
    skipped: list[Problem] = field(default_factory=list)


def _save(array_or_image: Any, path: Path) -> None:
    image = (
        array_or_image
        if isinstance(array_or_image, Image.Image)
        else Image.fromarray(array_or_image)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, quality=QUALITY)


def cached_hand(entry: Entry, number: int, hand: Hand, size: int, folder: Path) -> Hand:
    """Store the scale-2 square around ``hand`` and return the hand re-expressed in it."""
    with open_image(entry.path) as image:
        width, height = image.size
    x, y, w, h = hand.box
    w_px, h_px = w * width, h * height
    longest = max(w_px, h_px)
    side = max(8, min(2 * size, math.ceil(CONTEXT * longest)))
    path = folder / f"{entry.image_id}_{number}.jpg"
    _save(crop_hand(entry, hand, CONTEXT, side), path)
    w_new, h_new = w_px / (CONTEXT * longest), h_px / (CONTEXT * longest)
    return Hand(hand.label, (0.5 - w_new / 2, 0.5 - h_new / 2, w_new, h_new), str(path))


def cached_frame(entry: Entry, size: int, folder: Path) -> Path:
    """Store the frame with its longest side at ``size`` (never enlarged)."""
    image = open_image(entry.path)
    full_w, full_h = image.size
    scale = min(1.0, size / max(full_w, full_h))
    draft(image, 1 / scale)
    decoded = load_rgb(image, entry.path)
    new = (max(1, round(full_w * scale)), max(1, round(full_h * scale)))
    if decoded.size != new:
        decoded = decoded.resize(new, Image.Resampling.BILINEAR)
    path = folder / f"{entry.image_id}.jpg"
    _save(decoded, path)
    return path


def prepare_entry(entry: Entry, mode: str, size: int, out: Path) -> Entry | Problem:
    folder = out / entry.split / entry.gesture
    try:
        if mode == "full_frame":
            return replace(entry, path=cached_frame(entry, size, folder))
        hands = tuple(
            hand if hand.unusable() else cached_hand(entry, number, hand, size, folder)
            for number, hand in enumerate(entry.hands)
        )
        return replace(entry, hands=hands)
    except BadSample as bad:
        return Problem(bad.path, bad.reason)


def prepare(
    root: Path,
    out: Path,
    size: int = 224,
    mode: str = "crop",
    options: dict[str, Any] | None = None,
    workers: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> PrepareReport:
    """Write the cache for ``mode`` at ``size`` px to ``out``; unreadable images are skipped
    and listed in the report (and in the index)."""
    if mode not in MODES:
        raise DataError(f"unknown mode {mode!r}; known: {', '.join(MODES)}")
    options = options or {}
    release = read_release(
        root,
        options.get("format"),
        Path(options["annotations"]) if options.get("annotations") else None,
        Path(options["images"]) if options.get("images") else None,
    )
    out = out.expanduser().resolve()
    if out.exists() and any(out.iterdir()) and not (out / INDEX).is_file():
        raise DataError(f"{out}: not empty and not a zoo cache; choose a new folder")
    report = PrepareReport(out)
    jobs = [entry for entries in release.splits.values() for entry in entries]
    results: dict[str, list[Entry]] = {name: [] for name in release.splits}
    with ThreadPoolExecutor(workers or os.cpu_count() or 1) as pool:
        work = pool.map(lambda e: prepare_entry(e, mode, size, out), jobs)
        for done, (entry, result) in enumerate(zip(jobs, work, strict=True), 1):
            if isinstance(result, Problem):
                report.skipped.append(result)
            else:
                results[entry.split].append(result)
            if progress:
                progress(done, len(jobs))
    report.entries = sum(len(v) for v in results.values())
    meta = {
        "mode": mode,
        "size": size,
        "format": release.format,
        "source": str(Path(root).resolve()),
        "synthetic": (Path(root) / MARKER).is_file(),
        "context": CONTEXT if mode == "crop" else None,
        "skipped": [[p.path, p.reason] for p in report.skipped],
    }
    write_index(out, meta, results)
    report.files = sum(1 for _ in out.rglob("*.jpg"))
    return report
