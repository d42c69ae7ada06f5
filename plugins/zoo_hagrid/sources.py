"""The sample sources: one split's entries turned into ``(uint8 image, label)`` pairs.

``crop`` gives one hand per sample. In training, each image is one sample: its gesture hand,
or with probability ``no_gesture_prob`` its idle (``no_gesture``) hand when it has one, in a
square crop scaled by a random factor in ``[1, 2]``; the draws depend only on
``(seed, epoch, index)``, so a resumed run sees the very same samples. In evaluation every hand
is one sample, cropped at scale 1. ``full_frame`` gives the whole image, labelled by its gesture.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from zoo_core.data import BadSample
from zoo_core.errors import InvalidValue
from zoo_core.images import FILL, draft, letterbox, load_rgb, open_image, render_region
from zoo_hagrid.classes import NO_GESTURE
from zoo_hagrid.geometry import crop_region
from zoo_hagrid.records import Entry, Hand

MODES: tuple[str, ...] = ("crop", "full_frame")
SCALE_RANGE: tuple[float, float] = (1.0, 2.0)


def crop_hand(
    entry: Entry, hand: Hand, scale: float, size: int, fill: tuple[int, int, int] = FILL
) -> np.ndarray:
    """The square crop of ``hand`` (side ``max(w, h) * scale``), decoded at the smallest JPEG
    draft scale that still gives ``size`` pixels across."""
    problem = hand.unusable()
    if problem:
        raise BadSample(entry.source, f"image {entry.image_id!r}: {problem}")
    path = hand.path or entry.path
    image = open_image(path)
    width, height = image.size
    x, y, w, h = hand.box
    side = max(w * width, h * height) * scale
    factor = draft(image, side / size)
    decoded = load_rgb(image, path)
    box = (x * width / factor, y * height / factor, w * width / factor, h * height / factor)
    return render_region(decoded, crop_region(box, scale), size, fill)


def full_frame(entry: Entry, size: int, fill: tuple[int, int, int] = FILL) -> np.ndarray:
    """The whole frame, decoded at the smallest draft scale that still fills ``size``."""
    image = open_image(entry.path)
    draft(image, max(image.size) / size)
    return letterbox(load_rgb(image, entry.path), size, fill)


class HagridSource:
    """One split as a :class:`zoo_core.data.SampleSource`."""

    def __init__(
        self,
        entries: Sequence[Entry],
        classes: Sequence[str],
        mode: str = "crop",
        image_size: int = 224,
        seed: int = 0,
        train: bool = False,
        no_gesture_prob: float = 0.3,
        fill: tuple[int, int, int] = FILL,
    ) -> None:
        if mode not in MODES:
            raise InvalidValue(f"unknown sample mode {mode!r}; known: {', '.join(MODES)}")
        self.entries = list(entries)
        self.classes = tuple(classes)
        self.index = {name: i for i, name in enumerate(self.classes)}
        self.mode, self.image_size, self.seed = mode, image_size, seed
        self.train, self.fill = train, fill
        self.idle = NO_GESTURE in self.index and no_gesture_prob > 0
        self.no_gesture_prob = no_gesture_prob if self.idle else 0.0
        self.epoch = 0
        self.items: list[tuple[int, int]] = []  # evaluation crops: (entry, hand) pairs
        if mode == "crop" and not train:
            for number, entry in enumerate(self.entries):
                only_idle = not any(hand.is_gesture for hand in entry.hands)
                for which, hand in enumerate(entry.hands):
                    if hand.is_gesture or only_idle or self.idle:
                        self.items.append((number, which))

    def __len__(self) -> int:
        if self.mode == "crop" and not self.train:
            return len(self.items)
        return len(self.entries)

    def idle_count(self) -> int:
        """How many of the evaluated samples are ``no_gesture`` (idle) hands."""
        return sum(not self.entries[number].hands[which].is_gesture for number, which in self.items)

    def set_epoch(self, epoch: int) -> None:
        self.epoch = int(epoch)

    def label(self, entry: Entry, name: str) -> int:
        try:
            return self.index[name]
        except KeyError:
            raise BadSample(
                entry.source, f"image {entry.image_id!r}: unknown label {name!r}"
            ) from None

    def pick(self, entry: Entry, rng: np.random.Generator) -> Hand:
        """The training hand: the gesture hand, or (with ``no_gesture_prob``) an idle one."""
        idle = entry.idle_hands if self.idle else ()
        if idle and rng.random() < self.no_gesture_prob:
            return idle[int(rng.integers(len(idle)))]
        hands = entry.gesture_hands
        return hands[int(rng.integers(len(hands)))]

    def __getitem__(self, index: int) -> tuple[np.ndarray, int]:
        if not 0 <= index < len(self):
            raise IndexError(index)
        if self.mode == "full_frame":
            entry = self.entries[index]
            return full_frame(entry, self.image_size, self.fill), self.label(entry, entry.gesture)
        if self.train:
            entry = self.entries[index]
            rng = np.random.default_rng((self.seed % 2**32, self.epoch, index))
            hand = self.pick(entry, rng)
            scale = float(rng.uniform(*SCALE_RANGE))
        else:
            number, which = self.items[index]
            entry, scale = self.entries[number], 1.0
            hand = entry.hands[which]
        label = self.label(entry, hand.label)
        return crop_hand(entry, hand, scale, self.image_size, self.fill), label
