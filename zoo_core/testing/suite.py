"""``ConformanceSuite``: the kit's checks as pytest tests, one per case and check.

A plugin's tests subclass it and name the plugin module::

    from zoo_core.testing import ConformanceSuite

    class TestConformance(ConformanceSuite):
        plugin = "zoo_cbam"
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import pytest

from zoo_core.registry import FrameworkUnavailable
from zoo_core.testing.cases import Case
from zoo_core.testing.conformance import Conformance
from zoo_core.testing.steps import NoTrainStep

T = TypeVar("T")
KITS: dict[type, Conformance] = {}


def skip_unavailable(check: Callable[..., T], *args: Any) -> T:
    """Run ``check``; a framework that is not installed, or that the kit cannot train, skips."""
    try:
        return check(*args)
    except (FrameworkUnavailable, NoTrainStep) as reason:
        pytest.skip(str(reason))


def direction_id(pair: tuple[Case, Case]) -> str:
    return f"{pair[0]}->{pair[1].framework}"


class ConformanceSuite:
    """Subclass as ``Test…`` and set ``plugin``; the other attributes have working defaults."""

    plugin: ClassVar[str] = ""
    architectures: ClassVar[tuple[str, ...]] = ()
    heads: ClassVar[tuple[str, ...]] = ("", "512,256")
    image_size: ClassVar[int] = 64
    batch_size: ClassVar[int] = 4
    num_classes: ClassVar[int | None] = None
    tolerance: ClassVar[float] = 1e-4

    @classmethod
    def conformance(cls) -> Conformance:
        if cls not in KITS:
            if not cls.plugin:
                raise TypeError(f"{cls.__name__}: set plugin = 'your_plugin_module'")
            KITS[cls] = Conformance.for_plugin(
                cls.plugin,
                architectures=cls.architectures,
                heads=cls.heads,
                image_size=cls.image_size,
                batch_size=cls.batch_size,
                num_classes=cls.num_classes,
                tolerance=cls.tolerance,
            )
        return KITS[cls]

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        kit = self.conformance()
        if "case" in metafunc.fixturenames:
            metafunc.parametrize("case", kit.cases(), ids=str)
        if "pair" in metafunc.fixturenames:
            metafunc.parametrize("pair", kit.pairs(), ids=direction_id)
        if "direction" in metafunc.fixturenames:
            metafunc.parametrize("direction", kit.directions(), ids=direction_id)

    def test_builds_and_predicts(self, case: Case) -> None:
        skip_unavailable(self.conformance().check_forward, case)

    def test_parameters_match_manifest(self, case: Case) -> None:
        skip_unavailable(self.conformance().check_manifest, case)

    def test_weights_round_trip(self, case: Case, tmp_path: Path) -> None:
        skip_unavailable(self.conformance().check_round_trip, case, tmp_path)

    def test_training_step_lowers_loss(self, case: Case) -> None:
        skip_unavailable(self.conformance().check_training_step, case)

    def test_frameworks_agree_on_weights(self, pair: tuple[Case, Case]) -> None:
        skip_unavailable(self.conformance().check_same_weights, *pair)

    def test_logits_parity(self, direction: tuple[Case, Case]) -> None:
        skip_unavailable(self.conformance().check_parity, *direction)
