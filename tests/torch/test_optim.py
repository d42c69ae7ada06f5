"""The torch optimizers and schedules: the core's rates are torch's own schedulers' rates, the
optimizer takes what the filter lets through, and ``zoo train`` applies the rates step by step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from zoo_torch import optim

from zoo_core.rundir import RunDir
from zoo_core.schedules import OptimizerSettings, learning_rates

from .conftest import TINY, run_zoo


def torch_rates(optimizer: torch.optim.Optimizer, scheduler, steps: int) -> list[float]:
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


def sgd(lr: float) -> torch.optim.Optimizer:
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)


def test_warmup_is_torch_linear_lr() -> None:
    opt = sgd(0.005)
    scheduler = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.001, total_iters=7)
    expected = torch_rates(opt, scheduler, 12)
    assert learning_rates("constant", 0.005, 12, 7, 0.001) == pytest.approx(expected, rel=1e-12)


def test_cosine_is_torch_cosine_annealing() -> None:
    opt = sgd(0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)
    assert learning_rates("cosine", 0.1, 30) == pytest.approx(torch_rates(opt, scheduler, 30))


def test_onecycle_is_torch_one_cycle_lr() -> None:
    opt = sgd(0.1)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=40)
    expected = torch_rates(opt, scheduler, 40)
    assert learning_rates("onecycle", 0.1, 40) == pytest.approx(expected, rel=1e-9)


def test_the_filter_picks_the_parameters_the_optimizer_updates() -> None:
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Linear(3, 2))
    settings = OptimizerSettings("sgd", 0.1, 0.9, 5e-4)
    head_only = optim.build(settings, model.named_parameters(), lambda name, _: name[0] == "1")
    assert [p.shape for p in head_only.param_groups[0]["params"]] == [(2, 3), (2,)]
    model[0].weight.requires_grad_(False)
    assert len(optim.build(settings, model.named_parameters()).param_groups[0]["params"]) == 3


def test_zoo_train_sets_the_schedule_step_by_step(synth_release: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ("--optimizer", "sgd", "--momentum", "0.9", "--weight-decay", "5e-4")
    args += ("--schedule", "cosine", "--warmup-steps", "3", "--lr", "0.01")
    run_zoo("train", "resnet18", "--epochs", "2", "--per-class", "2", *TINY, *args,
            "--data", str(synth_release), "--out", str(out))  # fmt: skip
    training = RunDir(out).read_config()["training"]
    assert (training["optimizer"], training["schedule"], training["warmup_steps"]) == (
        "sgd", "cosine", 3,
    )  # fmt: skip
    rows = RunDir(out).read_metrics()
    rates = [rate for row in rows for rate in row["learning_rates"]]
    per_epoch = len(rows[0]["learning_rates"])
    assert per_epoch > 1 and len(rates) == 2 * per_epoch
    assert rates == pytest.approx(learning_rates("cosine", 0.01, len(rates), 3, 0.001), rel=1e-12)
    json.dumps(rows)  # the rates are plain JSON numbers


def test_resuming_with_another_optimizer_is_refused(synth_release: Path, tmp_path: Path) -> None:
    import subprocess

    from .conftest import zoo_command, zoo_env

    out = tmp_path / "run"
    base = ("train", "resnet18", "--epochs", "1", "--per-class", "2", *TINY,
            "--data", str(synth_release), "--out", str(out))  # fmt: skip
    run_zoo(*base)
    done = subprocess.run(
        zoo_command(*base, "--resume", "--optimizer", "sgd"), env=zoo_env(),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().endswith("cannot resume, optimizer was 'adam', now 'sgd'")
