"""The hooks a zoo plugin may implement (pluggy project and entry-point group ``zoo``)."""

from __future__ import annotations

from collections.abc import Sequence

import pluggy
import typer

from zoo_core.specs import (
    ArchitectureSpec,
    DatasetSpec,
    FrameworkSpec,
    HeadSpec,
    WeightFormatSpec,
)

PROJECT = "zoo"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def zoo_architectures() -> Sequence[ArchitectureSpec]:
    """Return the model architectures this plugin provides."""


@hookspec
def zoo_heads() -> Sequence[HeadSpec]:
    """Return the classification-head kinds this plugin provides."""


@hookspec
def zoo_frameworks() -> Sequence[FrameworkSpec]:
    """Return the frameworks (trainer, weight loader/saver, exporters) this plugin provides."""


@hookspec
def zoo_datasets() -> Sequence[DatasetSpec]:
    """Return the datasets this plugin can open."""


@hookspec
def zoo_weight_formats() -> Sequence[WeightFormatSpec]:
    """Return the checkpoint formats this plugin can read into canonical weights."""


@hookspec
def zoo_commands(app: typer.Typer) -> None:
    """Add commands to the ``zoo`` command-line app."""
