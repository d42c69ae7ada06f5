"""The dataset kit: the checks a dataset plugin's author runs to know its ``DataSplits`` keep
zoo's contract (``zoo_core.data``): classes, split lengths, ``uint8 (size, size, 3)`` images,
labels in range, the same samples for the same seed and epoch, ``BadSample`` for a bad sample,
a description, and detection of the plugin's own folders.

Use :class:`DatasetSuite` in pytest, or :class:`DatasetConformance` directly.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from zoo_core.data import BadSample, DataRequest, DataSplits, SampleSource
from zoo_core.datasets import resolve_mode
from zoo_core.lazy import resolve
from zoo_core.registry import Registry
from zoo_core.testing.cases import ConformanceError, plugin_registry

SPLITS = ("train", "val", "test")


def provided_datasets(plugin: str) -> list[str]:
    hook = getattr(importlib.import_module(plugin), "zoo_datasets", None)
    return [spec.name for spec in hook()] if hook else []


def spread(length: int, count: int) -> list[int]:
    """Up to ``count`` indices spread over ``range(length)``, first and last included."""
    if length <= count:
        return list(range(length))
    return sorted({round(i * (length - 1) / (count - 1)) for i in range(count)})


class DatasetConformance:
    """Opens one dataset through its spec's opener and checks what comes back."""

    def __init__(
        self,
        registry: Registry,
        dataset: str,
        root: Path | None = None,
        options: dict[str, Any] | None = None,
        image_size: int = 32,
        seed: int = 0,
        samples: int = 6,
    ) -> None:
        self.registry = registry
        self.spec = registry.datasets[dataset]
        self.root = root
        self.options = dict(options or {})
        self.image_size = image_size
        self.seed = seed
        self.samples = samples
        self._splits: DataSplits | None = None

    @classmethod
    def for_plugin(cls, plugin: str, dataset: str = "", **settings: Any) -> DatasetConformance:
        """``plugin`` is the module a ``zoo`` entry point names; ``dataset`` defaults to the first
        dataset it provides."""
        registry, _ = plugin_registry(plugin)
        provided = provided_datasets(plugin)
        if not (dataset or provided):
            raise ConformanceError(f"plugin {plugin!r} provides no datasets")
        return cls(registry, dataset or provided[0], **settings)

    def request(self, seed: int | None = None, root: Path | None = None) -> DataRequest:
        return DataRequest(
            root=root or self.root,
            mode=resolve_mode(self.spec, None),
            image_size=self.image_size,
            seed=self.seed if seed is None else seed,
            options=dict(self.options),
        )

    def open(self, seed: int | None = None, root: Path | None = None) -> DataSplits:
        splits = resolve(self.spec.opener)(self.request(seed, root))
        if not isinstance(splits, DataSplits):
            raise ConformanceError(f"{self.spec.name}: the opener returned {type(splits).__name__}")
        return splits

    @property
    def splits(self) -> DataSplits:
        if self._splits is None:
            self._splits = self.open()
        return self._splits

    def sources(self, splits: DataSplits | None = None) -> Iterator[tuple[str, SampleSource]]:
        splits = splits or self.splits
        for name in SPLITS:
            source = getattr(splits, name)
            if source is not None:
                yield name, source

    def check_classes(self) -> tuple[str, ...]:
        """A tuple of distinct, non-empty names; ``num_classes`` is their count."""
        classes = self.splits.classes
        if not isinstance(classes, tuple) or not classes:
            raise ConformanceError(f"{self.spec.name}: classes must be a non-empty tuple")
        bad = [name for name in classes if not isinstance(name, str) or not name]
        if bad or len(set(classes)) != len(classes):
            raise ConformanceError(f"{self.spec.name}: class names empty or repeated: {classes}")
        if self.splits.num_classes != len(classes):
            raise ConformanceError(f"{self.spec.name}: num_classes is not len(classes)")
        return classes

    def check_lengths(self) -> dict[str, int]:
        """train and val hold samples, test is ``None`` or holds samples; every split is a
        ``SampleSource`` whose index past the end raises ``IndexError``."""
        lengths = {}
        for name, source in self.sources():
            if not isinstance(source, SampleSource):
                raise ConformanceError(
                    f"{self.spec.name}: {name} lacks __len__, __getitem__ or set_epoch"
                )
            lengths[name] = len(source)
            if lengths[name] <= 0:
                raise ConformanceError(f"{self.spec.name}: the {name} split is empty")
            try:
                source[lengths[name]]
            except IndexError:
                pass
            else:
                raise ConformanceError(f"{self.spec.name}: {name}[len] did not raise IndexError")
        return lengths

    def samples_of(self, name: str, source: SampleSource) -> Iterator[tuple[int, Any, Any]]:
        for index in spread(len(source), self.samples):
            image, label = source[index]
            yield index, image, label

    def check_images(self) -> int:
        """Each image is a ``uint8`` numpy array of shape ``(image_size, image_size, 3)``."""
        expected = (self.image_size, self.image_size, 3)
        checked = 0
        for name, source in self.sources():
            for index, image, _ in self.samples_of(name, source):
                if not isinstance(image, np.ndarray) or image.dtype != np.uint8:
                    kind = getattr(image, "dtype", type(image).__name__)
                    raise ConformanceError(
                        f"{self.spec.name}: {name}[{index}] is {kind}, not uint8"
                    )
                if image.shape != expected:
                    raise ConformanceError(
                        f"{self.spec.name}: {name}[{index}] has shape {image.shape}, not {expected}"
                    )
                checked += 1
        return checked

    def check_labels(self) -> int:
        """Each label is an ``int`` in ``[0, num_classes)``."""
        count = self.splits.num_classes
        checked = 0
        for name, source in self.sources():
            for index, _, label in self.samples_of(name, source):
                if isinstance(label, bool) or not isinstance(label, int | np.integer):
                    raise ConformanceError(f"{self.spec.name}: {name}[{index}] label {label!r}")
                if not 0 <= int(label) < count:
                    raise ConformanceError(
                        f"{self.spec.name}: {name}[{index}] label {label} not in [0, {count})"
                    )
                checked += 1
        return checked

    def check_deterministic(self) -> None:
        """Opened twice with one seed, every split gives the same samples at each epoch, and
        returning to an epoch gives its samples again."""
        again = self.open()
        for (name, first), (_, second) in zip(self.sources(), self.sources(again), strict=True):
            if len(first) != len(second):
                raise ConformanceError(f"{self.spec.name}: {name} length differs between opens")
            for epoch in (0, 1, 0):
                first.set_epoch(epoch)
                second.set_epoch(epoch)
                for index in spread(len(first), self.samples):
                    (a, label_a), (b, label_b) = first[index], second[index]
                    if label_a != label_b or not np.array_equal(a, b):
                        raise ConformanceError(
                            f"{self.spec.name}: {name}[{index}] at epoch {epoch} differs "
                            "between two opens with the same seed"
                        )
            first.set_epoch(0)

    def check_description(self) -> dict[str, Any]:
        """A dict with a one-line ``summary``; ``synthetic`` (if given) a bool; ``samples``
        (if given) split → count."""
        description = self.splits.description
        if not isinstance(description, dict):
            raise ConformanceError(f"{self.spec.name}: description must be a dict")
        summary = description.get("summary")
        if not isinstance(summary, str) or not summary or "\n" in summary:
            raise ConformanceError(f"{self.spec.name}: description needs a one-line 'summary'")
        if not isinstance(description.get("synthetic", False), bool):
            raise ConformanceError(f"{self.spec.name}: description 'synthetic' must be a bool")
        samples = description.get("samples", {})
        if not isinstance(samples, dict) or not all(isinstance(n, int) for n in samples.values()):
            raise ConformanceError(f"{self.spec.name}: description 'samples' maps split to count")
        return description

    def check_bad_sample(self, root: Path) -> list[str]:
        """The dataset at ``root`` holds a bad sample: reading every sample raises
        :class:`BadSample` (naming the file and the reason) for it, and nothing else."""
        bad = []
        for name, source in self.sources(self.open(root=root)):
            for index in range(len(source)):
                try:
                    source[index]
                except BadSample as error:
                    if not (error.path and error.reason):
                        raise ConformanceError(
                            f"{self.spec.name}: BadSample without path/reason"
                        ) from error
                    bad.append(str(error))
                except Exception as error:
                    raise ConformanceError(
                        f"{self.spec.name}: {name}[{index}] raised {type(error).__name__}: "
                        f"{error}, not BadSample"
                    ) from error
        if not bad:
            raise ConformanceError(f"{self.spec.name}: no sample at {root} raised BadSample")
        return bad

    def check_detected(self) -> str:
        """``zoo train --data ROOT`` reads the kit's folder as this dataset (when the spec has a
        ``detect`` function); returns the reason it gave."""
        if self.root is None or not self.spec.detect:
            raise ConformanceError(f"{self.spec.name}: no folder or no detect function to check")
        from zoo_core.datasets import detect

        name, recognition = detect(self.registry, self.root)
        if name != self.spec.name:
            raise ConformanceError(f"{self.root} is detected as {name!r}, not {self.spec.name!r}")
        return recognition.reason
