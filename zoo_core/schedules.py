"""Optimisers and learning-rate schedules, the same in every framework.

The core computes the learning rate of every optimizer step once (:func:`learning_rates`); each
framework plugin builds its own optimizer of the same name and sets that rate before each step.
The schedules follow torch's definitions: warm-up is ``LinearLR(start_factor, total_iters)``,
``cosine`` is ``CosineAnnealingLR`` (to 0) after the warm-up, ``onecycle`` is ``OneCycleLR``
with its defaults (30 % rise, ``div_factor`` 25, ``final_div_factor`` 1e4, cosine).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from zoo_core.errors import InvalidValue

OPTIMIZERS: tuple[str, ...] = ("adam", "sgd", "adamw")
SCHEDULES: tuple[str, ...] = ("constant", "cosine", "onecycle")
ADAM_BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8
ONECYCLE_PCT_START = 0.3
ONECYCLE_DIV_FACTOR = 25.0
ONECYCLE_FINAL_DIV_FACTOR = 1e4


class ScheduleError(InvalidValue):
    """Optimizer or schedule settings that do not fit together."""


@dataclass(frozen=True)
class OptimizerSettings:
    """What a framework needs to build the optimizer of a run."""

    name: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.9
    weight_decay: float = 0.0
    schedule: str = "constant"
    warmup_steps: int = 0
    warmup_factor: float = 0.001

    def check(self) -> None:
        if self.name not in OPTIMIZERS:
            raise ScheduleError(f"optimizer {self.name!r}: expected one of {', '.join(OPTIMIZERS)}")
        if self.schedule not in SCHEDULES:
            raise ScheduleError(
                f"schedule {self.schedule!r}: expected one of {', '.join(SCHEDULES)}"
            )
        if self.lr <= 0:
            raise ScheduleError(f"lr {self.lr:g}: must be positive")
        if not 0 <= self.momentum < 1:
            raise ScheduleError(f"momentum {self.momentum:g}: must be in [0, 1)")
        if self.weight_decay < 0:
            raise ScheduleError(f"weight decay {self.weight_decay:g}: must be at least 0")
        if self.warmup_steps < 0:
            raise ScheduleError(f"warm-up steps {self.warmup_steps}: must be at least 0")
        if not 0 < self.warmup_factor <= 1:
            raise ScheduleError(f"warm-up factor {self.warmup_factor:g}: must be in (0, 1]")
        if self.schedule == "onecycle" and self.warmup_steps:
            raise ScheduleError("the one-cycle schedule has its own warm-up; drop --warmup-steps")

    def rates(self, total_steps: int) -> list[float]:
        """The learning rate of each of ``total_steps`` optimizer steps."""
        self.check()
        return learning_rates(
            self.schedule, self.lr, total_steps, self.warmup_steps, self.warmup_factor
        )


def warmup_factor_at(step: int, warmup_steps: int, start_factor: float) -> float:
    """torch's ``LinearLR``: ``start_factor`` at step 0, linearly up to 1 at ``warmup_steps``."""
    if step >= warmup_steps:
        return 1.0
    return start_factor + (1.0 - start_factor) * step / warmup_steps


def cosine(start: float, end: float, fraction: float) -> float:
    return end + (start - end) / 2.0 * (math.cos(math.pi * fraction) + 1.0)


def onecycle_rate(step: int, total_steps: int, max_lr: float) -> float:
    """torch's ``OneCycleLR(max_lr, total_steps)`` with its defaults, at ``step``."""
    initial = max_lr / ONECYCLE_DIV_FACTOR
    final = initial / ONECYCLE_FINAL_DIV_FACTOR
    peak = float(ONECYCLE_PCT_START * total_steps) - 1
    last = float(total_steps - 1)
    if step <= peak:
        return cosine(initial, max_lr, step / peak if peak > 0 else 1.0)
    return cosine(max_lr, final, (step - peak) / (last - peak))


def learning_rates(
    schedule: str,
    base_lr: float,
    total_steps: int,
    warmup_steps: int = 0,
    warmup_factor: float = 0.001,
) -> list[float]:
    """The learning rate at every optimizer step ``0 .. total_steps - 1``."""
    if schedule not in SCHEDULES:
        raise ScheduleError(f"schedule {schedule!r}: expected one of {', '.join(SCHEDULES)}")
    if schedule == "onecycle":
        if total_steps < 2:
            raise ScheduleError(f"the one-cycle schedule needs 2 steps or more, got {total_steps}")
        return [onecycle_rate(step, total_steps, base_lr) for step in range(total_steps)]
    rates = []
    decay_steps = max(total_steps - warmup_steps, 1)
    for step in range(total_steps):
        rate = base_lr * warmup_factor_at(step, warmup_steps, warmup_factor)
        if schedule == "cosine" and step >= warmup_steps:
            rate = cosine(base_lr, 0.0, (step - warmup_steps) / decay_steps)
        rates.append(rate)
    return rates
