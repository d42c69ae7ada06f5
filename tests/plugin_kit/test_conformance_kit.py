"""The conformance kit passes a sound plugin and catches each planted fault, naming it; its
cases, weights and skips behave as documented."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from zoo_core.registry import FrameworkUnavailable, get_registry
from zoo_core.testing import Conformance, ConformanceError, NoTrainStep, synthetic_state
from zoo_core.testing.steps import train_step_for
from zoo_core.testing.suite import skip_unavailable

PROBE = Path(__file__).with_name("kit_probe.py")
PARITY = {"check_parity:torch", "check_parity:mindspore"}
EXPECTED_FAILURES = {
    "sound": set(),
    "manifest_lies": {"check_manifest:torch", "check_manifest:mindspore"},
    "mindspore_names_differ": {
        "check_manifest:mindspore",
        "check_same_weights",
    }
    | PARITY,
    "mindspore_pools_differently": PARITY,
    "torch_skips_bn2": {"check_training_step:torch"} | PARITY,
}


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    folder = tmp_path_factory.mktemp("probe")
    result = subprocess.run(
        [sys.executable, str(PROBE), str(folder)], capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.mark.parametrize("fault", sorted(EXPECTED_FAILURES))
def test_the_kit_fails_exactly_the_checks_a_fault_breaks(fault: str, verdicts: dict) -> None:
    said = verdicts[fault]
    assert len(said) == 11  # 4 checks × 2 frameworks, weights agreement, parity both ways
    errors = {check: text for check, text in said.items() if text.startswith("error")}
    assert not errors, f"checks crashed instead of failing: {errors}"
    failed = {check for check, text in said.items() if text.startswith("fail")}
    assert failed == EXPECTED_FAILURES[fault], {c: said[c] for c in failed}


def test_failures_name_the_case_and_the_fault(verdicts: dict) -> None:
    manifest = verdicts["manifest_lies"]["check_manifest:torch"]
    assert "probe_net-linear-torch" in manifest and "conv1.weight" in manifest
    parity = verdicts["mindspore_pools_differently"]["check_parity:torch"]
    assert "torch → mindspore" in parity and "tolerance 1e-04" in parity
    frozen = verdicts["torch_skips_bn2"]["check_training_step:torch"]
    assert "bn2.weight" in frozen and "unchanged" in frozen


def write_plugin(folder: Path, module: str, body: str) -> str:
    (folder / f"{module}.py").write_text(
        "from zoo_core import ArchitectureSpec, FrameworkSpec, HeadSpec, hookimpl\n\n" + body
    )
    return module


GHOST = """
@hookimpl
def zoo_frameworks():
    return [FrameworkSpec("ghost", "not installed", "zoo_ghost_backend:backend",
                          requires=("zoo_no_such_module",))]

@hookimpl
def zoo_heads():
    return [HeadSpec("ghost_head", "-", {"ghost": "x:y"}, "zoo_heads.shapes:mlp")]

@hookimpl
def zoo_architectures():
    return [ArchitectureSpec("ghost_net", "-", {"ghost": "x:y"}, num_features=8,
                             parameter_shapes="zoo_resnet.shapes:resnet18", label_names=("a", "b"))]
"""


def test_a_framework_that_is_not_installed_is_skipped(tmp_path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    kit = Conformance.for_plugin(write_plugin(tmp_path, "zoo_ghost_plugin", GHOST))
    kit.heads = ("ghost_head:",)
    (case,) = kit.cases()
    assert (case.architecture, case.framework, case.num_classes) == ("ghost_net", "ghost", 2)
    with pytest.raises(FrameworkUnavailable, match="zoo_no_such_module"):
        kit.check_forward(case)
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        skip_unavailable(kit.check_forward, case)
    assert kit.check_all(tmp_path)["skipped"] == [str(case)]


def test_a_plugin_without_architectures_is_an_error(tmp_path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    module = write_plugin(tmp_path, "zoo_headless_plugin", "x = 1\n")
    with pytest.raises(ConformanceError, match="provides no architectures"):
        Conformance.for_plugin(module)


def test_an_installed_plugin_is_found_through_its_entry_point() -> None:
    kit = Conformance.for_plugin("zoo_resnet")
    assert kit.architectures == ["resnet18", "se_resnet18"]
    assert kit.registry.architecture("resnet18").distribution == "zoo"
    assert sorted(info.name for info in kit.registry.plugins).count("resnet") == 1


def test_cases_cover_architectures_frameworks_heads_and_both_directions() -> None:
    kit = Conformance.for_plugin("zoo_resnet", heads=("", "512,256"))
    cases = kit.cases()
    assert len(cases) == 2 * 2 * 2  # architectures × frameworks × heads
    assert {str(c) for c in cases} >= {"se_resnet18-512,256-mindspore", "resnet18-linear-torch"}
    directions = {(s.framework, t.framework) for s, t in kit.directions()}
    assert directions == {("torch", "mindspore"), ("mindspore", "torch")}
    assert len(kit.directions()) == 2 * len(kit.pairs()) == len(cases)


def test_synthetic_weights_are_reproducible_and_use_every_entry() -> None:
    template = {
        "conv.weight": np.zeros((4, 3, 3, 3), np.float32),
        "bn.weight": np.zeros(4, np.float32),
        "bn.running_var": np.zeros(4, np.float32),
        "bn.num_batches_tracked": np.array(7, np.int64),
    }
    first = synthetic_state(template, 3)
    again = synthetic_state(dict(reversed(template.items())), 3)
    assert all(np.array_equal(first[name], again[name]) for name in template)
    assert all(first[n].shape == v.shape and first[n].dtype == v.dtype for n, v in template.items())
    assert (first["bn.running_var"] > 0).all() and first["bn.weight"].std() > 0
    assert first["bn.num_batches_tracked"] == 7
    assert not np.array_equal(first["conv.weight"], synthetic_state(template, 4)["conv.weight"])


def test_training_steps_come_from_the_framework_backend() -> None:
    class OwnStep:
        def train_step(self, model, inputs, labels, lr):
            return 2.0, 1.0

    assert train_step_for("anything", OwnStep())(None, None, None, 0.1) == (2.0, 1.0)
    torch_backend = get_registry().backend("torch")
    assert train_step_for("torch", torch_backend) == torch_backend.train_step
    with pytest.raises(NoTrainStep, match="ghost"):
        train_step_for("ghost", object())
