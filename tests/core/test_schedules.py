"""The learning-rate schedules the core computes for every framework."""

from __future__ import annotations

import pytest

from zoo_core.errors import InvalidValue
from zoo_core.schedules import OptimizerSettings, learning_rates


def test_constant_is_the_base_rate_at_every_step() -> None:
    assert learning_rates("constant", 0.01, 5) == [0.01] * 5


def test_warmup_rises_linearly_from_the_start_factor_to_the_base_rate() -> None:
    rates = learning_rates("constant", 0.005, 8, warmup_steps=4, warmup_factor=0.001)
    assert rates[0] == pytest.approx(0.005 * 0.001)
    steps = [b - a for a, b in zip(rates[:4], rates[1:5], strict=True)]
    assert steps == pytest.approx([steps[0]] * 4)
    assert rates[4:] == [0.005] * 4


def test_cosine_decays_from_the_base_rate_after_the_warmup() -> None:
    rates = learning_rates("cosine", 0.1, 12, warmup_steps=2)
    assert rates[2] == pytest.approx(0.1)
    assert all(a > b for a, b in zip(rates[2:], rates[3:], strict=False))
    assert 0 < rates[-1] < 0.01


def test_onecycle_rises_to_the_base_rate_then_falls_far_below_its_start() -> None:
    rates = learning_rates("onecycle", 0.1, 20)
    peak = rates.index(max(rates))
    assert max(rates) == pytest.approx(0.1)
    assert rates[0] == pytest.approx(0.1 / 25)
    assert 0 < peak < 19
    assert rates[-1] < rates[0] / 1000


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        (OptimizerSettings(name="rmsprop"), "optimizer 'rmsprop'"),
        (OptimizerSettings(schedule="step"), "schedule 'step'"),
        (OptimizerSettings(momentum=1.0), "momentum"),
        (OptimizerSettings(weight_decay=-1), "weight decay"),
        (OptimizerSettings(schedule="onecycle", warmup_steps=5), "its own warm-up"),
        (OptimizerSettings(warmup_factor=0), "warm-up factor"),
    ],
)
def test_settings_out_of_their_domain_are_refused(settings: OptimizerSettings, problem: str):
    with pytest.raises(InvalidValue, match=problem):
        settings.rates(10)
