"""The tables' statistics: macro F1 as scikit-learn computes it, a seeded bootstrap interval
around it, and paired differences over seeds with a verdict only when the interval says so."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score

from zoo_core.recipes.stats import NO_DIFFERENCE, f1_interval, macro_f1, paired_difference


def labelled(samples: int, accuracy: float, classes: int = 6, seed: int = 0):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, classes, samples)
    wrong = rng.random(samples) > accuracy
    y_pred = np.where(wrong, rng.integers(0, classes, samples), y_true)
    return y_true, y_pred


def test_macro_f1_is_scikit_learns_for_one_and_for_many_resamples() -> None:
    y_true, y_pred = labelled(300, 0.7, classes=8)
    expected = f1_score(y_true, y_pred, labels=list(range(8)), average="macro", zero_division=0)
    assert macro_f1(y_true, y_pred, 8) == pytest.approx(expected, abs=1e-12)
    picks = np.random.default_rng(1).integers(0, 300, (5, 300))
    batched = macro_f1(y_true[picks], y_pred[picks], 8)
    for row, pick in zip(batched, picks, strict=True):
        one = f1_score(y_true[pick], y_pred[pick], labels=list(range(8)), average="macro",
                       zero_division=0)  # fmt: skip
        assert row == pytest.approx(one, abs=1e-12)


def test_the_bootstrap_interval_is_seeded_and_narrows_with_more_samples() -> None:
    small, large = labelled(100, 0.7), labelled(2000, 0.7)
    low, high = f1_interval(*small, classes=6)
    assert low < macro_f1(*small, 6) < high
    assert f1_interval(*small, classes=6) == (low, high)
    low_large, high_large = f1_interval(*large, classes=6)
    assert high_large - low_large < (high - low) / 2
    assert f1_interval(np.array([1]), np.array([1]), classes=6) is None


def test_a_consistent_gain_over_seeds_is_better_a_noisy_one_is_no_difference() -> None:
    reference = {0: 0.60, 1: 0.62, 2: 0.58, 3: 0.61}
    better = paired_difference(reference, {0: 0.70, 1: 0.71, 2: 0.69, 3: 0.72})
    assert better.verdict == "better" and better.low > 0 and better.seeds == 4
    noisy = paired_difference(reference, {0: 0.65, 1: 0.57, 2: 0.63, 3: 0.56})
    assert noisy.verdict == NO_DIFFERENCE and noisy.low < 0 < noisy.high
    worse = paired_difference(reference, {0: 0.50, 1: 0.53, 2: 0.49, 3: 0.50})
    assert worse.verdict == "worse"
    assert paired_difference(reference, {0: 0.7}).verdict == "one seed: no test"
    assert paired_difference(reference, {9: 0.7}) is None
