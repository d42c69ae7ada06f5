"""What an annotation says about one image, independent of the format it came from."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from zoo_hagrid.classes import NO_GESTURE

Box = tuple[float, float, float, float]  # normalized [x_topleft, y_topleft, width, height]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a dataset: the file it is in, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Hand:
    """One labelled box. ``path`` names a per-hand image (a prepared crop) whose frame ``box``
    refers to; ``None`` means the entry's image."""

    label: str
    box: Box
    path: str | None = None

    @property
    def is_gesture(self) -> bool:
        return self.label != NO_GESTURE

    def box_problem(self, tolerance: float = 1e-3) -> str | None:
        """Why the box is unusable or out of range, or ``None`` when it is fine."""
        x, y, w, h = self.box
        if not all(math.isfinite(v) for v in self.box):
            return f"malformed box {list(self.box)} (needs 4 numbers [x, y, w, h])"
        if w <= 0 or h <= 0:
            return f"empty box {list(self.box)} (width and height must be > 0)"
        if x < -tolerance or y < -tolerance or x + w > 1 + tolerance or y + h > 1 + tolerance:
            return f"box {list(self.box)} out of range (normalized boxes lie in [0, 1])"
        return None

    def unusable(self) -> str | None:
        """Why no crop can be taken from the box (malformed, empty, wholly outside the image)."""
        problem = self.box_problem()
        if problem is None or "out of range" not in problem:
            return problem
        x, y, w, h = self.box
        if x >= 1 or y >= 1 or x + w <= 0 or y + h <= 0:
            return f"box {list(self.box)} lies outside the image"
        return None


@dataclass(frozen=True, slots=True)
class Entry:
    """One annotated image: listed under ``gesture`` (its annotation file) in ``split``."""

    image_id: str
    path: Path
    gesture: str
    hands: tuple[Hand, ...]
    user_id: str
    split: str
    source: str  # the annotation file, for error messages
    leading_hand: str = ""

    @property
    def gesture_hands(self) -> tuple[Hand, ...]:
        """The hands showing a gesture; for an image of idle hands only, every hand."""
        hands = tuple(hand for hand in self.hands if hand.is_gesture)
        return hands or self.hands

    @property
    def idle_hands(self) -> tuple[Hand, ...]:
        """The ``no_gesture`` hands of an image that also shows a gesture."""
        if not any(hand.is_gesture for hand in self.hands):
            return ()
        return tuple(hand for hand in self.hands if not hand.is_gesture)


@dataclass
class Annotations:
    """A parsed release: its format, and its entries by source split (``train_val``, ``test``,
    ``subsample`` for v1; ``train``, ``val``, ``test`` for v2)."""

    root: Path
    format: str
    splits: dict[str, list[Entry]] = field(default_factory=dict)

    @property
    def entries(self) -> list[Entry]:
        return [entry for entries in self.splits.values() for entry in entries]
