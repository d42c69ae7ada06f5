"""``zoo run`` end to end on the embedded synthetic data: a tiny sweep is SIGKILLed mid-way,
resumed, and finishes without re-running what was finished; the tables come out in the study's
shape. Real ``zoo train`` subprocesses, real torch training (1 epoch, 32 px, 2 images/class)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zoo_core.recipes import load_plan
from zoo_core.recipes.runner import Status, status

pytest.importorskip("torch")
pytest.importorskip("timm")

TINY = """\
[recipe]
name = "tiny"
description = "A tiny sweep for the tests."
seeds = 2

[dataset]
name = "hagrid-synth"
mode = "crop"
per_class = 2

[train]
epochs = 1
batch_size = 16
lr = 1e-3
image_size = 32
workers = 0

[[sweep]]
architecture = "se_resnet18"
head = [[], [512]]
framework = "torch"

[[table]]
kind = "models"

[[table]]
kind = "heads"
"""

ENV = {"OMP_NUM_THREADS": "2", "OMP_WAIT_POLICY": "PASSIVE"}


def zoo(*args: str) -> list[str]:
    return [sys.executable, "-m", "zoo_core", *args]


def run_zoo(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        zoo(*args), capture_output=True, text=True, timeout=timeout, env={**os.environ, **ENV}
    )


def trainers_of(out: Path) -> list[int]:
    """Live ``zoo train`` processes writing under ``out``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"train" in command and any(str(out).encode() in part for part in command):
            pids.append(int(entry.name))
    return pids


def fingerprint(run_dir: Path) -> dict[str, object]:
    return {
        name: (path.stat().st_mtime_ns, path.read_bytes())
        for name in ("model.safetensors", "metrics.jsonl", "config.json")
        if (path := run_dir / name).is_file()
    }


@pytest.fixture(scope="module")
def killed_and_resumed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Start the sweep, SIGKILL ``zoo run`` while the 2nd experiment trains, then resume."""
    root = tmp_path_factory.mktemp("recipe-run")
    recipe = root / "tiny.toml"
    recipe.write_text(TINY)
    out = root / "out"
    first = out / "runs" / "se_resnet18-linear-torch-seed0"
    second = out / "runs" / "se_resnet18-512-torch-seed0"
    sweep = subprocess.Popen(
        zoo("run", str(recipe), "--out", str(out)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **ENV},
    )
    deadline = time.monotonic() + 300
    while not (second / "config.json").is_file():
        assert sweep.poll() is None, "zoo run ended before it could be interrupted"
        assert time.monotonic() < deadline, "the second experiment never started"
        time.sleep(0.02)
    sweep.send_signal(signal.SIGKILL)
    sweep.wait()
    for _ in range(100):  # the trainer dies with its parent (PR_SET_PDEATHSIG)
        if not trainers_of(out):
            break
        time.sleep(0.05)
    orphans = trainers_of(out)
    plan = load_plan(out)
    states = {e.name: status(plan, e, plan.run_dir(out, e)) for e in plan.experiments}
    before = {"first": fingerprint(first), "second": fingerprint(second)}
    resumed = run_zoo("run", str(recipe), "--out", str(out))
    after_first = fingerprint(first)
    again = run_zoo("run", str(recipe), "--out", str(out))
    return {
        "out": out,
        "orphans": orphans,
        "states": states,
        "before": before,
        "resumed": resumed,
        "after_first": after_first,
        "again": again,
        "second_log": (out / "logs" / f"{second.name}.log").read_text(),
    }


def test_the_kill_left_one_experiment_finished_and_one_unfinished(killed_and_resumed) -> None:
    states = killed_and_resumed["states"]
    assert states["se_resnet18-linear-torch-seed0"] is Status.FINISHED
    assert states["se_resnet18-512-torch-seed0"] is Status.PARTIAL
    assert {states[name] for name in list(states)[2:]} == {Status.NEW}
    assert killed_and_resumed["orphans"] == [], "the trainer outlived the killed zoo run"


def test_resuming_finishes_the_sweep_without_retraining_finished_runs(killed_and_resumed) -> None:
    resumed = killed_and_resumed["resumed"]
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "[1/4] se_resnet18 + head linear · torch · seed 0: finished earlier, kept" in (
        resumed.stderr
    )
    assert "[2/4] se_resnet18 + head 512 · torch · seed 0: resuming" in resumed.stderr
    assert killed_and_resumed["after_first"] == killed_and_resumed["before"]["first"]
    commands = [line for line in killed_and_resumed["second_log"].splitlines() if line[:2] == "$ "]
    assert len(commands) == 2
    assert "--resume" not in commands[0] and commands[1].endswith("--resume")
    out = killed_and_resumed["out"]
    plan = load_plan(out)
    assert all(status(plan, e, plan.run_dir(out, e)) is Status.FINISHED for e in plan.experiments)


def test_a_finished_sweep_is_never_retrained(killed_and_resumed) -> None:
    again = killed_and_resumed["again"]
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stderr.count("finished earlier, kept") == 4
    assert "training" not in again.stderr.replace("finished earlier", "")
    assert again.stdout == killed_and_resumed["resumed"].stdout


def test_results_files_hold_the_tables_in_the_study_shape(killed_and_resumed) -> None:
    out = killed_and_resumed["out"]
    text = (out / "results.md").read_text()
    assert killed_and_resumed["resumed"].stdout.strip() == text.strip()
    assert text.startswith("# tiny: results\n")
    assert "> **Synthetic data.**" in text
    assert (
        "## Table 1. Models\n\n| Model | Framework | Precision | Recall | F1 | F1 95 % CI" in text
    )
    assert "## Table 2. MLP head depth\n\n| Hidden layers | F1 | Parameters (M) | F1 95" in text
    assert "| se_resnet18 | PyTorch | " in text and "| se_resnet18 + MLP [512] | PyTorch | " in text
    assert "| 0 [] | " in text and "| 1 [512] | " in text
    assert text.count("Seeds 0, 1: mean ± sample standard deviation.") == 2
    assert text.count("SYNTHETIC images generated by zoo, not HaGRID") == 2
    assert "2 images per class" in text and "32 px" in text and "1 epoch." in text

    results = json.loads((out / "results.json").read_text())
    assert results["runs_finished"] == results["runs_planned"] == 4
    by_name = {run["name"]: run for run in results["runs"]}
    config = json.loads((out / "runs" / "se_resnet18-512-torch-seed1" / "config.json").read_text())
    assert by_name["se_resnet18-512-torch-seed1"]["f1"] == config["results"]["f1"]
    low, high = by_name["se_resnet18-512-torch-seed1"]["f1_interval"]
    assert low <= config["results"]["f1"] <= high  # the bootstrap over the kept predictions
    (comparison,) = results["tables"][0]["comparisons"]
    assert comparison["seeds"] == 2 and comparison["verdict"] in text
    heads = next(t for t in results["tables"] if t["kind"] == "heads")
    assert [row[0] for row in heads["rows"]] == ["0 []", "1 [512]"]
    assert heads["rows"][1][2] == f"{config['parameters'] / 1e6:.3f}"
    assert (out / "results.csv").read_text().count("\n") == 1 + 2
    assert (out / "results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_zoo_results_prints_the_tables_again(killed_and_resumed) -> None:
    out = killed_and_resumed["out"]
    shown = run_zoo("results", str(out), timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == (out / "results.md").read_text()
    as_json = json.loads(run_zoo("results", str(out), "--json", timeout=120).stdout)
    assert as_json["runs_finished"] == 4


@pytest.mark.slow
@pytest.mark.mindspore
def test_the_quick_demo_recipe_makes_all_three_tables_in_both_frameworks(tmp_path: Path) -> None:
    """recipes/demo/quick.toml: six runs, MindSpore included (minutes: graph compilation)."""
    pytest.importorskip("mindspore")
    recipe = Path(__file__).resolve().parents[2] / "recipes" / "demo" / "quick.toml"
    result = run_zoo("run", str(recipe), "--out", str(tmp_path), timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    text = (tmp_path / "results.md").read_text()
    assert "| Model | Framework | Precision | Recall | F1 |" in text
    assert "| Hidden layers | F1 | Parameters (M) |" in text
    assert "| Metric | PyTorch | MindSpore | Δ (MindSpore − PyTorch) |" in text
    frameworks = json.loads((tmp_path / "results.json").read_text())["tables"][2]
    parameters = next(row for row in frameworks["rows"] if row[0] == "Parameters (M)")
    assert parameters[1] == parameters[2] == "11.275"
    assert ["Seeds", "1", "1", ""] in frameworks["rows"]
    mindspore = json.loads(
        (tmp_path / "runs" / "se_resnet18-linear-mindspore-seed0" / "config.json").read_text()
    )
    assert mindspore["framework"] == "mindspore" and mindspore["results"]["epoch"] == 0
