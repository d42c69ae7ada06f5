"""Hand-crop geometry: the square region around a box (rendered by
:func:`zoo_core.images.render_region`, which pads with a constant colour outside the frame)."""

from __future__ import annotations

from zoo_core.images import Region


def crop_region(box_px: Region, scale: float) -> Region:
    """The square of side ``max(w, h) * scale`` centred on a box given as ``(x, y, w, h)`` px."""
    x, y, w, h = box_px
    half = max(w, h) * scale / 2
    cx, cy = x + w / 2, y + h / 2
    return (cx - half, cy - half, cx + half, cy + half)
