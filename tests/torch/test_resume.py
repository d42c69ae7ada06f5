"""Resuming after a real SIGKILL ends bit-identical to an uninterrupted run; saves are atomic."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from zoo_core.framework import TrainJob
from zoo_core.rundir import STATE, WEIGHTS, RunDir, load_tensors
from zoo_core.specs import HeadConfig
from zoo_core.train_flow import train

from .conftest import REPO, TINY, run_zoo, zoo_command, zoo_env

EPOCHS = "3"
SCHEDULE = ("--optimizer", "sgd", "--weight-decay", "5e-4", "--schedule", "onecycle")


def train_args(release: Path, out: Path) -> tuple[str, ...]:
    return (
        "train", "resnet18", "--epochs", EPOCHS, "--per-class", "2", *TINY,
        "--data", str(release), "--out", str(out), *SCHEDULE,
    )  # fmt: skip


def kill_after_first_epoch(args: tuple[str, ...], state: Path) -> int:
    """Start ``zoo train``, SIGKILL it as soon as the first epoch's state is on disk."""
    process = subprocess.Popen(
        zoo_command(*args), env=zoo_env(), cwd=REPO,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while not state.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    return process.returncode


def assert_same_tensors(a: Path, b: Path) -> None:
    first, second = load_tensors(a)[0], load_tensors(b)[0]
    assert sorted(first) == sorted(second)
    for name, value in first.items():
        np.testing.assert_array_equal(second[name], value, err_msg=f"{a.name}: {name}")


@pytest.mark.slow
def test_resume_after_sigkill_is_bit_identical(synth_release: Path, tmp_path: Path) -> None:
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    run_zoo(*train_args(synth_release, whole))

    code = kill_after_first_epoch(train_args(synth_release, killed), killed / STATE)
    assert code == -signal.SIGKILL, "training ended before it could be killed"
    state = json.loads(load_tensors(killed / STATE)[1]["state"])
    assert state["epoch"] < int(EPOCHS) - 1

    resumed = run_zoo(*train_args(synth_release, killed), "--resume")
    assert "resuming" in resumed.stderr
    for name in (WEIGHTS, STATE):
        assert_same_tensors(whole / name, killed / name)
    assert without_speed(whole) == without_speed(killed)


def without_speed(run: Path) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k != "train_images_per_s"}
        for row in RunDir(run).read_metrics()
    ]


def test_resume_in_process_is_bit_identical(synth_release: Path, tmp_path: Path) -> None:
    """The same without subprocesses: stop after one epoch, resume to two (AdamW and a warm-up
    longer than an epoch, which does not depend on the number of epochs as a decay would: the
    second epoch's rates continue where the first epoch's stopped)."""

    def job(out: Path, epochs: int, resume: bool = False) -> TrainJob:
        return TrainJob(
            "se_resnet18", "torch", HeadConfig((32,), dropout=0.2), dataset="hagrid",
            data=synth_release, out=out, epochs=epochs, image_size=32, batch_size=8,
            per_class=2, seed=1, workers=0, resume=resume, optimizer="adamw",
            weight_decay=0.01, warmup_steps=5,
        )  # fmt: skip

    train(job(tmp_path / "whole", 2))
    train(job(tmp_path / "parts", 1))
    train(job(tmp_path / "parts", 2, resume=True))
    for name in (WEIGHTS, STATE):
        assert_same_tensors(tmp_path / "whole" / name, tmp_path / "parts" / name)
    assert without_speed(tmp_path / "whole") == without_speed(tmp_path / "parts")
    rates = [
        rate for row in RunDir(tmp_path / "parts").read_metrics() for rate in row["learning_rates"]
    ]
    assert len(set(rates)) == len(rates) > 2  # a new rate at every step, across the resume


WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np
    from zoo_core.rundir import RunDir

    run = RunDir(sys.argv[1])
    generation = 0
    while True:
        generation += 1
        tensors = {f"layer{i}": np.full(4_000_000, generation, np.float32) for i in range(8)}
        run.save_state(tensors, {"epoch": generation})
        print(generation, flush=True)
    """
)


def test_a_kill_during_a_save_leaves_the_last_checkpoint_intact(tmp_path: Path) -> None:
    """Kill a process that keeps saving 128 MB training states the moment its temporary file
    appears; the checkpoint on disk is always one complete generation (the temporary file is
    written, flushed and renamed over it)."""
    interrupted_writes = 0
    for _ in range(5):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)],
            stdout=subprocess.PIPE, text=True, env=zoo_env(),
        )  # fmt: skip
        assert writer.stdout is not None
        assert writer.stdout.readline().strip()  # one complete save on disk
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(f".{STATE}.*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.001)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=60)
        tensors, metadata = load_tensors(tmp_path / STATE)
        generation = json.loads(metadata["state"])["epoch"]
        assert all(np.all(value == generation) for value in tensors.values())
        leftovers = list(tmp_path.glob(f".{STATE}.*.tmp"))
        interrupted_writes += bool(leftovers)
        for leftover in leftovers:
            leftover.unlink()
        if interrupted_writes >= 2:
            break
    assert interrupted_writes, "no kill landed during a write"
