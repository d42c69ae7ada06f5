"""Batches of a dataset split (which indices, ``zoo_core.epochs``), bad samples dropped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from zoo_core.data import BadSample, SampleSource


class Batch(NamedTuple):
    indices: torch.Tensor
    images: torch.Tensor  # uint8 (N, H, W, 3)
    labels: torch.Tensor  # int64 (N,)
    bad: list[tuple[str, str]]  # (path, reason) of the samples left out


class Skipped(NamedTuple):
    index: int
    path: str
    reason: str


class SafeSamples(Dataset):
    """A split whose bad samples come back as :class:`Skipped` instead of raising, so that a
    worker process can hand them over and the batch goes on without them."""

    def __init__(self, split: SampleSource) -> None:
        self.split = split

    def __len__(self) -> int:
        return len(self.split)

    def __getitem__(self, index: int) -> tuple[int, np.ndarray, int] | Skipped:
        try:
            image, label = self.split[index]
        except BadSample as error:
            return Skipped(index, error.path, error.reason)
        return index, image, int(label)


def collate(items: Sequence[tuple[int, np.ndarray, int] | Skipped]) -> Batch:
    good = [item for item in items if not isinstance(item, Skipped)]
    bad = [(item.path, item.reason) for item in items if isinstance(item, Skipped)]
    if not good:
        empty = torch.empty(0, dtype=torch.int64)
        return Batch(empty, torch.empty(0, 0, 0, 3, dtype=torch.uint8), empty, bad)
    return Batch(
        torch.tensor([item[0] for item in good], dtype=torch.int64),
        torch.from_numpy(np.stack([item[1] for item in good])),
        torch.tensor([item[2] for item in good], dtype=torch.int64),
        bad,
    )


def epoch_seed(seed: int, epoch: int) -> int:
    """One 63-bit seed per (run seed, epoch)."""
    return int(np.random.SeedSequence([seed, epoch]).generate_state(1, np.uint64)[0]) >> 1


def in_batches(indices: np.ndarray, batch_size: int) -> list[list[int]]:
    return [indices[i : i + batch_size].tolist() for i in range(0, len(indices), batch_size)]


def loader(
    split: SampleSource,
    batches: list[list[int]],
    workers: int,
    pin_memory: bool,
) -> DataLoader:
    options: dict[str, Any] = {}
    if workers > 0:
        options = {"prefetch_factor": 4, "persistent_workers": False}
    return DataLoader(
        SafeSamples(split),
        batch_sampler=batches,
        collate_fn=collate,
        num_workers=workers,
        pin_memory=pin_memory,
        **options,
    )
