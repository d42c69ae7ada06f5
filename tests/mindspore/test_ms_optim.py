"""The same optimizer and schedule in MindSpore as in torch: equal parameters after three
steps from equal weights and batches, and ``zoo train`` applying equal learning rates."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from zoo_core.rundir import RunDir

HERE = Path(__file__).resolve().parent


def load_probe():
    spec = importlib.util.spec_from_file_location("optim_probe", HERE / "optim_probe.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PROBE = load_probe()
TOLERANCE = {"sgd": 1e-7, "adamw": 1e-6, "adam": 1e-5}  # Adam: MindSpore's fused kernel's eps


def torch_steps(name: str) -> dict[str, np.ndarray]:
    import torch
    from zoo_torch import optim

    case, settings = PROBE.optim_case(), PROBE.CASES[name]
    layer = torch.nn.Linear(8, 4)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(case["weight"]))
        layer.bias.copy_(torch.from_numpy(case["bias"]))
    optimizer = optim.build(settings, layer.named_parameters())
    rates = settings.rates(PROBE.STEPS)
    for inputs, labels, rate in zip(case["inputs"], case["labels"], rates, strict=True):
        optim.set_rate(optimizer, rate)
        optimizer.zero_grad()
        logits = layer(torch.from_numpy(inputs))
        torch.nn.functional.cross_entropy(logits, torch.from_numpy(labels).long()).backward()
        optimizer.step()
    return {"weight": layer.weight.detach().numpy(), "bias": layer.bias.detach().numpy()}


@pytest.fixture(scope="module")
def mindspore_steps(ms: SimpleNamespace) -> dict:
    done = ms.succeeded(ms.run([sys.executable, str(HERE / "optim_probe.py")]))
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.usefixtures("torch_required")
@pytest.mark.parametrize("name", ["sgd", "adamw", "adam"])
def test_three_steps_end_where_torch_ends(mindspore_steps: dict, name: str) -> None:
    expected, start = torch_steps(name), PROBE.optim_case()
    for key in ("weight", "bias"):
        got = np.asarray(mindspore_steps[name][key], np.float32)
        assert np.abs(expected[key] - start[key]).max() > 0.01  # the steps moved the weights
        np.testing.assert_allclose(got, expected[key], rtol=0, atol=TOLERANCE[name])


def zoo_script() -> str:
    return str(Path(sys.executable).parent / "zoo")


@pytest.mark.usefixtures("torch_required")
def test_zoo_train_gives_both_frameworks_the_same_learning_rates(
    ms: SimpleNamespace, tiny_synth: Path, tmp_path: Path
) -> None:
    """72 training crops in batches of 7: ten full steps per epoch in both frameworks, the
    remainder of two left out by both."""
    settings = ("--optimizer", "sgd", "--momentum", "0.9", "--weight-decay", "5e-4")
    settings += ("--warmup-steps", "4", "--schedule", "cosine", "--lr", "0.01")
    rates = {}
    for framework in ("torch", "mindspore"):
        out = tmp_path / framework
        ms.succeeded(ms.run([
            zoo_script(), "train", "resnet18", "--framework", framework, *settings,
            "--data", str(tiny_synth), "--epochs", "1", "--image-size", "32",
            "--batch-size", "7", "--seed", "1", "--out", str(out),
        ]))  # fmt: skip
        (row,) = RunDir(out).read_metrics()
        rates[framework] = row["learning_rates"]
        assert RunDir(out).read_config()["training"]["optimizer"] == "sgd"
    assert len(rates["torch"]) == len(rates["mindspore"]) == 10
    np.testing.assert_allclose(rates["mindspore"], rates["torch"], rtol=1e-7, atol=0)
    assert rates["torch"][0] < rates["torch"][4] == 0.01 > rates["torch"][-1]
