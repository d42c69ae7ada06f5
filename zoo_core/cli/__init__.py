"""The ``zoo`` command-line app: core commands, then whatever plugins add (``zoo_commands``)."""

from __future__ import annotations

import sys

import typer

from zoo_core import __version__
from zoo_core.cli import catalog, data, deploy, hub, imports, recipes, scaffold, training

app = typer.Typer(
    name="zoo",
    help="A plugin-based model zoo for hand-gesture recognition on HaGRID (torch and MindSpore).",
    epilog=(
        "Exit codes: 0 ok, 1 error (one 'zoo: error: …' line), 2 usage error, 130 interrupted. "
        "ZOO_DEBUG=1 prints the traceback of an error."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zoo {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """zoo: train, evaluate, share and extend hand-gesture models."""


for module in (catalog, training, imports, data, deploy, hub, recipes, scaffold):
    module.register(app)


def build_app() -> typer.Typer:
    """A copy of the core app with every loaded plugin's commands added (checked: no plugin
    replaces a core command or breaks ``--help``)."""
    from zoo_core.cli.plugin_commands import add_plugin_commands, fresh_copy
    from zoo_core.registry import get_registry

    registry = get_registry()
    built = fresh_copy(app)
    training.register_train(built, registry)
    add_plugin_commands(built, registry)
    return built


def main() -> None:
    from zoo_core.cli.errors import run_cli

    sys.exit(run_cli(build_app))
