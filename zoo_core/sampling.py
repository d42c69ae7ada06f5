"""Deterministic, seeded choices for dataset plugins: orders come from a keyed hash of
``(seed, id)``, not from a random stream, so adding or removing one sample never reshuffles
the others."""

from __future__ import annotations

import hashlib

from zoo_core.errors import InvalidValue


def hash_key(seed: int, text: str) -> int:
    digest = hashlib.blake2b(f"{seed}:{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def check_per_class(per_class: float | None) -> None:
    """``per_class`` is ``None`` (all), a whole number >= 1, or a fraction in (0, 1)."""
    if per_class is None:
        return
    if per_class <= 0 or (per_class >= 1 and per_class != int(per_class)):
        raise InvalidValue(
            f"per_class must be a whole number of images (>= 1) or a fraction in (0, 1), "
            f"got {per_class}"
        )


def subset_size(per_class: float, available: int) -> int:
    """How many of ``available`` samples of one class ``per_class`` keeps (at least one)."""
    count = int(per_class) if per_class >= 1 else max(1, round(per_class * available))
    return min(count, available)


def describe_subset(per_class: float | None, seed: int) -> str:
    """``per_class`` in words, for the description a dataset gives tables and model cards."""
    if per_class is None:
        return "all images"
    if per_class >= 1:
        return f"{int(per_class)} images per class (seed {seed})"
    return f"{per_class:.0%} of each class (seed {seed})"
