"""A real Hub-compatible server on a free loopback port, and runs to publish to it.

The server (``tests/hub_server``) is olah serving git repositories from its mirrors folder in
offline mode, behind a small app implementing the Hub's write API; ``huggingface_hub``'s own
upload, download and cache code talks to it over HTTP.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

SERVER = Path(__file__).resolve().parents[1] / "hub_server" / "main.py"
TOKEN = "hf_zooDummyToken0123456789abcdefXYZ"
STARTUP_SECONDS = 30.0


@dataclass(frozen=True)
class HubServer:
    endpoint: str
    token: str
    root: Path

    def repo_dir(self, repo_id: str) -> Path:
        return self.root / "mirrors" / "models" / repo_id

    def stored_file(self, repo_id: str, path: str, revision: str = "main") -> bytes:
        """A file's bytes as the server stores them (an LFS pointer resolved to its object)."""
        repo = self.repo_dir(repo_id)
        blob = subprocess.run(
            ["git", "show", f"{revision}:{path}"], cwd=repo, capture_output=True, check=True
        ).stdout
        if blob.startswith(b"version https://git-lfs"):
            oid = blob.split(b"oid sha256:")[1][:64].decode()
            return (repo / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid).read_bytes()
        return blob


def read_port(process: subprocess.Popen[str], timeout: float) -> int:
    """The ``PORT n`` line the server prints once it listens, waiting at most ``timeout``."""
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        raise RuntimeError(f"hub server printed no port within {timeout:.0f} s") from None
    if not line.startswith("PORT "):
        raise RuntimeError(f"hub server failed to start: {line!r}")
    return int(line.split()[1])


def wait_healthy(endpoint: str, deadline: float) -> None:
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while True:
        try:
            with direct.open(f"{endpoint}/zoo-test/health", timeout=2) as response:
                if json.load(response).get("status") == "ok":
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.05)


@pytest.fixture(scope="session")
def hub_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubServer]:
    root = tmp_path_factory.mktemp("hub-server")
    log = (root / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(SERVER), "--root", str(root), "--token", TOKEN],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        port = read_port(process, STARTUP_SECONDS)
        endpoint = f"http://127.0.0.1:{port}"
        wait_healthy(endpoint, time.monotonic() + STARTUP_SECONDS)
        yield HubServer(endpoint, TOKEN, root)
    except Exception:
        log.flush()
        sys.stderr.write((root / "server.log").read_text())
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture
def hub_env(
    hub_server: HubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """zoo pointed at the test server with the dummy token, an empty Hugging Face cache, and
    uploads without Xet (``huggingface_hub`` may already be imported: set its constant too)."""
    import huggingface_hub.constants

    env = {
        "ZOO_HUB_ENDPOINT": hub_server.endpoint,
        "HF_TOKEN": hub_server.token,
        "HF_HOME": str(tmp_path / "hf-home"),
        "HF_HUB_DISABLE_XET": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    for name in ("HF_ENDPOINT", "HF_HUB_CACHE", "HF_HUB_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_DISABLE_XET", True)
    return env


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def zoo(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    """Run the ``zoo`` command line in this process, as the installed script does."""
    from zoo_core.cli import build_app
    from zoo_core.cli.errors import run_cli

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["zoo", *map(str, args)])
        code = run_cli(build_app)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def classifier_weights(num_classes: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Only the classifier's tensors, under their canonical names: for runs that are published
    and pulled but never loaded into a model (a few kB instead of 45 MB)."""
    rng = np.random.default_rng(seed)
    return {
        "fc.weight": rng.standard_normal((num_classes, 512)).astype(np.float32),
        "fc.bias": rng.standard_normal(num_classes).astype(np.float32),
    }


def run_config(architecture: str, classes: list[str], **overrides: Any) -> dict[str, Any]:
    """A ``config.json`` of the shape :func:`zoo_core.training.run_config` writes."""
    per_class = {
        name: {"precision": 0.5, "recall": 0.25, "f1": 1 / 3, "support": 4} for name in classes
    }
    config: dict[str, Any] = {
        "zoo_version": "0.1.0",
        "architecture": architecture,
        "architecture_options": {},
        "head": [],
        "head_kind": "mlp",
        "head_dropout": 0.0,
        "num_classes": len(classes),
        "label_names": classes,
        "input_size": [3, 32, 32],
        "mean": [0.485, 0.456, 0.406],
        "std": [0.229, 0.224, 0.225],
        "framework": "torch",
        "versions": {"zoo": "0.1.0"},
        "plugin": {"distribution": "zoo", "version": "0.1.0"},
        "parameters": 1,
        "dataset": {"dataset": "hagrid-synth", "synthetic": True, "root": "/home/someone/data"},
        "training": {"dataset": "hagrid-synth", "epochs": 1, "lr": 1e-3, "out": "/home/someone/r"},
        "results": {
            "split": "val",
            "epoch": 0,
            "precision": 0.5,
            "recall": 0.25,
            "f1": 1 / 3,
            "accuracy": 0.3,
            "samples": 4 * len(classes),
            "per_class": per_class,
        },
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def run_plots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run's two PNGs, drawn once (matplotlib is slow) and copied into every run."""
    from zoo_resnet import HAGRID_V1_GESTURES

    from zoo_core import plots
    from zoo_core.rundir import CONFUSION, CURVES

    folder = tmp_path_factory.mktemp("plots")
    rows = [{"epoch": 0, "train_loss": 2.9, "f1": 0.33, "precision": 0.5, "recall": 0.25}]
    plots.plot_curves(rows, folder / CURVES)
    matrix = np.eye(len(HAGRID_V1_GESTURES), dtype=int).tolist()
    plots.plot_confusion(matrix, HAGRID_V1_GESTURES, folder / CONFUSION)
    return folder


@pytest.fixture
def make_run(tmp_path: Path, run_plots: Path) -> Callable[..., Path]:
    """``make_run(name, architecture="resnet18", **config_overrides)``: a run directory with a
    config like a trained run's, the run's two plots, and classifier-only weights."""
    from zoo_core.rundir import CONFUSION, CURVES, RunDir

    def make(name: str, architecture: str = "resnet18", seed: int = 0, **overrides: Any) -> Path:
        from zoo_resnet import HAGRID_V1_GESTURES

        classes = list(HAGRID_V1_GESTURES)
        run = RunDir(tmp_path / name)
        run.save_weights(classifier_weights(len(classes), seed), {"epoch": "0"})
        run.write_config(run_config(architecture, classes, **overrides))
        for plot in (CURVES, CONFUSION):
            shutil.copyfile(run_plots / plot, run.path / plot)
        return run.path

    return make
