"""``zoo data prepare``: the cache serves the same samples as the originals, never touching them."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image
from zoo_hagrid.dataset import open_hagrid, open_synth
from zoo_hagrid.prepare import prepare

from zoo_core.data import DataError, DataRequest


@pytest.fixture(scope="module")
def crop_cache(synth_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("prepared") / "crop"
    report = prepare(synth_root, out, size=48, mode="crop", workers=2)
    assert not report.skipped and report.entries == 72
    return out


def test_cache_serves_the_same_samples(synth_root: Path, crop_cache: Path) -> None:
    direct = open_synth(DataRequest(root=synth_root, image_size=48, seed=1))
    cached = open_hagrid(DataRequest(root=crop_cache, image_size=48, seed=1))
    assert cached.classes == direct.classes
    assert cached.description["images"] == direct.description["images"]
    assert cached.description["synthetic"] and cached.description["dataset"] == "hagrid-synth"
    assert cached.description["cache"] == str(crop_cache)
    assert cached.description["root"] == str(synth_root.resolve())
    for a, b in ((direct.val, cached.val), (direct.train, cached.train)):
        assert len(a) == len(b)
        for epoch in (0, 2):
            a.set_epoch(epoch)
            b.set_epoch(epoch)
            for i in range(0, len(a), 7):
                (x, label_x), (y, label_y) = a[i], b[i]
                assert label_x == label_y
                assert np.abs(x.astype(float) - y.astype(float)).mean() < 12, i


def test_cache_never_reads_the_originals(
    synth_root: Path, crop_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = open_hagrid(DataRequest(root=crop_cache, image_size=48))
    opened: list[str] = []
    original = Image.open

    def spy(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        opened.append(str(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(Image, "open", spy)
    for i in range(len(cached.train)):
        cached.train[i]  # noqa: B018
    assert opened and all(p.startswith(str(crop_cache)) for p in opened)


def test_cache_mode_must_match(crop_cache: Path) -> None:
    with pytest.raises(DataError, match="prepared for mode 'crop'"):
        open_hagrid(DataRequest(root=crop_cache, mode="full_frame"))


def test_full_frame_cache(synth_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "frames"
    prepare(synth_root, out, size=40, mode="full_frame")
    files = sorted(out.rglob("*.jpg"))
    assert len(files) == 72 and all(Image.open(f).size == (40, 30) for f in files)
    cached = open_hagrid(DataRequest(root=out, image_size=40, mode="full_frame"))
    direct = open_synth(DataRequest(root=synth_root, image_size=40, mode="full_frame"))
    x, y = cached.val[0], direct.val[0]
    assert x[1] == y[1] and np.abs(x[0].astype(float) - y[0].astype(float)).mean() < 12


def test_prepare_skips_and_lists_bad_images(kit: SimpleNamespace, tmp_path: Path) -> None:
    layout = {
        "ann_subsample": {"like": {"a": kit.entry(["like"], "u1"), "b": kit.entry(["like"], "u2")}}
    }
    root = kit.write_release(tmp_path / "src", layout)
    (root / "like" / "b.jpg").write_bytes(b"broken")
    report = prepare(root, tmp_path / "out", size=16)
    assert report.entries == 1 and [p.path for p in report.skipped] == [
        str(root / "like" / "b.jpg")
    ]
    index = json.loads((tmp_path / "out" / "zoo-cache.json").read_text())
    assert index["skipped"][0][1].startswith("corrupt")
    with pytest.raises(DataError, match="not empty and not a zoo cache"):
        prepare(root, root, size=16)
