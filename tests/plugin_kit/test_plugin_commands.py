"""A plugin's ``zoo_commands`` hook adds commands to the ``zoo`` app, as ``build_app`` does it."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from zoo_core import hookimpl
from zoo_core.plugins import PluginHost


class GreetingPlugin:
    @hookimpl
    def zoo_commands(self, app: typer.Typer) -> None:
        @app.command("greet")
        def greet(name: str) -> None:
            """Say hello."""
            typer.echo(f"hello {name}")


def test_a_plugins_command_joins_the_app() -> None:
    host = PluginHost(strict=True)
    assert host.register(GreetingPlugin(), "greeting", "zoo-greeting")
    assert host.infos["greeting"].hooks == ["zoo_commands"]
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """zoo."""

    host.collect("zoo_commands", app=app)
    result = CliRunner().invoke(app, ["greet", "Ada"])
    assert result.exit_code == 0 and result.output == "hello Ada\n"
