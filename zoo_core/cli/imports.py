"""``zoo import``: someone else's checkpoint as an ordinary zoo run directory."""

from __future__ import annotations

from pathlib import Path

import typer


def import_command(
    source: str = typer.Argument(
        ..., help="Weights: a file, a folder, local-dir:PATH or hf-hub:ORG/NAME."
    ),
    out: Path = typer.Option(..., help="The run directory to write (new or empty)."),
    architecture: str = typer.Option(
        None, "--arch", help="zoo architecture (default: the one the weights name or fill)."
    ),
    fmt: str = typer.Option(
        None, "--format", help="Weight format (default: detected; see 'zoo formats')."
    ),
    labels: str = typer.Option(
        None, help="Class names in order, comma-separated (default: the checkpoint's)."
    ),
    framework: str = typer.Option(
        None, "--framework", "-f", help="Framework to check the weights in (default: torch)."
    ),
) -> None:
    """Convert a checkpoint (timm, torchvision, HaGRID, MindCV…) into a zoo run directory."""
    from zoo_core.importing import import_weights

    names = [name.strip() for name in labels.split(",")] if labels else None
    written = import_weights(source, out, architecture, fmt, names, framework)
    typer.echo(f"imported {source} → {written}")


def formats_command() -> None:
    """List the weight formats zoo reads (zoo import, --init, predict/eval/export sources)."""
    from rich.console import Console
    from rich.table import Table

    from zoo_core.registry import get_registry

    table = Table(title="Weight formats")
    for column in ("format", "written by", "description", "plugin"):
        table.add_column(column)
    from zoo_core.sources import formats

    for spec in formats(get_registry()):
        table.add_row(spec.name, spec.framework, spec.description, spec.distribution)
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("formats")(formats_command)
