"""Bad input through the INSTALLED ``zoo`` console script: exit code, one clear line, no traceback,
nothing already saved harmed. Exit codes: 0 ok, 1 error, 2 usage, 130 interrupted."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ZOO = Path(sys.executable).parent / "zoo"


def zoo(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [str(ZOO), *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=300,
    )


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("zoo: error:")]


def assert_one_error(result: subprocess.CompletedProcess, code: int, *names: str) -> str:
    """Exit ``code``, exactly one ``zoo: error:`` line naming every one of ``names``."""
    assert result.returncode == code, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr[-3000:]
    for name in names:
        assert str(name) in lines[0], (name, lines[0])
    return lines[0]


def assert_usage(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "Usage: zoo" in result.stderr or "zoo --help" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# ---------------------------------------------------------------------------------- usage (2)


def test_missing_argument_is_a_usage_error() -> None:
    assert_usage(zoo("predict"), "Missing argument")


def test_unknown_command_is_a_usage_error() -> None:
    assert_usage(zoo("frobnicate"), "frobnicate")


def test_option_value_of_the_wrong_type_is_a_usage_error() -> None:
    assert_usage(zoo("train", "resnet18", "--epochs", "abc"), "--epochs")


# ---------------------------------------------------------------------------------- errors (1)


def test_verify_of_a_missing_folder_fails(tmp_path: Path) -> None:
    result = zoo("data", "verify", tmp_path / "absent")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_architecture(tmp_path: Path) -> None:
    assert_one_error(zoo("info", "se_resnet81"), 1, "se_resnet81")


# ------------------------------------------------------------------------- interrupted (130)


def test_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    """A Hub that accepts the connection and never answers: SIGINT while ``zoo pull`` waits."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        process = subprocess.Popen(
            [str(ZOO), "pull", "org/name", "--endpoint", f"http://127.0.0.1:{port}"],
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "HF_HUB_CACHE": str(tmp_path / "hf")},
        )
        server.settimeout(60)
        connection, _ = server.accept()
        with connection:
            time.sleep(0.3)
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "zoo: interrupted"
    assert "Traceback" not in stderr


# ----------------------------------------------------------- a hostile or buggy plugin's commands

HOSTILE = '''
import typer
from zoo_core import hookimpl


@hookimpl
def zoo_commands(app: typer.Typer) -> None:
    @app.command("exit-three")
    def exit_three() -> None:
        """Ends with typer.Exit(3)."""
        raise typer.Exit(3)

    @app.command("crash")
    def crash() -> None:
        """Fails with a bug."""
        raise RuntimeError("the plugin has a bug")
'''


def write_project(root: Path, name: str, modules: dict[str, str]) -> Path:
    """One third-party distribution with an entry point per module, as a stranger writes it."""
    entry_points = "\n".join(f'{module} = "{module}"' for module in modules)
    for module, body in modules.items():
        (root / module).mkdir(parents=True)
        (root / module / "__init__.py").write_text(textwrap.dedent(body))
    (root / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""
            [build-system]
            requires = ["setuptools>=68"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "{name}"
            version = "0.1.0"

            [tool.setuptools]
            packages = {sorted(modules)!r}

            [project.entry-points.zoo]
            """
        )
        + entry_points
        + "\n"
    )
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Really pip-install a plugin distribution into a folder; the env that makes zoo see it."""
    target = tmp_path_factory.mktemp("site")
    project = write_project(
        tmp_path_factory.mktemp("project"), "zoo-hostile-example", {"zoo_hostile": HOSTILE}
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(project)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    return {"PYTHONPATH": str(target)}


def test_plugin_command_exit_code_comes_through(hostile: dict[str, str]) -> None:
    result = zoo("exit-three", env=hostile)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr


def test_a_bug_is_one_line_and_the_traceback_only_under_zoo_debug(hostile: dict[str, str]) -> None:
    result = zoo("crash", env=hostile)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("zoo: internal error: RuntimeError: the plugin has a bug")
    assert "this is a bug, please report it" in last and "ZOO_DEBUG=1" in last
    debug = zoo("crash", env={**hostile, "ZOO_DEBUG": "1"})
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr and 'raise RuntimeError("the plugin has a bug")' in (
        debug.stderr
    )
