"""User-disjoint splits and stratified subsets: deterministic by seed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from zoo_hagrid.dataset import open_synth
from zoo_hagrid.records import Entry, Hand
from zoo_hagrid.splits import per_class_subset, user_split

from zoo_core.data import DataRequest


def entries(n: int, users: int, classes: int = 3) -> list[Entry]:
    return [
        Entry(
            f"i{i}",
            Path(f"{i}.jpg"),
            f"c{i % classes}",
            (Hand(f"c{i % classes}", (0, 0, 1, 1)),),
            f"u{i % users}",
            "s",
            "f",
        )
        for i in range(n)
    ]


def test_user_split_is_disjoint_deterministic_and_sized() -> None:
    items = entries(1000, 97)
    train, val = user_split(items, 0.2, seed=1)
    assert not {e.user_id for e in train} & {e.user_id for e in val}
    assert len(train) + len(val) == 1000 and 190 <= len(val) <= 215
    assert user_split(items, 0.2, seed=1) == (train, val)
    assert user_split(items, 0.2, seed=2)[1] != val
    assert user_split(items, 0.0, seed=1) == (items, [])
    single = entries(10, 1)
    assert user_split(single, 0.5, seed=0) == (single, [])  # train keeps the only user
    with pytest.raises(ValueError):
        user_split(items, 1.0, seed=0)


def test_per_class_subset() -> None:
    items = entries(300, 50)
    five = per_class_subset(items, 5, seed=0)
    assert Counter(e.gesture for e in five) == {"c0": 5, "c1": 5, "c2": 5}
    assert (
        per_class_subset(items, 5.0, seed=0) == five and per_class_subset(items, 5, seed=1) != five
    )
    tenth = per_class_subset(items, 0.1, seed=0)
    assert Counter(e.gesture for e in tenth) == {"c0": 10, "c1": 10, "c2": 10}
    assert per_class_subset(items, None, seed=0) == items
    assert [e for e in items if e in five] == five  # original order kept
    for bad in (0, -1, 2.5):
        with pytest.raises(ValueError):
            per_class_subset(items, bad, seed=0)


def test_synth_dataset_splits_by_user_and_describes_itself(synth_root: Path) -> None:
    splits = open_synth(DataRequest(root=synth_root, image_size=32, per_class=3, seed=0))
    train_users = {e.user_id for e in splits.train.entries}
    val_users = {e.user_id for e in splits.val.entries}
    assert train_users and val_users and not train_users & val_users
    d = splits.description
    assert d["dataset"] == "hagrid-synth" and d["synthetic"] and d["kind"] == "synthetic"
    assert d["format"] == "v1" and d["mode"] == "crop" and d["image_size"] == 32
    assert d["images"]["train"] + d["images"]["val"] == 54
    assert d["subset"] == "3 images per class (seed 0)"
    assert "user_id" in d["split"] and "hagrid-synth (synthetic, HaGRID v1 format)" in d["summary"]
    assert d["generator"]["per_class"] == 4
