"""Crop geometry, padding, full frames, and JPEG draft-mode equivalence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw
from zoo_hagrid.geometry import crop_region
from zoo_hagrid.records import Entry, Hand
from zoo_hagrid.sources import crop_hand, full_frame

from zoo_core.images import draft, letterbox, load_rgb, open_image, render_region


def frame_with_box(size: tuple[int, int], box: tuple[int, int, int, int]) -> Image.Image:
    """Grey frame with a red box (x, y, w, h) and a blue dot at the box centre."""
    image = Image.new("RGB", size, (128, 128, 128))
    draw = ImageDraw.Draw(image)
    x, y, w, h = box
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 0, 0))
    cx, cy = x + w / 2, y + h / 2
    draw.rectangle((cx - 4, cy - 4, cx + 3, cy + 3), fill=(0, 0, 255))
    return image


def make_entry(
    path: Path, box_px: tuple[float, float, float, float], size: tuple[int, int]
) -> tuple[Entry, Hand]:
    x, y, w, h = box_px
    hand = Hand("like", (x / size[0], y / size[1], w / size[0], h / size[1]))
    return Entry("id", path, "like", (hand,), "u", "subsample", "like.json"), hand


def test_crop_region_is_a_square_around_the_box_centre() -> None:
    assert crop_region((10, 20, 40, 20), 1.0) == (10, 10, 50, 50)
    assert crop_region((10, 20, 40, 20), 2.0) == (-10, -10, 70, 70)


def test_box_lands_in_the_middle() -> None:
    image = frame_with_box((400, 300), (150, 100, 60, 40))
    crop = render_region(image, crop_region((150, 100, 60, 40), 1.0), 60)
    assert tuple(crop[30, 30]) == (0, 0, 255)  # the box centre is the crop centre
    assert tuple(crop[8, 30]) == (128, 128, 128)  # above the 40 px high box: background
    assert tuple(crop[15, 2]) == (255, 0, 0)  # the wider side spans the whole crop
    scaled = render_region(image, crop_region((150, 100, 60, 40), 2.0), 60)
    assert tuple(scaled[30, 30]) == (0, 0, 255) and tuple(scaled[2, 2]) == (128, 128, 128)


def test_padding_where_the_crop_leaves_the_image() -> None:
    image = frame_with_box((200, 100), (0, 0, 20, 20))
    crop = render_region(image, crop_region((0, 0, 20, 20), 2.0), 40, fill=(7, 8, 9))
    assert tuple(crop[0, 0]) == (7, 8, 9)  # outside the image
    assert tuple(crop[39, 39]) == (128, 128, 128)  # inside
    assert (crop[:10, :] == (7, 8, 9)).all() and (crop[:, :10] == (7, 8, 9)).all()


def test_letterbox_keeps_the_aspect_ratio() -> None:
    image = Image.new("RGB", (200, 100), (50, 60, 70))
    out = letterbox(image, 64)
    assert out.shape == (64, 64, 3)
    assert tuple(out[0, 32]) == (0, 0, 0) and tuple(out[63, 32]) == (0, 0, 0)
    assert tuple(out[32, 0]) == (50, 60, 70) and tuple(out[32, 63]) == (50, 60, 70)
    assert (out[17:47, :] == (50, 60, 70)).all()


def test_draft_mode_matches_a_full_decode(tmp_path: Path) -> None:
    size = (1920, 1080)
    box = (900.0, 400.0, 300.0, 360.0)
    image = frame_with_box(size, tuple(int(v) for v in box))
    rng = np.random.default_rng(0)
    texture = rng.integers(0, 40, (size[1], size[0], 3), dtype=np.uint8)
    pixels = np.clip(np.asarray(image).astype(int) + texture - 20, 0, 255).astype(np.uint8)
    path = tmp_path / "hd.jpg"
    Image.fromarray(pixels).save(path, quality=92)
    entry, hand = make_entry(path, box, size)

    fast = crop_hand(entry, hand, 1.5, 112).astype(float)
    full = load_rgb(open_image(path), path)
    slow = render_region(full, crop_region(box, 1.5), 112).astype(float)
    assert fast.shape == slow.shape == (112, 112, 3)
    assert np.abs(fast - slow).mean() < 4.0  # 1/4-scale DCT decode vs full decode + resize
    assert tuple(np.round(fast[56, 56]).astype(int)) != (128, 128, 128)

    probe = open_image(path)
    assert draft(probe, 540 / 112) == 4 and probe.size == (480, 270)
    assert draft(open_image(path), 1.5) == 1

    frame_fast = full_frame(entry, 224).astype(float)
    frame_slow = letterbox(full, 224).astype(float)
    assert np.abs(frame_fast - frame_slow).mean() < 4.0
