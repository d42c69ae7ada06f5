"""``zoo train --nproc 2 --framework mindspore``: two msrun CPU workers, one run directory."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from zoo_core.rundir import RunDir

FINGERPRINT = re.compile(r"rank (\d)/2 epoch (\d+): weights sha256 ([0-9a-f]{16})")


@pytest.mark.slow  # two MindSpore workers compiling on 2 cores: 40-50 s
def test_two_workers_train_in_step(ms: SimpleNamespace, tiny_synth: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    settings = ("--data", str(tiny_synth), "--epochs", "2", "--out", str(out), *ms.tiny)
    done = ms.succeeded(ms.zoo("train", "resnet18", "-f", "mindspore", "--nproc", "2", *settings))
    assert "2 processes (msrun)" in done.stderr
    assert "[INFO]" not in done.stderr

    run = RunDir(out)
    config = run.read_config()
    assert config["training"]["nproc"] == 2
    rows = run.read_metrics()
    assert [row["epoch"] for row in rows] == [0, 1]
    # Validation is split between the ranks and summed: every sample is counted once.
    assert all(row["samples"] == config["dataset"]["samples"]["val"] for row in rows)

    logs = out / "msrun_logs"
    prints = {
        (int(rank), int(epoch)): digest
        for name in ("worker_0.log", "worker_1.log")
        for rank, epoch, digest in FINGERPRINT.findall((logs / name).read_text())
    }
    assert set(prints) == {(0, 1), (1, 1), (0, 2), (1, 2)}
    # Each rank trained on its own half of every epoch: the same weights prove the gradients
    # (and the BatchNorm statistics) were averaged across the ranks.
    assert prints[0, 1] == prints[1, 1]
    assert prints[0, 2] == prints[1, 2]
    assert prints[0, 1] != prints[0, 2]
