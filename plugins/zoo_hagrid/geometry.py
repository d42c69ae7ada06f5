"""Sample geometry: a square hand crop, or the whole frame letterboxed to a square.

Both take a decoded PIL image and return ``uint8`` ``(size, size, 3)`` RGB arrays; the parts of
the square outside the image are filled with a constant colour.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

Region = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels
FILL: tuple[int, int, int] = (0, 0, 0)


def crop_region(box_px: Region, scale: float) -> Region:
    """The square of side ``max(w, h) * scale`` centred on a box given as ``(x, y, w, h)`` px."""
    x, y, w, h = box_px
    half = max(w, h) * scale / 2
    cx, cy = x + w / 2, y + h / 2
    return (cx - half, cy - half, cx + half, cy + half)


def render_region(
    image: Image.Image, region: Region, size: int, fill: tuple[int, int, int] = FILL
) -> np.ndarray:
    """Resample the square ``region`` of ``image`` to ``size × size``, padding with ``fill`` where
    it leaves the image (antialiased when it shrinks)."""
    x0, y0, x1, y1 = region
    side = max(x1 - x0, 1e-6)
    s = size / side
    width, height = image.size
    ix0, iy0 = max(x0, 0.0), max(y0, 0.0)
    ix1, iy1 = min(x1, float(width)), min(y1, float(height))
    canvas = Image.new("RGB", (size, size), fill)
    dx0, dy0 = round((ix0 - x0) * s), round((iy0 - y0) * s)
    dx1, dy1 = round((ix1 - x0) * s), round((iy1 - y0) * s)
    if dx1 > dx0 and dy1 > dy0:
        part = image.resize((dx1 - dx0, dy1 - dy0), Image.Resampling.BILINEAR, (ix0, iy0, ix1, iy1))
        canvas.paste(part, (dx0, dy0))
    return np.asarray(canvas)


def letterbox(image: Image.Image, size: int, fill: tuple[int, int, int] = FILL) -> np.ndarray:
    """The whole frame, longest side resized to ``size`` and centred on a square."""
    width, height = image.size
    longest = max(width, height)
    pad = (longest - width) / 2, (longest - height) / 2
    return render_region(image, (-pad[0], -pad[1], width + pad[0], height + pad[1]), size, fill)
