"""Fixtures for the torch plugin's tests: a tiny hagrid-synth release, and running ``zoo``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("timm")

REPO = Path(__file__).resolve().parents[2]
TINY = ("--image-size", "32", "--batch-size", "8", "--seed", "1")


@pytest.fixture(scope="session")
def synth_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """hagrid-synth in the v1 format: 4 images per gesture, 6 users, 96×72 px (~2 s to write)."""
    from zoo_hagrid.synth.params import SynthParams
    from zoo_hagrid.synth.writer import generate

    params = SynthParams(per_class=4, users=6, width=96, height=72, seed=3)
    return generate(params, tmp_path_factory.mktemp("synth") / "release")


def zoo_env() -> dict[str, str]:
    """Two compute threads that yield the cores when idle, as on the 2-core CI machine."""
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "2")
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    return env


def zoo_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "zoo_core", *args]


def run_zoo(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``zoo ARGS`` in a subprocess; fails the test with its output when it exits non-zero."""
    done = subprocess.run(
        zoo_command(*args), env=zoo_env(), cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        pytest.fail(f"zoo {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done
