"""``zoo data prepare`` (a training cache of a HaGRID release) and ``zoo data synth`` (generate
hagrid-synth), added to the core's ``zoo data`` group; ``zoo data verify`` is the core's, which
calls :func:`zoo_hagrid.detect.verify_release` for a HaGRID folder.

Only typer and the plugin's plain-Python modules are imported here; the work is imported inside
each command, so that ``zoo --help`` stays instant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal

import typer

from zoo_core.cli.data import Progress
from zoo_hagrid.classes import V1_GESTURES
from zoo_hagrid.synth.params import SynthParams, parse_size

DEFAULTS = SynthParams()


def frame_size(text: str) -> tuple[int, int]:
    """``--size 320x240``; a bad value is a usage error (exit 2) with the CLI's own message."""
    try:
        return parse_size(text)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def _options(fmt: str | None, annotations: Path | None, images: Path | None) -> dict[str, str]:
    options = {"format": fmt, "annotations": annotations, "images": images}
    return {key: str(value) for key, value in options.items() if value}


FORMAT = typer.Option(None, "--format", help="v1, v2 or v2-1M (default: detected).")
ANNOTATIONS = typer.Option(None, "--annotations", help="Annotation folder, if not under ROOT.")
IMAGES = typer.Option(None, "--images", help="Image root, if not ROOT.")
WORKERS = typer.Option(0, "--workers", min=0, help="Decoding threads (0: one per CPU).")


def prepare(
    root: Path = typer.Argument(..., help="A HaGRID release (v1, v2 or v2-1M) or hagrid-synth."),
    out: Path = typer.Option(..., "--out", help="The cache folder to write."),
    size: int = typer.Option(
        224, "--size", min=16, help="The training image size the cache serves."
    ),
    mode: Literal["crop", "full_frame"] = typer.Option(
        "crop", "--mode", help="crop (hands) or full_frame."
    ),
    fmt: str | None = FORMAT,  # noqa: UP007
    annotations: Path | None = ANNOTATIONS,  # noqa: UP007
    images: Path | None = IMAGES,  # noqa: UP007
    workers: int = WORKERS,
) -> None:
    """Decode every image once into small JPEGs at OUT; train with --data OUT afterwards."""
    from zoo_core.paths import existing_folder, folder_to_write
    from zoo_hagrid.prepare import prepare as run

    existing_folder(root, "dataset folder")
    folder_to_write(out, "cache folder")
    progress = Progress("images prepared") if sys.stderr.isatty() else None
    report = run(root, out, size, mode, _options(fmt, annotations, images), workers, progress)
    for problem in report.skipped:
        typer.echo(f"skipped {problem}", err=True)
    typer.echo(
        f"{report.out}: {report.entries:,} images ({mode}, {size}px) in {report.files:,} files; "
        f"{len(report.skipped)} skipped"
    )


def synth(
    out: Path = typer.Option(..., "--out", help="A new folder to write the dataset to."),
    per_class: int = typer.Option(
        DEFAULTS.per_class, "--per-class", min=1, help="Images per gesture."
    ),
    users: int = typer.Option(DEFAULTS.users, "--users", min=2, help="Synthetic people."),
    size: Any = typer.Option(
        f"{DEFAULTS.width}x{DEFAULTS.height}",
        "--size",
        parser=frame_size,
        metavar="WIDTHxHEIGHT",
        help="Frame size, WIDTHxHEIGHT.",
    ),
    seed: int = typer.Option(DEFAULTS.seed, "--seed", min=0),
    workers: int = typer.Option(
        1, "--workers", min=1, help="Processes (the bytes do not depend on it)."
    ),
) -> None:
    """Generate hagrid-synth in the real HaGRID v1 format (deterministic for a seed)."""
    from zoo_core.paths import folder_to_write
    from zoo_hagrid.synth.writer import generate

    width, height = size
    params = SynthParams(per_class, users, width, height, seed)
    progress = Progress("images drawn") if sys.stderr.isatty() else None
    generate(params, folder_to_write(out), workers, progress, processes=True)
    images = per_class * len(V1_GESTURES)
    typer.echo(f"{out}: {images:,} images of {users} users, {width}x{height}, seed {seed}")
