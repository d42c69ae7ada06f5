"""The model card and the endpoint/token resolution, without a server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zoo_core.hub.bundle import stage
from zoo_core.hub.settings import HubSettings, RepoSpec, is_repo_id


def test_options_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOO_HUB_ENDPOINT", "http://zoo.example:1")
    monkeypatch.setenv("HF_ENDPOINT", "http://hf.example:2")
    monkeypatch.setenv("HF_TOKEN", "hf_fromEnvironment")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", "/somewhere/hf")
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    chosen = HubSettings.resolve("http://option.example:3/", "hf_fromOption", False)
    assert (chosen.endpoint, chosen.token, chosen.offline) == (
        "http://option.example:3",
        "hf_fromOption",
        False,
    )
    from_env = HubSettings.resolve()
    assert from_env.endpoint == "http://zoo.example:1"
    assert from_env.token == "hf_fromEnvironment"
    assert from_env.offline is True
    assert from_env.cache_dir == Path("/somewhere/hf/hub")
    assert "hf_fromEnvironment" not in repr(from_env)

    monkeypatch.delenv("ZOO_HUB_ENDPOINT")
    assert HubSettings.resolve().endpoint == "http://hf.example:2"
    monkeypatch.delenv("HF_ENDPOINT")
    monkeypatch.delenv("HF_TOKEN")
    defaults = HubSettings.resolve()
    assert (defaults.endpoint, defaults.token) == ("https://huggingface.co", None)
    with pytest.raises(ValueError, match="expected an http:// or https:// URL"):
        HubSettings.resolve("ftp://nope")


@pytest.mark.parametrize(
    ("text", "repo_id", "revision"),
    [
        ("acme/model", "acme/model", "main"),
        ("acme/model@v1.0", "acme/model", "v1.0"),
        ("acme/model@refs/pr/1", "acme/model", "refs/pr/1"),
        ("a-b.c/d_e@" + "f" * 40, "a-b.c/d_e", "f" * 40),
    ],
)
def test_repo_specs(text: str, repo_id: str, revision: str) -> None:
    assert RepoSpec.parse(text) == RepoSpec(repo_id, revision)
    assert is_repo_id(text)


@pytest.mark.parametrize("text", ["model", "a/b/c", "a/../b", "acme/model@", "/abs/path", "a b/c"])
def test_bad_repo_specs(text: str) -> None:
    assert not is_repo_id(text)
    with pytest.raises(ValueError, match="expected a Hub repository as ORG/NAME"):
        RepoSpec.parse(text)


def test_staged_card_has_model_index_recipe_results_and_citations(make_run, tmp_path: Path) -> None:
    from huggingface_hub import ModelCard

    run = make_run("card")
    files = stage(run, tmp_path / "staged", "acme/card", "apache-2.0")
    assert files == [
        "README.md",
        "config.json",
        "confusion_matrix.png",
        "curves.png",
        "model.safetensors",
    ]
    card = ModelCard.load(tmp_path / "staged" / "README.md")
    config = json.loads((tmp_path / "staged" / "config.json").read_text())
    assert card.data.library_name == "zoo"
    assert card.data.license == "apache-2.0"
    assert "synthetic-data" in card.data.tags and "resnet18" in card.data.tags
    scores = {result.metric_type: result.metric_value for result in card.data.eval_results}
    assert scores == {
        metric: round(config["results"][metric], 4)
        for metric in ("f1", "precision", "recall", "accuracy")
    }
    assert {result.dataset_split for result in card.data.eval_results} == {"val"}
    text = card.text
    headings = ["## Model", "## Training", "## Results", "### Per class", "## How to use"]
    for heading in [*headings, "## Limitations", "## Citation"]:
        assert heading in text
    assert text.count("\n| call |") == 1 and "| peace_inverted |" in text
    assert "![Training loss" in text and "(confusion_matrix.png)" in text
    assert "**Trained on synthetic data**" in text
    assert "zoo predict hf-hub:acme/card hand.jpg --framework mindspore" in text
    assert "Kapitanov" in text and "Squeeze-and-Excitation Networks" in text
    assert config["weights_sha256"] in text


def test_staging_is_deterministic_and_drops_local_paths(make_run, tmp_path: Path) -> None:
    run = make_run("twice")
    stage(run, tmp_path / "one", "acme/twice", "mit")
    stage(run, tmp_path / "two", "acme/twice", "mit")
    for name in ("README.md", "config.json", "model.safetensors", "curves.png"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    text = (tmp_path / "one" / "config.json").read_text()
    assert "/home/someone" not in text
    assert "/home/someone" not in (tmp_path / "one" / "README.md").read_text()


def test_a_real_dataset_gets_the_real_data_limitations(make_run, tmp_path: Path) -> None:
    run = make_run(
        "real",
        dataset={"dataset": "hagrid", "synthetic": False, "summary": "hagrid (real), crop 224px"},
    )
    stage(run, tmp_path / "staged", "acme/real", "apache-2.0")
    text = (tmp_path / "staged" / "README.md").read_text()
    assert "synthetic" not in text.lower()
    assert "hagrid (real), crop 224px" in text
    assert "--data PATH/TO/HAGRID" in text
