"""Deployment tests: a tiny torch run exported, quantized, run in ONNX Runtime and benchmarked,
all through the installed ``zoo`` console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("timm")
pytest.importorskip("onnxruntime")

ZOO = Path(sys.executable).parent / "zoo"
TINY = ("--image-size", "32", "--batch-size", "8", "--seed", "1", "--epochs", "1")


def zoo(*args: str, ok: bool = True, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``zoo ARGS`` through the installed console script; fails the test on a non-zero exit
    unless ``ok`` is False."""
    env = dict(os.environ, OMP_NUM_THREADS="2", OMP_WAIT_POLICY="PASSIVE", COLUMNS="200")
    env["GLOG_v"] = "3"
    done = subprocess.run(
        [str(ZOO), *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if ok and done.returncode != 0:
        pytest.fail(f"zoo {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """hagrid-synth in the v1 format: 4 images per gesture, 6 users, 96×72 px."""
    from zoo_hagrid.synth.params import SynthParams
    from zoo_hagrid.synth.writer import generate

    params = SynthParams(per_class=4, users=6, width=96, height=72, seed=3)
    return generate(params, tmp_path_factory.mktemp("deploy-synth") / "release")


@pytest.fixture(scope="session")
def trained(synth: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``zoo train se_resnet18 --framework torch``: one epoch at 32 px; never modified."""
    out = tmp_path_factory.mktemp("deploy-run") / "run"
    zoo(
        "train",
        "se_resnet18",
        "--framework",
        "torch",
        *TINY,
        "--data",
        str(synth),
        "--out",
        str(out),
    )
    return out


@pytest.fixture
def run(trained: Path, tmp_path: Path) -> Path:
    """A private copy of the trained run, for tests that export into it."""
    return Path(shutil.copytree(trained, tmp_path / "run"))


@pytest.fixture(scope="session")
def exported(trained: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the run with ``zoo export --format onnx --int8`` done."""
    run = Path(shutil.copytree(trained, tmp_path_factory.mktemp("deploy-exported") / "run"))
    done = zoo("export", str(run), "--format", "onnx", "--int8", "--calibration", "16")
    (run / "export.log").write_text(done.stdout + done.stderr)
    return run
