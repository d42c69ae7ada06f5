"""MindSpore tests: every MindSpore computation runs in a subprocess of its own.

MindSpore's device, execution mode, thread count and graph cache are per process, and its oneDNN
setting (``ONEDNN_MAX_CPU_ISA``) slows torch; so these tests start ``zoo`` or ``probes.py`` and
read what they print, and the pytest process never imports ``mindspore``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
PROBES = HERE / "probes.py"

if importlib.util.find_spec("mindspore") is None:
    pytest.skip("mindspore is not installed", allow_module_level=True)


def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


TORCH = has("torch") and has("timm")
# The tests' training settings: a schedule that changes at every step, so resuming must restore it
TINY = ("--image-size", "32", "--batch-size", "16", "--seed", "1")
TINY += ("--schedule", "cosine", "--warmup-steps", "2")


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(OMP_WAIT_POLICY="PASSIVE", GLOG_v="3", PYTHONUNBUFFERED="1", COLUMNS="200")
    return env


def run(
    args: list[str], cwd: Path | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run a command with the test environment, capturing its output as text."""
    return subprocess.run(
        args, cwd=cwd, env=environment(), capture_output=True, text=True, timeout=timeout
    )


def zoo(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """``zoo ARGS`` in a fresh process."""
    return run([sys.executable, "-m", "zoo_core", *args], cwd=cwd, timeout=timeout)


def probe(name: str, *args: str, timeout: float = 600) -> Any:
    """The JSON that ``probes.py NAME ARGS`` prints on its last line."""
    done = run([sys.executable, str(PROBES), name, *args], timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"probe {name} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def succeeded(done: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    output = f"{done.stdout[-3000:]}\n{done.stderr[-4000:]}"
    assert done.returncode == 0, f"exit {done.returncode}\n{output}"
    return done


@pytest.fixture(scope="session", autouse=True)
def _cache_outside_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Module fixtures start ``zoo`` before the per-test environment exists: keep its caches
    (MindSpore's compiled graphs among them) in the test's temporary folder too."""
    with pytest.MonkeyPatch.context() as patch:
        if "ZOO_CACHE_DIR" not in os.environ:
            patch.setenv("ZOO_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "zoo-cache"))
        yield


@pytest.fixture(scope="session")
def tiny_synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small hagrid-synth (6 images per gesture, 6 users): 72 train and 36 val crops."""
    from zoo_hagrid.synth.params import SynthParams
    from zoo_hagrid.synth.writer import generate

    params = SynthParams(per_class=6, users=6, width=160, height=120, seed=3)
    return generate(params, tmp_path_factory.mktemp("ms-synth") / "synth")


@pytest.fixture
def torch_required() -> None:
    if not TORCH:
        pytest.skip("torch and timm are not installed")


@pytest.fixture(scope="session")
def ms() -> SimpleNamespace:
    """The helpers, as a fixture (test modules cannot import a conftest reliably)."""
    return SimpleNamespace(
        run=run,
        zoo=zoo,
        probe=probe,
        succeeded=succeeded,
        environment=environment,
        torch=TORCH,
        tiny=TINY,
    )


@pytest.fixture(scope="session")
def sample_image(tiny_synth: Path) -> Path:
    return sorted((tiny_synth / "like").glob("*.jpg"))[0]


@pytest.fixture(scope="session")
def tiny_run(tiny_synth: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``zoo train se_resnet18 --framework mindspore`` in GRAPH_MODE: 2 epochs at 32 px."""
    out = tmp_path_factory.mktemp("ms-run") / "run"
    settings = ("--data", str(tiny_synth), "--epochs", "2", "--out", str(out), *TINY)
    done = succeeded(zoo("train", "se_resnet18", "--framework", "mindspore", *settings))
    (out.parent / "train.log").write_text(done.stdout + done.stderr)
    return out
