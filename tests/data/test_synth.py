"""hagrid-synth: deterministic bytes, the real v1 format, every gesture, varied users."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
from zoo_hagrid.classes import NO_GESTURE, V1_CLASSES, V1_GESTURES
from zoo_hagrid.dataset import open_synth
from zoo_hagrid.formats import read_release
from zoo_hagrid.synth.params import SynthParams, parse_size
from zoo_hagrid.synth.poses import POSES
from zoo_hagrid.synth.writer import MARKER, ensure, generate, plan

from zoo_core.data import DataRequest


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes(tmp_path: Path, synth_root: Path) -> None:
    params = SynthParams(per_class=4, users=6, width=160, height=120, seed=3)
    again = generate(params, tmp_path / "again", workers=2)
    assert digest(again) == digest(synth_root)
    other = generate(
        SynthParams(per_class=1, users=2, width=160, height=120, seed=4), tmp_path / "other"
    )
    first = sorted((other / "like").glob("*.jpg"))[0]
    assert first.name not in {p.name for p in (synth_root / "like").glob("*.jpg")}


def test_written_in_the_real_v1_format(synth_root: Path) -> None:
    assert set(POSES) == set(V1_GESTURES)
    release = read_release(synth_root)
    assert release.format == "v1" and list(release.splits) == ["subsample"]
    entries = release.entries
    assert Counter(e.gesture for e in entries) == {g: 4 for g in V1_GESTURES}
    assert {h.label for e in entries for h in e.hands} == set(V1_CLASSES)
    for e in entries:
        assert e.path.is_file() and e.path.parent.name == e.gesture
        assert [h.label for h in e.hands][0] == e.gesture
        assert all(h.box_problem() is None for h in e.hands)
        assert e.leading_hand in ("left", "right")
    raw = json.loads((synth_root / "ann_subsample" / "ok.json").read_text())
    item = next(iter(raw.values()))
    assert set(item) == {"bboxes", "labels", "landmarks", "leading_conf", "leading_hand", "user_id"}
    assert len(item["landmarks"][0]) == 21 and len(item["user_id"]) == 32
    assert json.loads((synth_root / MARKER).read_text())["images"] == 72


def test_users_show_every_gesture() -> None:
    jobs = plan(SynthParams(per_class=12, users=6))
    per_user = Counter((c, u) for c, _, u in jobs)
    assert set(per_user.values()) == {2}  # 12 images per class, 6 users: each user twice


def test_idle_hands_are_labelled_no_gesture(synth_root: Path) -> None:
    entries = read_release(synth_root).entries
    idle = [e for e in entries if e.idle_hands]
    assert 0.25 < len(idle) / len(entries) < 0.75
    assert all(h.label == NO_GESTURE for e in idle for h in e.idle_hands)


def test_default_dataset_is_generated_once_into_the_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ZOO_CACHE_DIR", str(tmp_path / "cache"))
    options = {"synth_per_class": 2, "synth_users": 4, "synth_size": "96x64", "synth_seed": 1}
    splits = open_synth(DataRequest(image_size=32, options=options))
    root = tmp_path / "cache" / SynthParams(2, 4, 96, 64, 1).tag
    assert (root / MARKER).is_file()
    assert splits.description["root"] == str(root)
    stamp = (root / MARKER).stat().st_mtime_ns
    assert (
        ensure(SynthParams(2, 4, 96, 64, 1)) == root and (root / MARKER).stat().st_mtime_ns == stamp
    )
    assert splits.train[0][0].shape == (32, 32, 3)


def test_a_killed_writers_leftovers_are_removed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ZOO_CACHE_DIR", str(tmp_path))
    params = SynthParams(2, 4, 96, 64, 1)
    stale = tmp_path / f"{params.tag}.tmp-999999"  # a writer killed half-way
    (stale / "call").mkdir(parents=True)
    (stale / "call" / "half.jpg").write_bytes(b"\xff\xd8")
    root = ensure(params)
    assert (root / MARKER).is_file() and not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [params.tag, f"{params.tag}.lock"]


def test_parse_size() -> None:
    assert parse_size("1920x1080") == (1920, 1080)
    for bad in ("1920", "axb", "16x16"):
        with pytest.raises(ValueError):
            parse_size(bad)
