"""The statistics in every table: a bootstrap confidence interval of one run's macro F1 over its
evaluated samples (scipy's ``bootstrap``), and the paired difference of two models over their
common seeds with its t confidence interval (scipy's ``ttest_rel``) and a plain verdict."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

CONFIDENCE = 0.95
RESAMPLES = 2000
BOOTSTRAP_SEED = 0
NO_DIFFERENCE = "no difference shown at 95 %"


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray, classes: int, axis: int = -1) -> Any:
    """Macro F1 over ``classes`` labels along ``axis`` (any leading batch shape), as scikit-learn
    computes it with ``zero_division=0``: the mean of ``2 tp / (2 tp + fp + fn)``, 0 where that
    is 0 / 0."""
    y_true = np.moveaxis(np.asarray(y_true), axis, -1)
    y_pred = np.moveaxis(np.asarray(y_pred), axis, -1)
    batch = y_true.shape[:-1]
    rows = int(np.prod(batch))
    flat = (y_true.reshape(rows, -1) * classes + y_pred.reshape(rows, -1)).astype(np.int64)
    flat += (np.arange(rows) * classes * classes)[:, None]
    confusion = np.bincount(flat.ravel(), minlength=rows * classes * classes)
    confusion = confusion.reshape(rows, classes, classes)
    tp = np.diagonal(confusion, axis1=1, axis2=2)
    wrong = confusion.sum(axis=1) + confusion.sum(axis=2) - 2 * tp  # fp + fn
    denominator = 2 * tp + wrong
    f1 = np.divide(2 * tp, denominator, out=np.zeros(tp.shape), where=denominator > 0)
    return f1.mean(axis=-1).reshape(batch)


def f1_interval(
    y_true: np.ndarray, y_pred: np.ndarray, classes: int, seed: int = BOOTSTRAP_SEED
) -> tuple[float, float] | None:
    """The 95 % percentile-bootstrap interval of macro F1, resampling (label, prediction)
    pairs; None for fewer than two samples."""
    from scipy.stats import bootstrap

    if len(y_true) < 2:
        return None
    result = bootstrap(
        (np.asarray(y_true), np.asarray(y_pred)),
        lambda t, p, axis: macro_f1(t, p, classes, axis),
        paired=True,
        vectorized=True,
        n_resamples=RESAMPLES,
        confidence_level=CONFIDENCE,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


@dataclass(frozen=True)
class Comparison:
    """``other − reference`` over the seeds both finished."""

    mean: float
    low: float | None
    high: float | None
    seeds: int

    @property
    def verdict(self) -> str:
        if self.low is None or self.high is None:
            return "one seed: no test"
        if self.low > 0:
            return "better"
        if self.high < 0:
            return "worse"
        return NO_DIFFERENCE

    def text(self, digits: int = 3) -> str:
        if self.low is None or self.high is None:
            return f"{self.mean:+.{digits}f}"
        return f"{self.mean:+.{digits}f} [{self.low:+.{digits}f}, {self.high:+.{digits}f}]"

    def to_json(self) -> dict[str, Any]:
        return {
            "mean": self.mean,
            "low": self.low,
            "high": self.high,
            "seeds": self.seeds,
            "confidence": CONFIDENCE,
            "verdict": self.verdict,
        }


def paired_difference(reference: dict[int, float], other: dict[int, float]) -> Comparison | None:
    """``other − reference`` paired by seed (``{seed: score}``): the mean difference and its
    t interval (n − 1 degrees of freedom); None when no seed is common to both."""
    seeds = sorted(set(reference) & set(other))
    if not seeds:
        return None
    a = np.array([other[seed] for seed in seeds])
    b = np.array([reference[seed] for seed in seeds])
    mean = float(np.mean(a - b))
    if len(seeds) < 2:
        return Comparison(mean, None, None, len(seeds))
    if np.ptp(a - b) < 1e-12:  # no spread (up to rounding): the interval is the point itself
        return Comparison(mean, mean, mean, len(seeds))
    from scipy.stats import ttest_rel

    interval = ttest_rel(a, b).confidence_interval(CONFIDENCE)
    return Comparison(mean, float(interval.low), float(interval.high), len(seeds))
