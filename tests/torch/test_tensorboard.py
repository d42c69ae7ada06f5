"""``zoo train --tensorboard``: event files TensorBoard's own reader reads back as the run's
per-step losses and learning rates and per-epoch metrics, continued on resume."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from zoo_core.events import TENSORBOARD
from zoo_core.rundir import RunDir

from .conftest import TINY, run_zoo

pytest.importorskip("tensorboard")


def scalars(run: Path) -> dict[str, list[tuple[int, float]]]:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    found: dict[str, list[tuple[int, float]]] = {}
    for events in sorted((run / TENSORBOARD).glob("events.out.tfevents.*")):
        reader = EventAccumulator(str(events), size_guidance={"tensors": 0})
        reader.Reload()
        for tag in reader.Tags()["tensors"]:
            for event in reader.Tensors(tag):
                value = float(np.asarray(event.tensor_proto.float_val)[0])
                found.setdefault(tag, []).append((event.step, value))
    return {tag: sorted(points) for tag, points in found.items()}


def test_events_hold_every_step_and_epoch_and_continue_on_resume(
    synth_release: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    args = ("train", "resnet18", "--per-class", "2", *TINY, "--data", str(synth_release),
            "--out", str(out), "--tensorboard", "--warmup-steps", "20")  # fmt: skip
    run_zoo(*args, "--epochs", "1")
    run_zoo(*args, "--epochs", "2", "--resume")
    rows = RunDir(out).read_metrics()
    events = scalars(out)
    rates = [rate for row in rows for rate in row["learning_rates"]]
    assert [step for step, _ in events["train/learning_rate"]] == list(range(len(rates)))
    np.testing.assert_allclose([v for _, v in events["train/learning_rate"]], rates, rtol=1e-6)
    assert len(events["train/loss"]) == len(rates)
    assert [step for step, _ in events["epoch/f1"]] == [0, 1]
    np.testing.assert_allclose(
        [v for _, v in events["epoch/f1"]], [r["f1"] for r in rows], rtol=1e-6
    )


def test_without_the_flag_there_are_no_events(synth_release: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    run_zoo("train", "resnet18", "--per-class", "2", *TINY, "--data", str(synth_release),
            "--out", str(out), "--epochs", "1")  # fmt: skip
    assert not (out / TENSORBOARD).exists()
