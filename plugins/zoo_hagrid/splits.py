"""Deterministic, seeded splitting: user-disjoint train/val and stratified per-class subsets.

Orders come from a keyed hash of ``(seed, id)``, not from a random stream, so adding or removing
one image or user never reshuffles the others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from zoo_core.errors import InvalidValue
from zoo_core.sampling import check_per_class, hash_key
from zoo_hagrid.records import Entry


def user_split(
    entries: Sequence[Entry], val_fraction: float, seed: int
) -> tuple[list[Entry], list[Entry]]:
    """Split into train and val so that no ``user_id`` is in both; val gets whole users, in
    seeded order, until it holds at least ``val_fraction`` of the images."""
    if not 0 <= val_fraction < 1:
        raise InvalidValue(f"val_fraction must be in [0, 1), got {val_fraction}")
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        counts[entry.user_id] += 1
    users = sorted(counts, key=lambda user: hash_key(seed, user))
    target = val_fraction * len(entries)
    val_users: set[str] = set()
    taken = 0
    for user in users[:-1]:  # the train split always keeps at least one user
        if taken >= target:
            break
        val_users.add(user)
        taken += counts[user]
    train = [entry for entry in entries if entry.user_id not in val_users]
    val = [entry for entry in entries if entry.user_id in val_users]
    return train, val


def per_class_subset(entries: Sequence[Entry], per_class: float | None, seed: int) -> list[Entry]:
    """A stratified subset: ``N`` images of each gesture (``per_class >= 1``) or that fraction of
    each (``0 < per_class < 1``, at least one), chosen by seed; order is kept."""
    check_per_class(per_class)
    if per_class is None:
        return list(entries)
    by_class: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_class[entry.gesture].append(entry)
    keep: set[int] = set()
    for items in by_class.values():
        items.sort(key=lambda entry: hash_key(seed, entry.image_id))
        count = int(per_class) if per_class >= 1 else max(1, round(per_class * len(items)))
        keep.update(id(entry) for entry in items[:count])
    return [entry for entry in entries if id(entry) in keep]
