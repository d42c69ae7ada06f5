"""Decoding images fast: JPEG draft mode decodes at 1/2, 1/4 or 1/8 scale when the crop or frame
will be downscaled anyway, so a full-HD frame never has to be decoded at full size."""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image

from zoo_core.data import BadSample
from zoo_core.images import open_limited


def open_image(path: str | Path) -> Image.Image:
    """Open (not decode) an image; a missing, unreadable or oversized file raises
    :class:`BadSample`."""
    return open_limited(path)


def draft(image: Image.Image, max_reduction: float) -> int:
    """Put a not yet decoded JPEG in draft mode, dividing its size by the largest of 2, 4 or 8
    that is at most ``max_reduction``; return the divisor (1 when nothing changed). A point at
    full-size pixel ``p`` is at ``p / divisor`` in the decoded image."""
    if image.format != "JPEG" or max_reduction < 2:
        return 1
    width, height = image.size
    wanted = (max(1, math.ceil(width / max_reduction)), max(1, math.ceil(height / max_reduction)))
    image.draft("RGB", wanted)
    return max(1, round(width / image.size[0]))


def load_rgb(image: Image.Image, path: str | Path) -> Image.Image:
    """Decode ``image`` to RGB; truncated or corrupt data raises :class:`BadSample`."""
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as error:
        raise BadSample(path, f"corrupt or truncated image data: {error}") from None
    return image if image.mode == "RGB" else image.convert("RGB")
