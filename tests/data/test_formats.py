"""Annotation formats: class order, the real v1 subsample, v2 and v2-1M in their schema."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from zoo_hagrid.classes import NO_GESTURE, V1_CLASSES, V2_1M_CLASSES, classes_for
from zoo_hagrid.dataset import open_hagrid
from zoo_hagrid.formats import find_release, read_release
from zoo_hagrid.splits import user_split

from zoo_core.data import DataError, DataRequest


def test_class_lists_follow_the_authors_order() -> None:
    assert V1_CLASSES[:5] == ("call", "dislike", "fist", "four", "like")
    assert V1_CLASSES[-3:] == ("three2", "peace_inverted", "no_gesture")
    assert len(V1_CLASSES) == 19 and len(V2_1M_CLASSES) == 34
    assert V2_1M_CLASSES[:4] == ("grabbing", "grip", "holy", "point")
    assert V2_1M_CLASSES.index("call") == 4 and V2_1M_CLASSES.index("dislike") == 13
    assert V2_1M_CLASSES[-4:] == ("three_gun", "thumb_index", "thumb_index2", NO_GESTURE)
    assert classes_for("v1", no_gesture=False) == V1_CLASSES[:-1]
    assert classes_for("v2") == V1_CLASSES


def test_real_v1_subsample(hagrid_sample: Path) -> None:
    folder = hagrid_sample / "annotations_v1_subsample"
    release = read_release(folder)
    assert release.format == "v1" and list(release.splits) == ["subsample"]
    entries = release.entries
    assert len(entries) == 1800
    assert Counter(e.gesture for e in entries) == {g: 100 for g in V1_CLASSES[:-1]}
    assert len({e.user_id for e in entries}) == 1230
    labels = Counter(hand.label for e in entries for hand in e.hands)
    assert labels[NO_GESTURE] == 898
    assert set(labels) == set(V1_CLASSES)
    for e in entries:
        assert e.gesture in {hand.label for hand in e.hands}
        assert e.leading_hand in ("left", "right")
        assert e.path == folder / e.gesture / f"{e.image_id}.jpg"
        for hand in e.hands:
            x, y, w, h = hand.box
            assert 0 <= x <= 1 and 0 <= y <= 1 and 0 < w <= 1 and 0 < h <= 1
            assert hand.box_problem() is None
    assert sum(len(e.idle_hands) for e in entries) == 898
    train, val = user_split(entries, 0.2, seed=0)
    assert not {e.user_id for e in train} & {e.user_id for e in val}
    assert len(train) + len(val) == 1800
    assert 0.19 <= len(val) / 1800 <= 0.23


def test_real_v1_subsample_opens_as_a_dataset(hagrid_sample: Path) -> None:
    folder = hagrid_sample / "annotations_v1_subsample"
    splits = open_hagrid(DataRequest(root=folder, image_size=64, per_class=10))
    assert splits.classes == V1_CLASSES and splits.test is None
    images = splits.description["images"]
    assert images["train"] + images["val"] == 180
    assert splits.description["format"] == "v1" and not splits.description["synthetic"]


def v2_layout(kit: SimpleNamespace, one_m: bool) -> dict:
    entry = kit.entry
    extra = {"hand_landmarks": [[]], "meta": {"age": [30.0]}} if one_m else {}
    united = {"united_bbox": None, "united_label": None} if one_m else {}
    layout: dict = {}
    for split, users in (("train", ["u1", "u2"]), ("val", ["u3"]), ("test", ["u4"])):
        files = {
            "like": {
                f"{split}-like-{u}": entry(["like", NO_GESTURE], u, **united, **extra)
                for u in users
            },
            "fist": {f"{split}-fist-{u}": entry(["fist"], u, **united, **extra) for u in users},
        }
        if one_m:
            two = {"united_bbox": [[0.1, 0.2, 0.7, 0.4]], "united_label": ["hand_heart"], **extra}
            files["hand_heart"] = {
                f"{split}-heart-{u}": entry(["hand_heart", "hand_heart"], u, **two) for u in users
            }
        layout[f"annotations/{split}"] = files
    return layout


@pytest.mark.parametrize("one_m", [False, True])
def test_v2_releases(kit: SimpleNamespace, tmp_path: Path, one_m: bool) -> None:
    root = kit.write_release(tmp_path, v2_layout(kit, one_m))
    fmt, folders = find_release(root)
    assert fmt == ("v2-1M" if one_m else "v2")
    assert sorted(folders) == ["test", "train", "val"]
    splits = open_hagrid(DataRequest(root=root, image_size=32))
    assert splits.classes == (V2_1M_CLASSES if one_m else V1_CLASSES)
    per_split = 3 if one_m else 2
    assert splits.description["images"] == {
        "train": 2 * per_split,
        "val": per_split,
        "test": per_split,
    }
    assert splits.description["split"] == "official train/val/test splits"
    image, label = splits.test[0]
    assert image.shape == (32, 32, 3) and image.dtype.name == "uint8"
    if one_m:  # a two-hand gesture is one sample: its united box
        release = read_release(root)
        heart = next(e for e in release.entries if e.gesture == "hand_heart")
        assert [h.label for h in heart.hands] == ["hand_heart"]
        assert heart.hands[0].box == (0.1, 0.2, 0.7, 0.4)
        labels = {splits.classes[splits.test[i][1]] for i in range(len(splits.test))}
        assert labels == {"like", "fist", "hand_heart", NO_GESTURE}


def test_format_option_overrides_detection(kit: SimpleNamespace, tmp_path: Path) -> None:
    root = kit.write_release(tmp_path, v2_layout(kit, False), images=False)
    fmt, _ = find_release(root, "v2-1M")
    assert fmt == "v2-1M"
    with pytest.raises(DataError, match="unknown HaGRID format"):
        find_release(root, "v3")


def test_v1_download_layouts(kit: SimpleNamespace, tmp_path: Path) -> None:
    entry = kit.entry
    layout = {
        "ann_train_val": {"like": {f"a{i}": entry(["like"], f"u{i}") for i in range(6)}},
        "ann_test": {"like": {"t0": entry(["like"], "t")}},
    }
    root = kit.write_release(tmp_path, layout, images=False)
    (root / "train_val_like").mkdir()
    release = read_release(root)
    assert sorted(release.splits) == ["test", "train_val"]
    assert release.splits["train_val"][0].path.parent == root / "train_val_like"
    splits = open_hagrid(DataRequest(root=root, val_fraction=0.3))
    assert "official ann_test" in splits.description["split"]
    assert splits.description["images"] == {"train": 4, "val": 2, "test": 1}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "malformed JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({"x": {"labels": ["like"]}}), "missing or non-list 'bboxes'"),
        (json.dumps({"x": {"bboxes": [[0, 0, 1, 1]], "labels": []}}), "1 bboxes but 0 labels"),
    ],
)
def test_malformed_annotation_file_raises_data_error(
    tmp_path: Path, content: str, reason: str
) -> None:
    folder = tmp_path / "ann_subsample"
    folder.mkdir()
    (folder / "like.json").write_text(content)
    with pytest.raises(DataError, match=reason) as caught:
        open_hagrid(DataRequest(root=tmp_path))
    assert str(folder / "like.json") in str(caught.value)


def test_no_annotations_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no HaGRID annotations"):
        open_hagrid(DataRequest(root=tmp_path))
    with pytest.raises(DataError, match="needs a folder"):
        open_hagrid(DataRequest(root=None))
