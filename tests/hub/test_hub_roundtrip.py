"""Train a tiny real run, push it, pull it into an empty cache, and use it in both frameworks."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from zoo_core.rundir import CONFIG, CONFUSION, CURVES, WEIGHTS

REPO_ID = "roundtrip/resnet18-tiny"
HUB_FILES = ("README.md", CONFIG, CONFUSION, CURVES, WEIGHTS)
TRAIN = ["resnet18", "--framework", "torch", "--image-size", "32", "--epochs", "1"]
TRAIN += ["--per-class", "6", "--batch-size", "16", "--workers", "0"]

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
def trained_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``zoo train resnet18 --framework torch`` on a tiny hagrid-synth subset at 32 px."""
    import sys

    from zoo_core.cli import build_app
    from zoo_core.cli.errors import run_cli

    reason = backend_missing("torch")
    if reason:
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("trained") / "run"
    cache = os.environ.get("ZOO_TEST_CACHE_DIR") or tmp_path_factory.getbasetemp() / "zoo-cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZOO_CACHE_DIR", str(cache))
        patch.setattr(sys, "argv", ["zoo", "train", *TRAIN, "--out", str(out)])
        assert run_cli(build_app) == 0
    yield out


@pytest.fixture
def pushed(trained_run: Path, hub_env: dict[str, str], zoo) -> Path:
    result = zoo("push", trained_run, "--repo", REPO_ID, "--commit-message", "tiny resnet18")
    assert result.code == 0, result.err
    return trained_run


def val_images(count: int) -> np.ndarray:
    """Real images of the validation split the run was evaluated on."""
    from zoo_core.data import DataRequest
    from zoo_core.lazy import resolve
    from zoo_core.registry import get_registry

    opener = resolve(get_registry().datasets["hagrid-synth"].opener)
    splits = opener(DataRequest(image_size=32, per_class=6))
    return np.stack([splits.val[index][0] for index in range(count)])


def test_pull_is_byte_identical_to_what_was_pushed(pushed: Path, hub_server, zoo) -> None:
    from zoo_core.hub import pull

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


def test_card_parses_back_with_the_runs_results(pushed: Path, zoo) -> None:
    from huggingface_hub import ModelCard

    from zoo_core.hub import pull

    card = ModelCard.load(pull(REPO_ID).path / "README.md")
    results = json.loads((pushed / CONFIG).read_text())["results"]
    assert card.data.library_name == "zoo"
    assert card.data.model_name == REPO_ID
    scores = {result.metric_type: result.metric_value for result in card.data.eval_results}
    expected = {m: round(results[m], 4) for m in ("f1", "precision", "recall", "accuracy")}
    assert scores == expected
    assert all(result.dataset_split == "val" for result in card.data.eval_results)
    assert f"| {results['f1']:.4f} |" in card.text


@pytest.mark.parametrize("framework", ["torch", "mindspore"])
def test_predictions_through_the_hub_equal_the_local_run(pushed: Path, framework: str) -> None:
    from zoo_core import checkpoint, create_model
    from zoo_core.evaluation import predict_arrays

    reason = backend_missing(framework)
    if reason:
        pytest.skip(reason)
    images = val_images(8)
    local = predict_arrays(checkpoint.load(str(pushed), "torch"), images)
    from_hub = checkpoint.load(f"hf-hub:{REPO_ID}", framework)
    logits = predict_arrays(from_hub, images)
    assert from_hub.path.parent.name == "snapshots"
    assert type(create_model(f"hf-hub:{REPO_ID}", framework=framework)) is type(from_hub.model)
    if framework == "torch":
        np.testing.assert_array_equal(logits, local)
    else:
        np.testing.assert_allclose(logits, local, rtol=1e-3, atol=1e-3)
        assert (logits.argmax(axis=1) == local.argmax(axis=1)).all()


def test_cli_predict_and_eval_from_the_hub(pushed: Path, tmp_path: Path, zoo) -> None:
    from PIL import Image

    image = tmp_path / "hand.png"
    Image.fromarray(val_images(1)[0]).save(image)
    local = zoo("predict", pushed, image, "--json")
    from_hub = zoo("predict", f"hf-hub:{REPO_ID}", image, "--json")
    assert local.code == from_hub.code == 0, from_hub.err
    local_top, hub_top = json.loads(local.out)[0]["top_k"], json.loads(from_hub.out)[0]["top_k"]
    assert [p["label"] for p in hub_top] == [p["label"] for p in local_top]
    assert [p["probability"] for p in hub_top] == pytest.approx(
        [p["probability"] for p in local_top], abs=1e-6
    )

    evaluated = zoo("eval", f"hf-hub:{REPO_ID}", "--json")
    assert evaluated.code == 0, evaluated.err
    metrics = json.loads(evaluated.out)
    assert metrics["samples"] > 0
    assert metrics["f1"] == pytest.approx(json.loads(zoo("eval", pushed, "--json").out)["f1"])
