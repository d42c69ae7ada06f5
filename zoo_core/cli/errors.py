"""Turning expected failures into one clear line on stderr and a non-zero exit."""

from __future__ import annotations

import json
from collections.abc import Callable

import typer

from zoo_core.checkpoint import MissingPluginError
from zoo_core.data import BadSample, DataError
from zoo_core.plugins import PluginError
from zoo_core.registry import FrameworkUnavailable, UnknownNameError
from zoo_core.rundir import WeightsError

EXPECTED: tuple[type[BaseException], ...] = (
    BadSample,
    DataError,
    FileNotFoundError,
    FrameworkUnavailable,
    MissingPluginError,
    PluginError,
    UnknownNameError,
    ValueError,
    WeightsError,
    json.JSONDecodeError,
)


def expected_errors() -> tuple[type[BaseException], ...]:
    """The core's expected errors plus those of modules loaded later (training, hub, recipes)."""
    import sys

    extra = []
    for module, name in (
        ("zoo_core.training", "TrainingError"),
        ("zoo_core.hub", "HubError"),
        ("zoo_core.recipes", "RecipeError"),
    ):
        if module in sys.modules:
            extra.append(getattr(sys.modules[module], name))
    return EXPECTED + tuple(extra)


def run_cli(build: Callable[[], typer.Typer]) -> int:
    """Run the app; expected errors print ``zoo: error: …`` (no traceback) and exit 1."""
    try:
        app = build()
        app(standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except KeyboardInterrupt:
        typer.echo("zoo: interrupted", err=True)
        return 130
    except Exception as error:  # noqa: BLE001 - filtered just below
        import click

        if isinstance(error, click.exceptions.Exit):
            return error.exit_code
        if isinstance(error, click.ClickException):
            error.show()
            return error.exit_code
        if isinstance(error, click.exceptions.Abort):
            typer.echo("zoo: aborted", err=True)
            return 1
        if not isinstance(error, expected_errors()):
            raise
        message = str(error)
        if isinstance(error, KeyError | LookupError) and message.startswith("'"):
            message = message.strip("'\"")
        typer.echo(f"zoo: error: {message}", err=True)
        return 1
    return 0
