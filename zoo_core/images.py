"""Decoding and resizing images, shared by dataset plugins and ``zoo predict``.

JPEG draft mode decodes at 1/2, 1/4 or 1/8 scale when the image will be downscaled anyway, so a
full-HD frame never has to be decoded at full size. Every function returns or takes PIL images;
:func:`letterbox` and :func:`render_region` give ``uint8 (size, size, 3)`` RGB arrays.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from zoo_core.data import BadSample

Region = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels
FILL: tuple[int, int, int] = (0, 0, 0)


MAX_PIXELS = 64 * 1024 * 1024
"""The most pixels an image may have (8192 × 8192, 30 full-HD HaGRID frames): a bigger one, a
decompression bomb or just a huge scan, is a bad sample like a corrupt one."""


def open_image(path: str | Path) -> Image.Image:
    """Open (not decode) an image; a missing, unreadable or oversized (over :data:`MAX_PIXELS`)
    file, or a folder, raises :class:`BadSample` naming it."""
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


def upright(image: Image.Image, path: str | Path) -> Image.Image:
    """``image`` turned as its EXIF orientation tag says (photos from phones and cameras)."""
    try:
        return ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError) as error:
        raise BadSample(path, f"unreadable EXIF orientation: {error}") from None


def decode_problem(path: str | Path, orient: bool = False) -> BadSample | None:
    """Why ``path`` does not decode to its end (a 1/8-scale draft for a JPEG: the whole stream
    is still read, so truncation shows), or ``None`` when it does."""
    try:
        image = open_image(path)
        draft(image, 8)
        rgb = load_rgb(image, path)
        if orient:
            upright(rgb, path)
    except BadSample as bad:
        return bad
    return None


def undecodable(
    paths: Sequence[Path],
    orient: bool = False,
    workers: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[BadSample]:
    """The problem of every path in ``paths`` that does not decode, checked in a thread pool;
    ``progress(done, total)`` after each."""
    with ThreadPoolExecutor(workers or os.cpu_count() or 1) as pool:
        checks = pool.map(partial(decode_problem, orient=orient), paths)
        for done, problem in enumerate(checks, 1):
            if problem:
                yield problem
            if progress:
                progress(done, len(paths))


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


def whole_image(path: str | Path, size: int, fill: tuple[int, int, int] = FILL) -> np.ndarray:
    """An image file, upright (EXIF), decoded at the smallest draft scale that still fills
    ``size``, letterboxed to ``uint8 (size, size, 3)``; an unreadable file raises
    :class:`BadSample`."""
    image = open_image(path)
    draft(image, max(image.size) / size)
    return letterbox(upright(load_rgb(image, path), path), size, fill)
