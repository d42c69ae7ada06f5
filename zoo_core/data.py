"""The framework-neutral data contract between dataset plugins and framework plugins.

A dataset plugin turns a :class:`DataRequest` into :class:`DataSplits`; each split is a plain
sequence of ``(image, label)`` pairs where ``image`` is a ``uint8`` array of shape
``(image_size, image_size, 3)`` (RGB, HWC) and ``label`` an ``int`` index into ``classes``.
Normalisation (mean/std) and layout changes are left to the framework plugins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from zoo_core.errors import ZooError

if TYPE_CHECKING:
    import numpy as np


class BadSample(ZooError):
    """A sample that cannot be used (corrupt image, broken box…); names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class DataError(ZooError):
    """A dataset that cannot be opened at all (missing folder, malformed annotations…)."""


@runtime_checkable
class SampleSource(Protocol):
    """One split: indexable, sized, reseedable per epoch for deterministic augmentation."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> tuple[np.ndarray, int]: ...

    def set_epoch(self, epoch: int) -> None: ...


@dataclass(frozen=True)
class DataRequest:
    """What a trainer asks of a dataset plugin."""

    root: Path | None = None
    mode: str = "crop"
    image_size: int = 224
    seed: int = 0
    per_class: float | None = None
    val_fraction: float = 0.2
    no_gesture_prob: float = 0.3
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class DataSplits:
    """The splits a dataset plugin returns, with a description for tables and model cards."""

    classes: tuple[str, ...]
    train: SampleSource
    val: SampleSource
    test: SampleSource | None = None
    description: dict[str, Any] = field(default_factory=dict)

    @property
    def num_classes(self) -> int:
        return len(self.classes)
