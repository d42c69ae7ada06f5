"""Helpers of the imagefolder tests: small trees of images written into tmp_path (noise PNGs,
or a few real HaGRID crops copied from the shared sample), and the installed zoo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ZOO = Path(sys.executable).parent / "zoo"


def write_image(path: Path, size: tuple[int, int] = (48, 40), seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = np.random.default_rng(seed).integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path)
    return path


def write_tree(root: Path, classes: dict[str, int], suffix: str = ".png", seed: int = 0) -> Path:
    """``root/<class>/<n><suffix>``: ``classes[name]`` noise images per class."""
    for number, (name, count) in enumerate(classes.items()):
        for index in range(count):
            write_image(root / name / f"{index}{suffix}", seed=seed + 100 * number + index)
    return root


def copy_crops(sample: Path, target: Path, classes: tuple[str, ...], per_class: int) -> Path:
    """A few real crops of the shared HaGRID sample, copied into a test's tmp_path."""
    for name in classes:
        (target / name).mkdir(parents=True, exist_ok=True)
        for path in sorted((sample / "crops" / name).glob("*.jpg"))[:per_class]:
            shutil.copy(path, target / name / path.name)
    return target


def run_zoo(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The installed ``zoo`` in a subprocess, two passive compute threads."""
    env = {**os.environ, "OMP_NUM_THREADS": "2", "OMP_WAIT_POLICY": "PASSIVE", "COLUMNS": "200"}
    done = subprocess.run(
        [str(ZOO), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    if check and done.returncode != 0:
        pytest.fail(f"zoo {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done
