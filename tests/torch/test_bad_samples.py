"""A corrupt JPEG in the training data: the epoch completes and reports it, or --strict fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zoo_core.data import BadSample, SampleSource
from zoo_core.framework import TrainJob
from zoo_core.registry import get_registry
from zoo_core.rundir import RunDir
from zoo_core.train_flow import train
from zoo_core.training import open_data


def corrupt_release(release: Path, tmp_path: Path) -> tuple[Path, list[Path]]:
    """A copy of ``release`` with two training images that are not JPEGs any more."""
    copy = shutil.copytree(release, tmp_path / "release")
    job = TrainJob("resnet18", "torch", dataset="hagrid", data=copy, image_size=32)
    train = open_data(get_registry(), job).train
    victims = sorted({Path(entry.path) for entry in train.entries})[:2]  # zoo_hagrid's source
    for path in victims:
        path.write_bytes(b"this is not a JPEG " * 20)
    return copy, victims


def unreadable(split: SampleSource) -> int:
    count = 0
    for index in range(len(split)):
        try:
            split[index]
        except BadSample:
            count += 1
    return count


def job(data: Path, out: Path, strict: bool = False) -> TrainJob:
    return TrainJob(
        "resnet18", "torch", dataset="hagrid", data=data, out=out, epochs=1,
        image_size=32, batch_size=8, per_class=None, workers=0, strict=strict,
    )  # fmt: skip


def test_training_skips_and_reports_a_corrupt_jpeg(synth_release: Path, tmp_path: Path) -> None:
    data, victims = corrupt_release(synth_release, tmp_path)
    training = job(data, tmp_path / "run")
    splits = open_data(get_registry(), training)
    expected = unreadable(splits.train) + unreadable(splits.val)
    assert unreadable(splits.train) >= len(victims)
    out = train(training)
    (row,) = RunDir(out).read_metrics()
    assert row["bad_samples"] == expected
    assert row["samples"] == len(splits.val) - unreadable(splits.val) > 0


def test_strict_training_fails_on_a_corrupt_jpeg(synth_release: Path, tmp_path: Path) -> None:
    data, victims = corrupt_release(synth_release, tmp_path)
    with pytest.raises(BadSample) as error:
        train(job(data, tmp_path / "run", strict=True))
    assert error.value.path in {str(path) for path in victims}
