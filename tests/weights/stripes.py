"""A dataset plugin for the fine-tuning tests: gratings whose orientation is the class.

``stripes-12``: 12 classes, orientation in 15° bins from 0°. ``stripes-4``: 4 other classes,
45° bins from 22.5° (so every new class straddles two old ones). Images are 32 × 32 sinusoidal
gratings of random frequency, phase and tint, with noise; a small CNN learns their orientation
in a few epochs, so a run trained on one class set has features worth starting the other from.
"""

from __future__ import annotations

import math

import numpy as np

from zoo_core import DatasetSpec, hookimpl
from zoo_core.data import DataRequest, DataSplits

PER_CLASS = {"train": 16, "val": 6}
SIZE = 32
SETS = {"stripes-12": (12, 0.0), "stripes-4": (4, 22.5)}


class Gratings:
    def __init__(self, bins: int, offset: float, split: str, seed: int) -> None:
        self.bins, self.offset, self.seed, self.split = bins, offset, seed, split
        self.count = PER_CLASS[split] * bins

    def __len__(self) -> int:
        return self.count

    def set_epoch(self, epoch: int) -> None:
        pass

    def __getitem__(self, index: int) -> tuple[np.ndarray, int]:
        if not 0 <= index < self.count:
            raise IndexError(index)
        rng = np.random.default_rng([self.seed, index, 0 if self.split == "train" else 1])
        angle = rng.uniform(0, 180)
        label = int(((angle - self.offset) % 180) // (180 / self.bins))
        theta = math.radians(angle)
        y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
        frequency = rng.uniform(0.15, 0.45)
        wave = np.sin(frequency * (x * math.cos(theta) + y * math.sin(theta)) + rng.uniform(0, 6))
        tint = rng.uniform(0.4, 1.0, 3)
        image = 0.5 + 0.4 * wave[..., None] * tint + rng.normal(0, 0.08, (SIZE, SIZE, 3))
        return (np.clip(image, 0, 1) * 255).astype(np.uint8), label


def open_stripes(name: str, request: DataRequest) -> DataSplits:
    bins, offset = SETS[name]
    classes = tuple(f"{name}-{index}" for index in range(bins))
    return DataSplits(
        classes=classes,
        train=Gratings(bins, offset, "train", request.seed),
        val=Gratings(bins, offset, "val", request.seed),
        description={"name": name, "summary": f"{name}: oriented gratings", "synthetic": True},
    )


def open_12(request: DataRequest) -> DataSplits:
    return open_stripes("stripes-12", request)


def open_4(request: DataRequest) -> DataSplits:
    return open_stripes("stripes-4", request)


class StripesPlugin:
    @hookimpl
    def zoo_datasets(self) -> list[DatasetSpec]:
        return [
            DatasetSpec(
                name=name,
                description=f"oriented gratings in {bins} classes (tests only)",
                opener=f"stripes:open_{bins}",
                classes=tuple(f"{name}-{index}" for index in range(bins)),
                synthetic=True,
            )
            for name, (bins, _) in SETS.items()
        ]
