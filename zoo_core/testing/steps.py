"""The kit's training step: a member of the framework's backend.

A step is ``backend.train_step(model, inputs, labels, lr) -> (loss before, loss after)``:
cross-entropy on ``inputs`` (``float32 (N, 3, H, W)``, normalised) and ``labels`` (``int64
(N,)``), one Adam update, then the loss on the same batch again, both in training mode (see
:class:`zoo_core.framework.TrainableBackend`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TrainStep = Callable[[Any, np.ndarray, np.ndarray, float], tuple[float, float]]


class NoTrainStep(LookupError):
    """A framework whose backend has no training step (an inference-only framework)."""


def train_step_for(framework: str, backend: Any) -> TrainStep:
    """The backend's ``train_step``."""
    own = getattr(backend, "train_step", None)
    if callable(own):
        return own
    raise NoTrainStep(
        f"no training step for framework {framework!r}: its backend has no "
        "train_step(model, inputs, labels, lr) -> (loss before, loss after)"
    )
