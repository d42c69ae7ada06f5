"""Which training samples each optimizer step of an epoch takes: the same in every framework.

An epoch visits the training split in a permutation drawn from ``(seed, epoch)`` alone, so a
resumed run sees the batches an uninterrupted one would. Rank ``r`` of ``n`` takes every ``n``-th
index, cut to ``length // n`` so that all ranks step together. A share is cut into full batches
and its remainder left out, as timm's and MindSpore's training loaders do (one graph shape, and
no BatchNorm step on a batch of one); a share smaller than one batch is one batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from zoo_core.framework import TrainJob


def epoch_order(length: int, seed: int, epoch: int, rank: int = 0, world: int = 1) -> np.ndarray:
    """The split indices rank ``rank`` of ``world`` visits in ``epoch``, in order."""
    order = np.random.default_rng([seed, epoch]).permutation(length)
    return order[rank::world][: length // world]


def batch_size(share: int, requested: int) -> int:
    """The batch size of a rank whose share of the epoch is ``share`` samples."""
    return max(min(requested, share), 1)


def steps_per_epoch(length: int, requested: int, world: int = 1) -> int:
    """Optimizer steps of one epoch over a training split of ``length`` samples."""
    share = length // world
    return max(share // batch_size(share, requested), 1)


def epoch_batches(
    length: int, seed: int, epoch: int, requested: int, rank: int = 0, world: int = 1
) -> list[list[int]]:
    """The split indices of each of this rank's batches in ``epoch``: full batches only."""
    order = epoch_order(length, seed, epoch, rank, world)
    size = batch_size(len(order), requested)
    full = len(order) // size * size
    return [order[start : start + size].tolist() for start in range(0, full, size)]


def schedule(job: TrainJob, length: int, world: int = 1) -> tuple[list[float], int]:
    """The learning rate of every step of ``job`` on a split of ``length``, and the steps per
    epoch."""
    per_epoch = steps_per_epoch(length, job.batch_size, world)
    return job.optimizer_settings.rates(job.epochs * per_epoch), per_epoch
