"""The dataset tutorial of docs/plugins.md, its ``bash dataset`` block run line by line in an
empty folder of a fresh venv: scaffold, the kit's tests, install, list, example data, verify,
train on it by path (detected), evaluate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from plugin_kit_support import Venv, blocks_tagged


@pytest.fixture(scope="module")
def tutorial(venv: Venv, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    (block,) = blocks_tagged("bash", "dataset")
    folder = tmp_path_factory.mktemp("dataset-tutorial")
    outputs, cwd = {}, folder
    for line in block.lines():
        if line.startswith("cd "):
            cwd = cwd / line[3:].strip()
            continue
        done = venv.run(line, cwd=cwd)
        outputs[line] = done.stdout
    yield cwd, outputs
    venv.run("pip uninstall -y zoo-mydata", cwd=folder)


def output_of(outputs: dict[str, str], start: str) -> str:
    return next(text for line, text in outputs.items() if line.startswith(start))


def test_the_generated_tests_pass(tutorial) -> None:
    _, outputs = tutorial
    result = output_of(outputs, "pytest")
    passed = re.search(r"(\d+) passed", result)
    assert passed and int(passed[1]) == 8, result[-2000:]
    assert not re.search(r"\d+ (failed|skipped|error)", result), result[-2000:]


def test_zoo_list_shows_the_dataset(tutorial) -> None:
    _, outputs = tutorial
    row = next(line for line in outputs["zoo list"].splitlines() if " mydata " in line)
    assert "zoo-mydata" in row


def test_verify_and_training_find_the_dataset_by_its_folder(tutorial) -> None:
    folder, outputs = tutorial
    assert output_of(outputs, "zoo data verify").strip().endswith("mydata, 15 images: OK")
    config = json.loads((folder / "runs" / "mydata" / "config.json").read_text())
    assert config["training"]["dataset"] == "mydata"
    assert config["label_names"] == ["circle", "square", "triangle"]
    assert config["dataset"]["samples"] == {"train": 9, "val": 3, "test": 3}
    assert "F1 (macro)" in output_of(outputs, "zoo eval")
