"""The README stays true: its set-up commands are what CI runs, its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[2]

README = (REPO / "README.md").read_text()


def setup_commands() -> list[str]:
    section = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line and line[0] != "#"]


def test_setup_is_two_commands_main_job_and_tests() -> None:
    main_job, tests = setup_commands()
    assert main_job.endswith("zoo train se_resnet18 --framework mindspore")
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    _, tests = setup_commands()
    assert tests in (REPO / ".ci" / "run").read_text()


def test_every_zoo_command_in_the_readme_exists() -> None:
    from zoo_core.cli import build_app

    app = build_app()
    used = set(re.findall(r"^zoo ([a-z]+)", README, flags=re.M))
    runner = CliRunner()
    for command in sorted(used):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, f"'zoo {command}' in README: {result.output}"
