"""The ``zoo`` console script as a user runs it: subprocesses, real entry points, real installs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HEAVY = ("torch", "mindspore", "timm")


def zoo(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "zoo_core", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


@pytest.mark.parametrize("command", [["--help"], ["list"], ["plugins"], ["info", "se_resnet18"]])
def test_catalog_commands_import_no_framework(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "zoo_core", *command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    heavy = sorted(m for m in imported if m.split(".")[0] in HEAVY)
    assert not heavy, f"{command} imported {heavy[:5]}"


def test_list_shows_builtin_architectures_frameworks_heads_and_datasets() -> None:
    result = zoo("list")
    assert result.returncode == 0, result.stderr
    for name in ("resnet18", "se_resnet18", "torch", "mindspore", "mlp", "hagrid", "hagrid-synth"):
        assert name in result.stdout


def test_info_prints_the_study_parameter_counts() -> None:
    result = zoo("info", "se_resnet18", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["parameters"] == {
        "linear": 11_274_826,
        "512": 11_537_482,
        "512,256": 11_664_202,
        "512,256,128": 11_694_794,
    }
    assert info["config"]["options"] == {"se_ratio": 1 / 16, "se_divisor": 1}
    resnet = json.loads(zoo("info", "resnet18", "--json").stdout)
    assert resnet["parameters"]["linear"] == 11_185_746


def test_unknown_architecture_is_one_clear_error() -> None:
    result = zoo("info", "se_resnet81")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("zoo: error: unknown architecture")
    assert "Did you mean 'se_resnet18'" in result.stderr
    assert "Traceback" not in result.stderr


def test_version() -> None:
    from zoo_core import __version__

    assert zoo("--version").stdout.strip() == f"zoo {__version__}"


def test_plugins_json_lists_builtins_with_their_hooks() -> None:
    result = zoo("plugins", "--json")
    plugins = {p["name"]: p for p in json.loads(result.stdout)}
    assert plugins["resnet"]["hooks"] == ["zoo_architectures"]
    assert plugins["torch"]["hooks"] == ["zoo_frameworks"]
    assert "zoo_datasets" in plugins["hagrid"]["hooks"]
    assert all(p["status"] == "ok" for p in plugins.values()), plugins


def write_plugin_project(root: Path, name: str, body: str) -> Path:
    """A minimal third-party plugin distribution, as a stranger would write it."""
    package = name.replace("-", "_")
    (root / package).mkdir(parents=True)
    (root / package / "__init__.py").write_text(textwrap.dedent(body))
    (root / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""
            [build-system]
            requires = ["setuptools>=68"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "{name}"
            version = "0.3.0"

            [project.entry-points.zoo]
            {package} = "{package}"
            """
        )
    )
    return root


@pytest.fixture(scope="module")
def installed_plugins(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Really pip-install two plugin packages (one good, one broken) into a target folder."""
    target = tmp_path_factory.mktemp("site")
    good = write_plugin_project(
        tmp_path_factory.mktemp("good"),
        "zoo-good-example",
        """
        from zoo_core import ArchitectureSpec, hookimpl

        @hookimpl
        def zoo_architectures():
            return [ArchitectureSpec(name="good_net", description="installed for a test",
                                     builders={"torch": "good:build"})]
        """,
    )
    broken = write_plugin_project(
        tmp_path_factory.mktemp("broken"),
        "zoo-broken-example",
        "raise ImportError('this plugin is broken on purpose')\n",
    )
    for project in (good, broken):
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
             "--no-index", "--target", str(target), str(project)],
            check=True,
            capture_output=True,
            timeout=300,
        )  # fmt: skip
    return target


def test_real_installed_plugin_is_discovered(installed_plugins: Path) -> None:
    env = {"PYTHONPATH": str(installed_plugins)}
    listing = zoo("list", env=env)
    assert listing.returncode == 0, listing.stderr
    assert "good_net" in listing.stdout and "zoo-good-example" in listing.stdout
    plugins = {p["name"]: p for p in json.loads(zoo("plugins", "--json", env=env).stdout)}
    assert plugins["zoo_good_example"]["version"] == "0.3.0"
    assert plugins["zoo_broken_example"]["status"] == "error"


def test_broken_installed_plugin_warns_once_and_cli_keeps_working(installed_plugins: Path) -> None:
    result = zoo("list", env={"PYTHONPATH": str(installed_plugins)})
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert "zoo_broken_example" in warnings[0] and "broken on purpose" in warnings[0]
    assert "se_resnet18" in result.stdout


def test_broken_installed_plugin_is_fatal_in_strict_mode(installed_plugins: Path) -> None:
    env = {"PYTHONPATH": str(installed_plugins), "ZOO_STRICT_PLUGINS": "1"}
    result = zoo("list", env=env)
    assert result.returncode == 1
    assert "zoo_broken_example" in result.stderr and "Traceback" not in result.stderr


def test_zoo_plugins_env_selects(installed_plugins: Path) -> None:
    env = {"PYTHONPATH": str(installed_plugins), "ZOO_PLUGINS": "resnet,heads"}
    plugins = json.loads(zoo("plugins", "--json", env=env).stdout)
    assert sorted(p["name"] for p in plugins) == ["heads", "resnet"]


def test_no_help_text_is_swallowed_as_rich_markup() -> None:
    """typer renders help through rich markup: "[hagrid-synth]" would print as nothing."""
    import click
    import typer
    from rich.text import Text

    from zoo_core.cli import build_app

    def commands(command: click.Command, path: str) -> list[tuple[str, click.Command]]:
        found = [(path, command)]
        for name, sub in getattr(command, "commands", {}).items():
            found += commands(sub, f"{path} {name}")
        return found

    lost = [
        f"{path} {getattr(item, 'name', '')}: {text!r}"
        for path, command in commands(typer.main.get_command(build_app()), "zoo")
        for item in (command, *command.params)
        for text in [getattr(item, "help", None)]
        if text and Text.from_markup(text).plain != text
    ]
    assert not lost, lost
