"""Fixtures for the HaGRID data-layer tests: small releases written in the real annotation
schema (``kit``), and a tiny hagrid-synth (``synth_root``). The real sample comes from the
top-level ``hagrid_sample`` fixture."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from PIL import Image


def write_jpeg(path: Path, size: tuple[int, int] = (160, 120), seed: int = 0) -> Path:
    """A small noisy JPEG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = np.random.default_rng(seed).integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path, quality=90)
    return path


def entry(
    labels: list[str], user: str, boxes: list[list[float]] | None = None, **extra: Any
) -> dict:
    boxes = boxes or [[0.1 + 0.4 * i, 0.2, 0.3, 0.4] for i in range(len(labels))]
    return {"bboxes": boxes, "labels": labels, "user_id": user, **extra}


def write_release(
    root: Path, layout: dict[str, dict[str, dict[str, dict]]], images: bool = True
) -> Path:
    """``layout[folder][gesture][image id] = entry``; images at ``<gesture>/<id>.jpg``."""
    for folder, files in layout.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        for gesture, entries in files.items():
            (root / folder / f"{gesture}.json").write_text(json.dumps(entries))
            if images:
                for n, image_id in enumerate(entries):
                    write_jpeg(root / gesture / f"{image_id}.jpg", seed=n)
    return root


@pytest.fixture
def kit() -> SimpleNamespace:
    return SimpleNamespace(entry=entry, write_release=write_release, write_jpeg=write_jpeg)


@pytest.fixture(scope="session")
def synth_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny hagrid-synth: 4 images per gesture, 6 users, 160x120."""
    from zoo_hagrid.synth.params import SynthParams
    from zoo_hagrid.synth.writer import generate

    params = SynthParams(per_class=4, users=6, width=160, height=120, seed=3)
    return generate(params, tmp_path_factory.mktemp("synth") / "s")
