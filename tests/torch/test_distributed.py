"""Data-parallel training: ``zoo train --nproc 2`` on the CPU (gloo) against one process doing
the same arithmetic on the same global batch.

DDP keeps BatchNorm statistics per process (SyncBatchNorm is GPU-only), so the one-process
reference computes each rank's half of the global batch through the model separately, averages
the two gradients as DDP's all-reduce does and keeps rank 0's BatchNorm running statistics (DDP
broadcasts them from rank 0). Both use one thread per process and fp32; the stated tolerance is
1e-6 absolute on every weight and Adam moment (in practice they agree to the bit).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from zoo_core.framework import TrainJob
from zoo_core.registry import get_registry
from zoo_core.rundir import STATE, RunDir, load_tensors
from zoo_core.training import open_data

WORLD = 2
TOLERANCE = 1e-6


def test_two_processes_match_one_on_the_same_global_batch(
    synth_release: Path, tmp_path: Path
) -> None:
    from .conftest import run_zoo

    out = tmp_path / "ddp"
    job = TrainJob(
        "resnet18", "torch", dataset="hagrid", data=synth_release, out=out, epochs=1,
        image_size=32, batch_size=4, per_class=2, seed=1, precision="fp32",
    )  # fmt: skip
    run_zoo(
        "train", "resnet18", "--nproc", str(WORLD), "--precision", "fp32", "--epochs", "1",
        "--image-size", "32", "--batch-size", "4", "--per-class", "2", "--seed", "1",
        "--data", str(synth_release), "--out", str(out),
    )  # fmt: skip
    run = RunDir(out)
    config = run.read_config()
    assert config["training"]["nproc"] == WORLD
    (row,) = run.read_metrics()
    splits = open_data(get_registry(), job)
    assert row["samples"] == len(splits.val)  # predictions gathered from both ranks

    spec, reference = tmp_path / "job.json", tmp_path / "reference.npz"
    spec.write_text(json.dumps(job.to_dict()))
    done = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("ddp_reference.py")),
            str(spec),
            str(reference),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    expected = dict(np.load(reference))
    weights = {k[len("model/") :]: v for k, v in expected.items() if k.startswith("model/")}
    saved = load_tensors(out / STATE)[0]
    for name, value in expected.items():
        np.testing.assert_allclose(
            saved[name].reshape(value.shape), value, rtol=0, atol=TOLERANCE, err_msg=name
        )
    worst = max(
        float(np.max(np.abs(saved[f"model/{k}"].reshape(v.shape) - v), initial=0))
        for k, v in weights.items()
    )
    print(f"largest weight difference, DDP vs one process: {worst:.3g}")
