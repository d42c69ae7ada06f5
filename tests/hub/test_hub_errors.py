"""Pushing and pulling against the test Hub: every failure has its own clear message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from zoo_core import hub
from zoo_core.rundir import CONFIG, WEIGHTS, sha256_of


def cached_snapshots(env: dict[str, str], repo_id: str) -> Path:
    return Path(env["HF_HOME"]) / "hub" / f"models--{repo_id.replace('/', '--')}" / "snapshots"


def test_push_then_pull_verifies_and_describes(hub_env, make_run, zoo) -> None:
    run = make_run("small")
    pushed = zoo("push", run, "--repo", "errors/small")
    assert pushed.code == 0, pushed.err
    assert "errors/small" in pushed.out and "model.safetensors" in pushed.out

    pulled = zoo("pull", "errors/small")
    assert pulled.code == 0, pulled.err
    assert "resnet18 + head linear · 18 classes · 32 px" in pulled.out
    assert "verified" in pulled.out
    snapshot = next(cached_snapshots(hub_env, "errors/small").iterdir())
    assert (snapshot / WEIGHTS).read_bytes() == (run / WEIGHTS).read_bytes()
    config = json.loads((snapshot / CONFIG).read_text())
    assert config["weights_sha256"] == sha256_of(run / WEIGHTS)
    assert config["training"]["out"] is None and config["dataset"]["root"] is None


def test_missing_repository(hub_env, zoo) -> None:
    with pytest.raises(hub.RepoNotFound, match=r"nobody/nothing: no such repository on http://"):
        hub.pull("nobody/nothing")
    result = zoo("pull", "nobody/nothing")
    assert result.code == 1
    assert result.err.startswith("zoo: error: nobody/nothing: no such repository")


def test_missing_revision_names_the_revisions_there_are(hub_env, make_run) -> None:
    hub.push(make_run("revisions"), "errors/revisions", revision="v1")
    with pytest.raises(hub.RevisionNotFound) as caught:
        hub.pull("errors/revisions@v9")
    message = str(caught.value)
    assert "no revision 'v9'" in message
    assert "branches: main, v1" in message
    assert hub.pull("errors/revisions@v1").config["architecture"] == "resnet18"


def test_repository_without_config_is_not_a_zoo_model(hub_env, hub_server) -> None:
    from huggingface_hub import HfApi

    api = HfApi(endpoint=hub_server.endpoint, token=hub_server.token)
    api.create_repo("errors/just-a-readme")
    api.upload_file(
        path_or_fileobj=b"# hello\n", path_in_repo="README.md", repo_id="errors/just-a-readme"
    )
    with pytest.raises(hub.NotAZooModel, match="has no config.json: it is not a zoo model"):
        hub.pull("errors/just-a-readme")


def test_tampered_weights_on_the_hub_are_refused_and_evicted(
    hub_env, hub_server, make_run, zoo
) -> None:
    from huggingface_hub import HfApi

    hub.push(make_run("honest"), "errors/tampered")
    other = make_run("other", seed=1)
    HfApi(endpoint=hub_server.endpoint, token=hub_server.token).upload_file(
        path_or_fileobj=str(other / WEIGHTS), path_in_repo=WEIGHTS, repo_id="errors/tampered"
    )
    with pytest.raises(hub.ChecksumMismatch, match="weights were replaced without their config"):
        hub.pull("errors/tampered")
    snapshot = next(cached_snapshots(hub_env, "errors/tampered").iterdir())
    assert not (snapshot / WEIGHTS).exists(), "a mismatching download must not stay in the cache"
    blobs = snapshot.parents[1] / "blobs"
    assert sha256_of(other / WEIGHTS) not in {blob.name for blob in blobs.iterdir()}

    predicted = zoo("predict", "hf-hub:errors/tampered", other / "curves.png")
    assert predicted.code == 1
    assert "zoo: error: errors/tampered@main: model.safetensors has sha256" in predicted.err


def test_corrupted_cache_is_refused_offline_then_repaired_online(hub_env, make_run) -> None:
    run = make_run("cached")
    hub.push(run, "errors/cached")
    weights = hub.pull("errors/cached").path / WEIGHTS
    blob = weights.resolve()
    blob.write_bytes(blob.read_bytes()[:-10])  # a download cut short
    with pytest.raises(hub.ChecksumMismatch):
        hub.pull("errors/cached", offline=True)
    with pytest.raises(hub.NotCached, match="not in the Hugging Face cache"):
        hub.pull("errors/cached", offline=True)
    repaired = hub.pull("errors/cached")
    assert (repaired.path / WEIGHTS).read_bytes() == (run / WEIGHTS).read_bytes()


def test_offline_pull_needs_an_earlier_pull(hub_env, make_run, zoo) -> None:
    """In a fresh process with ``HF_HUB_OFFLINE=1`` (read by huggingface_hub at import)."""
    hub.push(make_run("offline"), "errors/offline")
    command = [sys.executable, "-m", "zoo_core", "pull", "errors/offline"]
    offline_env = {**os.environ, "HF_HUB_OFFLINE": "1"}

    before = subprocess.run(command, env=offline_env, capture_output=True, text=True, timeout=120)
    assert before.returncode == 1
    assert "not in the Hugging Face cache" in before.stderr
    assert "run 'zoo pull errors/offline' online first" in before.stderr

    assert zoo("pull", "errors/offline").code == 0
    after = subprocess.run(command, env=offline_env, capture_output=True, text=True, timeout=120)
    assert after.returncode == 0, after.stderr
    assert "verified" in after.stdout
    assert zoo("pull", "errors/offline", "--offline").code == 0


def test_missing_plugin_names_the_distribution_to_install(hub_env, make_run, zoo) -> None:
    run = make_run(
        "convnext",
        architecture="convnext_tiny",
        plugin={"distribution": "zoo-convnext", "version": "1.2.0"},
    )
    assert zoo("push", run, "--repo", "errors/convnext").code == 0

    pulled = zoo("pull", "errors/convnext")
    assert pulled.code == 0, pulled.err
    assert "needs zoo-convnext, which is not installed: pip install zoo-convnext" in pulled.out

    predict = ("predict", "hf-hub:errors/convnext", run / "curves.png")
    for command in (predict, ("eval", "hf-hub:errors/convnext")):
        result = zoo(*command)
        assert result.code == 1
        assert "'convnext_tiny' is provided by 'zoo-convnext'" in result.err
        assert "pip install zoo-convnext" in result.err


def test_push_without_a_valid_token(hub_env, make_run, zoo, monkeypatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_wrongWrongWrong")
    result = zoo("push", make_run("denied"), "--repo", "errors/denied")
    assert result.code == 1
    assert "refused to let this token push to errors/denied (HTTP 401)" in result.err
    assert "hf_wrongWrongWrong" not in result.err + result.out


def test_push_needs_results_and_a_run(hub_env, make_run, tmp_path: Path, zoo) -> None:
    unfinished = make_run("unfinished", results={})
    result = zoo("push", unfinished, "--repo", "errors/unfinished")
    assert result.code == 1
    assert "no results: train at least one epoch before pushing" in result.err

    result = zoo("push", tmp_path / "nowhere", "--repo", "errors/nowhere")
    assert result.code == 1
    assert "no config.json — not a zoo run directory" in result.err


def test_the_token_is_never_written_or_printed(
    hub_env, hub_server, make_run, zoo: Callable
) -> None:
    run = make_run("secret")
    outputs = [
        zoo("push", run, "--repo", "errors/secret", "--token", hub_server.token),
        zoo("pull", "errors/secret", "--token", hub_server.token),
        zoo("pull", "errors/secret", "--json"),
        zoo("pull", "errors/secret@nope"),
    ]
    assert [result.code for result in outputs] == [0, 0, 0, 1]
    token = hub_server.token.encode()
    for result in outputs:
        assert hub_server.token not in result.out + result.err
    written = [Path(hub_env["HF_HOME"]), run, hub_server.repo_dir("errors/secret")]
    for root in written:
        for path in root.rglob("*"):
            if path.is_file():
                assert token not in path.read_bytes(), f"token found in {path}"
    files = subprocess.run(
        ["git", "grep", "-I", "--count", hub_server.token, "main"],
        cwd=hub_server.repo_dir("errors/secret"),
        capture_output=True,
        text=True,
    )
    assert files.returncode == 1 and not files.stdout, "token found in a committed file"


def test_an_unprefixed_repo_id_falls_back_to_the_hub(hub_env, make_run, tmp_path, monkeypatch):
    """``zoo predict ORG/NAME``: a name with a '/' that is no local path is pulled from the Hub
    (needs the ``checkpoint.locate`` fallback; a local folder of that name still wins)."""
    from zoo_core import checkpoint

    hub.push(make_run("fallback"), "errors/fallback")
    assert checkpoint.locate("errors/fallback") == hub.pull("errors/fallback").path
    with pytest.raises(hub.RepoNotFound, match="no such local run directory, and no such repo"):
        checkpoint.locate("errors/nowhere")

    monkeypatch.chdir(tmp_path)
    local = make_run("errors/fallback")
    assert local == tmp_path / "errors" / "fallback"
    assert checkpoint.locate("errors/fallback") == Path("errors/fallback")
