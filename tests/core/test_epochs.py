"""Which samples each training step takes (``zoo_core.epochs``), shared by every framework."""

from __future__ import annotations

import numpy as np
import pytest

from zoo_core import epochs


def test_an_epoch_order_depends_on_seed_and_epoch_only() -> None:
    first = epochs.epoch_order(100, seed=1, epoch=0)
    assert sorted(first) == list(range(100))
    assert np.array_equal(first, epochs.epoch_order(100, seed=1, epoch=0))
    assert not np.array_equal(first, epochs.epoch_order(100, seed=1, epoch=1))
    assert not np.array_equal(first, epochs.epoch_order(100, seed=2, epoch=0))


def test_ranks_share_an_epoch_evenly_without_overlap() -> None:
    shares = [epochs.epoch_order(101, 0, 3, rank, 3) for rank in range(3)]
    assert [len(share) for share in shares] == [33, 33, 33]
    assert len(set(np.concatenate(shares).tolist())) == 99


@pytest.mark.parametrize(
    ("length", "batch", "world", "steps", "size"),
    [
        (72, 8, 1, 9, 8),  # whole batches
        (72, 7, 1, 10, 7),  # a remainder of two, left out
        (570, 32, 1, 17, 32),
        (101, 8, 3, 4, 8),  # 33 per rank
        (5, 32, 1, 1, 5),  # fewer samples than a batch: one batch of them all
    ],
)
def test_an_epoch_is_full_batches_and_the_schedule_counts_them(
    length: int, batch: int, world: int, steps: int, size: int
) -> None:
    assert epochs.steps_per_epoch(length, batch, world) == steps
    plans = [epochs.epoch_batches(length, 4, 2, batch, rank, world) for rank in range(world)]
    for rank, plan in enumerate(plans):
        assert len(plan) == steps and {len(indices) for indices in plan} == {size}
        flat = [index for indices in plan for index in indices]
        share = epochs.epoch_order(length, 4, 2, rank, world)
        assert flat == share[: steps * size].tolist()
