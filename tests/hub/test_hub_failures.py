"""A hostile or broken Hub repository through the INSTALLED ``zoo`` console script: a config.json
of the wrong shape is refused naming the repository, the file and the field; untrusted text from
it never reaches the terminal raw or a suggested command unquoted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from zoo_core import hub
from zoo_core.rundir import CONFIG, WEIGHTS, sha256_of

ZOO = Path(sys.executable).parent / "zoo"


def zoo(*args: str | Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ZOO), *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def publish_config(hub_server, repo_id: str, config: dict) -> None:
    """Replace the config.json of a repository, as a careless or hostile publisher can."""
    from huggingface_hub import HfApi

    HfApi(endpoint=hub_server.endpoint, token=hub_server.token).upload_file(
        path_or_fileobj=json.dumps(config).encode(), path_in_repo=CONFIG, repo_id=repo_id
    )


def test_a_pulled_config_of_the_wrong_shape_is_refused(hub_env, hub_server, make_run) -> None:
    run = make_run("shape")
    hub.push(run, "failures/shape")
    config = json.loads((run / CONFIG).read_text())
    config.update(weights_sha256=sha256_of(run / WEIGHTS), num_classes="eighteen")
    publish_config(hub_server, "failures/shape", config)
    for command in (("pull", "failures/shape"), ("predict", "hf-hub:failures/shape", "x.png")):
        result = zoo(*command, env=hub_env)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        (line,) = [line for line in result.stderr.splitlines() if line.startswith("zoo: error:")]
        assert "failures/shape@main: config.json: field 'num_classes'" in line, line


def test_untrusted_text_from_the_hub_is_escaped_and_quoted(hub_env, hub_server, make_run) -> None:
    run = make_run(
        "evil",
        architecture="evil_net\x1b]0;owned\x07",
        plugin={"distribution": "zoo-evil$(touch owned)"},
    )
    hub.push(run, "failures/evil")
    result = zoo("pull", "failures/evil", env=hub_env)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "pip install 'zoo-evil$(touch owned)'" in result.stdout
