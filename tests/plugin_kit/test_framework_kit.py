"""The framework kit passes both built-in frameworks (each in a process of its own), and catches
a session that does not resume where it stopped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zoo_core.registry import get_registry
from zoo_core.testing import ConformanceError, FrameworkConformance

PROBE = Path(__file__).with_name("framework_probe.py")


@pytest.mark.parametrize("framework", ["torch", "mindspore"])
def test_the_built_in_frameworks_pass_the_kit(framework: str, tmp_path: Path) -> None:
    if not get_registry().framework_available(framework):
        pytest.skip(f"{framework} is not installed")
    # The kit opens many sessions in one process; MindSpore's compile cache is keyed by the first
    # one's settings and replays graphs by compile order, so it must stay off here.
    env = {**os.environ, "MS_COMPILER_CACHE_ENABLE": "0"}
    result = subprocess.run(
        [sys.executable, str(PROBE), framework, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["build_and_predict"] == [4, 3]
    before, after = report["train_step"]
    assert after < before
    assert report["weights_round_trip"] > 100 and report["resume"] > 100
    if framework != "torch":
        assert report["parity"] <= 1e-4


class ForgetfulSession:
    """A torch session whose restore loads the weights but drops the optimizer state."""

    def __init__(self, session) -> None:
        self.session = session

    def __getattr__(self, name: str):
        return getattr(self.session, name)

    def restore(self, weights, state) -> None:
        self.session.restore(weights, {})


def test_the_kit_catches_a_session_that_forgets_its_optimizer(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    kit = FrameworkConformance(get_registry(), "torch")
    opened = kit.session
    kit.session = lambda job, splits: ForgetfulSession(opened(job, splits))  # type: ignore[method-assign]
    with pytest.raises(ConformanceError, match="resuming after one epoch changed the"):
        kit.check_resume(tmp_path)


def test_an_inference_only_framework_cannot_train_in_the_kit(tmp_path: Path) -> None:
    if "onnxruntime" not in get_registry().frameworks:
        pytest.skip("no onnxruntime framework plugin")
    kit = FrameworkConformance(get_registry(), "onnxruntime")
    with pytest.raises(ConformanceError, match="names no session"):
        kit.check_resume(tmp_path)
