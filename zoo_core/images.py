"""Opening an image file with an explicit pixel limit: an oversized image (a decompression bomb,
or just a huge scan) is a bad sample like a corrupt one, not a memory blow-up or a traceback."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from zoo_core.data import BadSample

if TYPE_CHECKING:
    from PIL import Image

MAX_PIXELS = 64 * 1024 * 1024
"""The most pixels an image may have: 8192 × 8192, 30 times a full-HD HaGRID frame."""


def open_limited(path: str | Path) -> Image.Image:
    """Open (not decode) an image file; missing, not a file, unreadable or over
    :data:`MAX_PIXELS` raises :class:`BadSample` naming the file."""
    from PIL import Image, UnidentifiedImageError

    if Path(path).is_dir():
        raise BadSample(path, "a folder, not an image file")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except FileNotFoundError:
        raise BadSample(path, "missing image") from None
    except Image.DecompressionBombError as error:
        raise BadSample(path, f"oversized image ({error})") from None
    except UnidentifiedImageError:
        raise BadSample(path, "corrupt image: not a readable JPEG or PNG") from None
    except OSError as error:
        raise BadSample(path, f"corrupt or truncated image: {error}") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise BadSample(
            path, f"oversized image: {width}×{height} px is over the {MAX_PIXELS:,}-pixel limit"
        )
    return image
