"""Deterministic inputs and weights for the checks, as numpy arrays (no framework)."""

from __future__ import annotations

import math

import numpy as np


def images(count: int, size: int, seed: int) -> np.ndarray:
    """``uint8 (count, size, size, 3)`` noise images, as a dataset plugin would yield them."""
    return np.random.default_rng(seed).integers(0, 256, (count, size, size, 3), dtype=np.uint8)


def labels(count: int, num_classes: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed + 1).integers(0, num_classes, count).astype(np.int64)


def normalized(batch: np.ndarray, mean: tuple, std: tuple) -> np.ndarray:
    """``float32 (N, 3, H, W)`` model input from ``uint8 (N, H, W, 3)`` images."""
    scaled = batch.astype(np.float32) / 255.0
    scaled = (scaled - np.asarray(mean, np.float32)) / np.asarray(std, np.float32)
    return np.ascontiguousarray(scaled.transpose(0, 3, 1, 2))


def synthetic_state(template: dict[str, np.ndarray], seed: int) -> dict[str, np.ndarray]:
    """Weights for every entry of ``template`` (same names, shapes, dtypes) from ``seed`` alone.

    Every value is random, so no parameter (a zero-initialised gamma, say) can hide a fault.
    The scales keep a deep residual network's logits near 1, which makes an absolute tolerance
    like 1e-4 meaningful: He-normal for weights with a fan-in, 0.25–0.75 for 1-d weights (norm
    scales), 0.5–1.5 for running variances, N(0, 0.1) for biases and running means. Integer
    entries (BatchNorm's ``num_batches_tracked``) are copied.
    """
    rng = np.random.default_rng(seed)
    state: dict[str, np.ndarray] = {}
    for name in sorted(template):
        value = template[name]
        if not np.issubdtype(value.dtype, np.floating):
            state[name] = value.copy()
            continue
        leaf = name.rsplit(".", 1)[-1]
        shape = value.shape
        if leaf == "running_var":
            drawn = rng.uniform(0.5, 1.5, shape)
        elif leaf == "weight" and value.ndim <= 1:
            drawn = rng.uniform(0.25, 0.75, shape)
        elif value.ndim >= 2:
            drawn = rng.normal(0.0, math.sqrt(2.0 / math.prod(shape[1:])), shape)
        else:
            drawn = rng.normal(0.0, 0.1, shape)
        state[name] = drawn.astype(value.dtype)
    return state
