"""Every real HaGRID crop in the shared sample decodes through zoo's path."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
from zoo_hagrid.classes import V1_CLASSES

from zoo_core.images import decode_problem, draft, letterbox, load_rgb, open_image


def test_every_real_crop_decodes(hagrid_sample: Path) -> None:
    folder = hagrid_sample / "crops"
    listed = [
        json.loads(line)
        for line in (hagrid_sample / "crops.jsonl").read_text().splitlines()
        if line.strip()
    ]
    files = sorted(folder.glob("*/*.jpg"))
    assert len(files) == 190 == len(listed)
    assert {p.parent.name for p in files} == set(V1_CLASSES)
    assert Counter(p.parent.name for p in files) == {name: 10 for name in V1_CLASSES}
    assert {hagrid_sample / item["path"] for item in listed} == set(files)
    for path in files:
        assert decode_problem(path) is None, path
        image = open_image(path)
        assert image.format == "JPEG" and max(image.size) == 336
        assert draft(image, max(image.size) / 112) == 2  # decoded at half size for 112 px
        frame = letterbox(load_rgb(image, path), 112)
        assert frame.shape == (112, 112, 3) and frame.dtype == np.uint8
        assert frame.std() > 5  # a real picture, not a blank
