"""Train a tiny real run, push it, pull it into an empty cache, and use it in both frameworks."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from zoo_core.rundir import CONFIG, CONFUSION, CURVES, WEIGHTS

REPO_ID = "roundtrip/resnet18-tiny"
HUB_FILES = ("README.md", CONFIG, CONFUSION, CURVES, WEIGHTS)
TRAIN = ["resnet18", "--framework", "torch", "--image-size", "32", "--epochs", "1"]
TRAIN += ["--batch-size", "8", "--workers", "0"]

pytestmark = pytest.mark.torch


def backend_missing(framework: str) -> str | None:
    """Why ``framework`` cannot run here, or ``None``."""
    from zoo_core.registry import get_registry

    try:
        get_registry().backend(framework)
    except Exception as error:  # noqa: BLE001 - any reason is a reason to skip
        return f"{framework} backend unavailable: {type(error).__name__}: {error}"
    return None


@pytest.fixture(scope="module")
def synth_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny hagrid-synth release (4 images per gesture, 6 users, 96×72 px; ~2 s to write)."""
    from zoo_hagrid.synth.params import SynthParams
    from zoo_hagrid.synth.writer import generate

    params = SynthParams(per_class=4, users=6, width=96, height=72, seed=3)
    return generate(params, tmp_path_factory.mktemp("synth") / "release")


@pytest.fixture(scope="module")
def trained_run(synth_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``zoo train resnet18 --framework torch --data RELEASE`` for one epoch at 32 px."""
    import sys

    from zoo_core.cli import build_app
    from zoo_core.cli.errors import run_cli

    reason = backend_missing("torch")
    if reason:
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("trained") / "run"
    where = ["--data", str(synth_release), "--out", str(out)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", ["zoo", "train", *TRAIN, *where])
        assert run_cli(build_app) == 0
    yield out


@pytest.fixture
def pushed(trained_run: Path, hub_env: dict[str, str], zoo) -> Path:
    """The trained run, pushed (a no-op commit after the first time); an empty HF cache."""
    result = zoo("push", trained_run, "--repo", REPO_ID, "--commit-message", "tiny resnet18")
    assert result.code == 0, result.err
    return trained_run


@pytest.fixture(scope="module")
def module_hf_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hf-home")


@pytest.fixture
def warm_cache(pushed: Path, module_hf_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """As ``pushed``, with one HF cache for the module: the weights download once, not per test."""
    monkeypatch.setenv("HF_HOME", str(module_hf_home))
    return pushed


def val_images(release: Path, count: int) -> np.ndarray:
    """Images of the validation split the run was evaluated on."""
    from zoo_core.data import DataRequest
    from zoo_core.lazy import resolve
    from zoo_core.registry import get_registry

    splits = resolve(get_registry().datasets["hagrid"].opener)(DataRequest(release, image_size=32))
    return np.stack([splits.val[index][0] for index in range(count)])


def test_pull_is_byte_identical_to_what_was_pushed(
    pushed: Path, hub_env: dict[str, str], hub_server, zoo
) -> None:
    from zoo_core.hub import pull

    assert not (Path(hub_env["HF_HOME"]) / "hub").exists(), "the cache must start empty"
    pulled = zoo("pull", REPO_ID, "--json")
    assert pulled.code == 0, pulled.err
    summary = json.loads(pulled.out)
    snapshot = Path(summary["path"])
    assert sorted(path.name for path in snapshot.iterdir()) == sorted(HUB_FILES)
    for name in HUB_FILES:
        assert (snapshot / name).read_bytes() == hub_server.stored_file(REPO_ID, name), name
    for name in (WEIGHTS, CURVES, CONFUSION):
        assert (snapshot / name).read_bytes() == (pushed / name).read_bytes(), name
    config = json.loads((snapshot / CONFIG).read_text())
    local = json.loads((pushed / CONFIG).read_text())
    assert config["results"] == local["results"]
    assert config["label_names"] == local["label_names"]
    assert pull(REPO_ID).commit == summary["commit"]
    log = subprocess.run(
        ["git", "log", "-1", "--format=%H %s", "main"],
        cwd=hub_server.repo_dir(REPO_ID),
        capture_output=True,
        text=True,
        check=True,
    )
    assert log.stdout.split(" ", 1) == [summary["commit"], "tiny resnet18\n"]


def test_card_parses_back_with_the_runs_results(warm_cache: Path) -> None:
    from huggingface_hub import ModelCard

    from zoo_core.hub import pull

    card = ModelCard.load(pull(REPO_ID).path / "README.md")
    results = json.loads((warm_cache / CONFIG).read_text())["results"]
    assert card.data.library_name == "zoo"
    assert card.data.model_name == REPO_ID
    scores = {result.metric_type: result.metric_value for result in card.data.eval_results}
    expected = {m: round(results[m], 4) for m in ("f1", "precision", "recall", "accuracy")}
    assert scores == expected
    assert all(result.dataset_split == "val" for result in card.data.eval_results)
    assert f"| {results['f1']:.4f} |" in card.text


@pytest.mark.parametrize("framework", ["torch", "mindspore"])
def test_predictions_through_the_hub_equal_the_local_run(
    warm_cache: Path, synth_release: Path, framework: str
) -> None:
    from zoo_core import checkpoint, create_model
    from zoo_core.evaluation import predict_arrays

    reason = backend_missing(framework)
    if reason:
        pytest.skip(reason)
    images = val_images(synth_release, 8)
    local = predict_arrays(checkpoint.load(str(warm_cache), "torch"), images)
    from_hub = checkpoint.load(f"hf-hub:{REPO_ID}", framework)
    logits = predict_arrays(from_hub, images)
    assert from_hub.path.parent.name == "snapshots"
    assert type(create_model(f"hf-hub:{REPO_ID}", framework=framework)) is type(from_hub.model)
    if framework == "torch":
        np.testing.assert_array_equal(logits, local)
    else:
        np.testing.assert_allclose(logits, local, rtol=1e-3, atol=1e-3)
        assert (logits.argmax(axis=1) == local.argmax(axis=1)).all()


def test_cli_predict_and_eval_from_the_hub(
    warm_cache: Path, synth_release: Path, tmp_path: Path, zoo
) -> None:
    from PIL import Image

    image = tmp_path / "hand.png"
    Image.fromarray(val_images(synth_release, 1)[0]).save(image)
    local = zoo("predict", warm_cache, image, "--json")
    from_hub = zoo("predict", f"hf-hub:{REPO_ID}", image, "--json")
    assert local.code == from_hub.code == 0, from_hub.err
    local_top, hub_top = json.loads(local.out)[0]["top_k"], json.loads(from_hub.out)[0]["top_k"]
    assert [p["label"] for p in hub_top] == [p["label"] for p in local_top]
    assert [p["probability"] for p in hub_top] == pytest.approx(
        [p["probability"] for p in local_top], abs=1e-6
    )

    data = ("--data", str(synth_release), "--json")
    evaluated = zoo("eval", f"hf-hub:{REPO_ID}", *data)
    assert evaluated.code == 0, evaluated.err
    metrics = json.loads(evaluated.out)
    local_metrics = json.loads(zoo("eval", warm_cache, *data).out)
    assert metrics["samples"] == local_metrics["samples"] > 0
    assert metrics["f1"] == pytest.approx(local_metrics["f1"])
    assert metrics["confusion_matrix"] == local_metrics["confusion_matrix"]
