"""Sample sources: determinism per (seed, epoch, index), hand choice, labels, bad samples."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
from zoo_hagrid.classes import NO_GESTURE, V1_CLASSES
from zoo_hagrid.dataset import open_hagrid, open_synth
from zoo_hagrid.sources import HagridSource

from zoo_core.data import BadSample, DataRequest, SampleSource


def test_training_samples_depend_only_on_seed_epoch_index(synth_root: Path) -> None:
    request = DataRequest(root=synth_root, image_size=48, seed=5)
    first, second = open_synth(request).train, open_synth(request).train
    assert isinstance(first, SampleSource)
    second.set_epoch(3)
    second[0]  # noqa: B018 - touching other epochs does not disturb the draws
    second.set_epoch(0)
    for index in (0, 7, len(first) - 1):
        a, b = first[index], second[index]
        assert a[1] == b[1] and np.array_equal(a[0], b[0])
    first.set_epoch(1)
    changed = [not np.array_equal(first[i][0], second[i][0]) for i in range(10)]
    assert sum(changed) >= 8  # a new epoch draws new scales
    image, label = first[0]
    assert image.shape == (48, 48, 3) and image.dtype == np.uint8 and isinstance(label, int)


def test_no_gesture_hands_are_drawn_with_their_probability(synth_root: Path) -> None:
    splits = open_synth(DataRequest(root=synth_root, image_size=16, no_gesture_prob=0.3))
    train = splits.train
    idle = [i for i, e in enumerate(train.entries) if e.idle_hands]
    assert idle
    labels = []
    for epoch in range(12):
        train.set_epoch(epoch)
        labels += [train[i][1] for i in idle]
    share = labels.count(V1_CLASSES.index(NO_GESTURE)) / len(labels)
    assert 0.15 < share < 0.45
    only = open_synth(DataRequest(root=synth_root, image_size=16, no_gesture_prob=0.0))
    assert NO_GESTURE not in only.classes and only.num_classes == 18
    assert all(only.train[i][1] < 18 for i in range(len(only.train)))


def test_evaluation_has_every_hand_once(synth_root: Path) -> None:
    splits = open_synth(DataRequest(root=synth_root, image_size=16))
    val = splits.val
    assert len(val) == sum(len(e.hands) for e in val.entries)
    labels = [val[i][1] for i in range(len(val))]
    expected = [V1_CLASSES.index(h.label) for e in val.entries for h in e.hands]
    assert labels == expected
    val.set_epoch(4)
    assert [val[i][1] for i in range(len(val))] == labels


def test_full_frame_mode(synth_root: Path) -> None:
    splits = open_synth(DataRequest(root=synth_root, image_size=40, mode="full_frame"))
    assert len(splits.val) == len(splits.val.entries)
    image, label = splits.train[0]
    assert image.shape == (40, 40, 3)
    assert splits.classes[label] == splits.train.entries[0].gesture
    assert (image[:4] == 0).all()  # 160x120 letterboxed: padding above


def test_bad_samples_raise_bad_sample(kit: SimpleNamespace, tmp_path: Path) -> None:
    entry = kit.entry
    layout = {
        "ann_subsample": {
            "like": {
                "ok": entry(["like"], "u1"),
                "missing": entry(["like"], "u1"),
                "corrupt": entry(["like"], "u1"),
                "unknown": entry(
                    ["like", "wave"], "u1", [[0.1, 0.1, 0.2, 0.2], [0.5, 0.5, 0.2, 0.2]]
                ),
                "empty": entry(["like"], "u1", [[0.1, 0.1, 0.0, 0.2]]),
            }
        }
    }
    root = kit.write_release(tmp_path, layout)
    (root / "like" / "missing.jpg").unlink()
    (root / "like" / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    splits = open_hagrid(DataRequest(root=root, image_size=16, val_fraction=0.0))
    source = HagridSource(splits.train.entries, splits.classes, "crop", 16)  # every hand
    outcome = {}
    for i, (number, hand) in enumerate(source.items):
        key = (source.entries[number].image_id, hand)
        try:
            outcome[key] = source[i][1]
        except BadSample as bad:
            outcome[key] = bad
    assert outcome[("ok", 0)] == V1_CLASSES.index("like")
    assert outcome[("unknown", 0)] == V1_CLASSES.index("like")
    expected = {
        ("missing", 0): "missing image",
        ("corrupt", 0): "corrupt",
        ("unknown", 1): "unknown label 'wave'",
        ("empty", 0): "empty box",
    }
    for key, reason in expected.items():
        bad = outcome[key]
        assert isinstance(bad, BadSample) and reason in bad.reason, (key, bad)
        assert key[0] in str(bad)  # names the image (its file, or its id in the annotation file)
