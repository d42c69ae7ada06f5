"""Deployment without a training framework: ``zoo[onnxruntime]`` in a fresh venv that has
neither torch nor MindSpore runs ``zoo predict RUN IMG --framework onnxruntime``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from . import clean_env

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return clean_env.build(tmp_path_factory.mktemp("deploy-venv") / "venv", REPO)


def in_env(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` in the venv's folder (a checkout in the working folder would shadow
    the installed zoo)."""
    return subprocess.run(
        [str(python), *args], capture_output=True, text=True, timeout=300, cwd=python.parents[1]
    )


def test_the_environment_has_no_training_framework(python: Path) -> None:
    for module in ("torch", "timm", "mindspore"):
        done = in_env(python, "-c", f"import {module}")
        assert done.returncode == 1 and f"No module named '{module}'" in done.stderr
    done = in_env(python, "-c", "import zoo_core, onnxruntime; print(zoo_core.__file__)")
    assert done.returncode == 0 and done.stdout.startswith(str(python.parents[1] / "src"))


def test_predict_with_onnxruntime_only(python: Path, exported: Path, synth: Path) -> None:
    from .conftest import zoo

    images = [str(p) for p in sorted(synth.glob("*/*.jpg"))[:2]]
    expected = json.loads(zoo("predict", str(exported), *images, "--json", "-f", "torch").stdout)
    console = python.parent / "zoo"
    done = subprocess.run(
        [str(console), "predict", str(exported), *images, "--json", "-f", "onnxruntime"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert [r["top_k"][0]["label"] for r in got] == [r["top_k"][0]["label"] for r in expected]
    for mine, theirs in zip(got, expected, strict=True):
        assert mine["top_k"][0]["probability"] == pytest.approx(
            theirs["top_k"][0]["probability"], abs=1e-4
        )


def test_without_an_export_the_error_says_what_to_do(python: Path, run: Path, synth: Path) -> None:
    image = str(sorted(synth.glob("*/*.jpg"))[0])
    console = python.parent / "zoo"
    done = subprocess.run(
        [str(console), "predict", str(run), image, "-f", "onnxruntime"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"zoo: error: {run}: no up-to-date model.onnx for onnxruntime, and no installed "
        f"framework can export one: run 'zoo export {run} --format onnx' where torch or "
        "MindSpore is installed"
    )
    torch = subprocess.run(
        [str(console), "predict", str(run), image, "-f", "torch"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert torch.returncode == 1 and "pip install 'zoo[torch]'" in torch.stderr


@pytest.mark.slow
def test_pip_install_of_the_onnxruntime_extra_brings_no_training_framework(
    tmp_path: Path, exported: Path, synth: Path
) -> None:
    """The real thing, from the package index: ``pip install -e REPO[onnxruntime]`` (about
    1.5 minutes here), then predict."""
    folder = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=120)
    source = clean_env.source_copy(REPO, tmp_path / "src")
    install = subprocess.run(
        [str(folder / "bin" / "pip"), "install", "-q", "-e", f"{source}[onnxruntime]"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    for module in ("torch", "timm", "mindspore"):
        assert in_env(folder / "bin" / "python", "-c", f"import {module}").returncode == 1
    image = str(sorted(synth.glob("*/*.jpg"))[0])
    done = subprocess.run(
        [str(folder / "bin" / "zoo"), "predict", str(exported), image, "-f", "onnxruntime"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and done.stdout.startswith(image), done.stderr
