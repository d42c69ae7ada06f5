"""``zoo plugin new``: the docs' scaffold steps give a plugin whose own tests pass straight away,
that is lint-clean, installs, and shows up in ``zoo list``; bad names are refused clearly."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from plugin_kit_support import Venv, blocks_tagged

from zoo_core.cli.scaffold import PluginNames, create_plugin

BIN = Path(sys.executable).parent


def run_steps(lines: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The lines as one ``bash -e`` script, with the project's venv first on ``PATH``."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "OMP_NUM_THREADS": "2"}
    return subprocess.run(
        ["bash", "-ec", "\n".join(lines)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The docs' scaffold block run in an empty folder: the plugin's folder and pytest's output."""
    (block,) = blocks_tagged("bash", "scaffold")
    folder = tmp_path_factory.mktemp("scaffold")
    result = run_steps(block.lines(), folder)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    (plugin,) = [path for path in folder.iterdir() if path.is_dir()]
    return plugin, result.stdout


def test_the_generated_plugins_own_tests_pass(scaffolded) -> None:
    _, output = scaffolded
    passed = re.search(r"(\d+) passed", output)
    assert passed and int(passed[1]) >= 20, output[-2000:]
    assert not re.search(r"\d+ (failed|skipped|error)", output), output[-2000:]


def test_the_generated_plugin_is_lint_clean(scaffolded) -> None:
    plugin, _ = scaffolded
    ruff = shutil.which("ruff", path=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    if ruff is None:
        pytest.skip("ruff is not installed")
    config = Path(__file__).resolve().parents[2] / "pyproject.toml"
    for command in ("check", "format --check"):
        result = subprocess.run(
            [ruff, *command.split(), "--config", str(config), "."],
            cwd=plugin,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_generated_plugin_installs_and_is_listed(scaffolded, venv: Venv) -> None:
    plugin, _ = scaffolded
    venv.run("pip install -e .", cwd=plugin)
    listed = venv.run("zoo list", cwd=plugin).stdout
    row = next(line for line in listed.splitlines() if "mynet_net" in line)
    assert row.count("✓") == 2 and "zoo-mynet" in row
    plugins = venv.run("zoo plugins --json", cwd=plugin).stdout
    assert '"distribution": "zoo-mynet"' in plugins


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("9lives", "starting with a letter"),
        ("zoo--double", "single '-'"),
        ("zoo-resnet", "a module named 'zoo_resnet' already exists"),
    ],
)
def test_bad_names_are_refused(name: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        PluginNames.derive(name)


def test_names_derive_from_the_distribution() -> None:
    names = PluginNames.derive("zoo-my-net")
    assert (names.package, names.entry_point, names.architecture) == (
        "zoo_my_net",
        "my_net",
        "my_net_net",
    )
    with pytest.raises(ValueError, match="'class': must be a Python identifier"):
        PluginNames.derive("zoo-my-net", "class")


def test_an_existing_folder_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="already exists and is not empty"):
        create_plugin(PluginNames.derive("zoo-fresh"), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_the_cli_reports_a_bad_name_in_one_line(tmp_path: Path) -> None:
    result = run_steps(["zoo plugin new 'bad name'"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("zoo: error: plugin name 'bad name'")
    assert not list(tmp_path.iterdir())
