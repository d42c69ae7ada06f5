"""The framework-neutral data contract between dataset plugins and framework plugins.

A dataset plugin turns a :class:`DataRequest` into :class:`DataSplits`; each split is a plain
sequence of ``(image, label)`` pairs where ``image`` is a ``uint8`` array of shape
``(image_size, image_size, 3)`` (RGB, HWC) and ``label`` an ``int`` index into ``classes``.
Normalisation (mean/std) and layout changes are left to the framework plugins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

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


@dataclass(frozen=True)
class Recognition:
    """A dataset plugin's answer to "is this folder yours?" (``DatasetSpec.detect``).

    ``level`` is :data:`NOT_MINE` (``reason`` then says what the plugin looks for),
    :data:`LAYOUT` (the folder has the shape the plugin reads, e.g. one folder of images per
    class) or :data:`OWN_FILES` (the plugin's own files are there: annotations, a marker). The
    highest level wins; two datasets at the same highest level make the folder ambiguous.
    """

    level: int
    reason: str

    NOT_MINE: ClassVar[int] = 0
    LAYOUT: ClassVar[int] = 1
    OWN_FILES: ClassVar[int] = 2

    @property
    def matches(self) -> bool:
        return self.level > self.NOT_MINE

    @classmethod
    def no(cls, looks_for: str) -> Recognition:
        return cls(cls.NOT_MINE, looks_for)

    @classmethod
    def layout(cls, reason: str) -> Recognition:
        return cls(cls.LAYOUT, reason)

    @classmethod
    def own_files(cls, reason: str) -> Recognition:
        return cls(cls.OWN_FILES, reason)


@runtime_checkable
class VerifyReport(Protocol):
    """What a ``DatasetSpec.verify`` function returns to ``zoo data verify``."""

    problems: Sequence[object]
    """Every problem found; each printed as one line (``str(problem)``: file, then reason)."""

    @property
    def ok(self) -> bool: ...

    def summary(self) -> str:
        """One line: what was checked, and the verdict."""


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
