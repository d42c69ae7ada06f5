"""The training input pipeline: one rank's share of an epoch (``zoo_core.epochs``) through
``GeneratorDataset``. A bad sample is counted and replaced by the next good one of the rank's
share, which keeps every batch full (one graph shape, and the same number of steps on every
rank); in strict mode it stops training instead.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from zoo_core.data import BadSample, DataError, SampleSource


class EpochSamples:
    """A random-access source for ``GeneratorDataset``: ``(uint8 HWC image, int32 label)``.

    Called from the dataset's worker threads; bad samples and the first fatal error are kept for
    the training loop, which reports them (:meth:`raise_failure`) from the main thread.
    """

    def __init__(
        self, split: SampleSource, order: np.ndarray, image_size: int, strict: bool
    ) -> None:
        self.split = split
        self.order = order
        self.image_shape = (image_size, image_size, 3)
        self.strict = strict
        self.bad: dict[int, str] = {}
        self.failure: Exception | None = None
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, position: int) -> tuple[np.ndarray, np.ndarray]:
        for offset in range(len(self.order)):
            index = int(self.order[(position + offset) % len(self.order)])
            try:
                image, label = self.split[index]
            except BadSample as error:
                with self.lock:
                    self.bad.setdefault(index, str(error))
                    if self.strict and self.failure is None:
                        self.failure = error
                if self.strict:
                    return self.placeholder()
                continue
            return np.ascontiguousarray(image, dtype=np.uint8), np.array(label, dtype=np.int32)
        with self.lock:
            self.failure = self.failure or DataError("every sample of the training split is bad")
        return self.placeholder()

    def placeholder(self) -> tuple[np.ndarray, np.ndarray]:
        """What a failed read yields so the pipeline runs on until the loop raises the failure."""
        return np.zeros(self.image_shape, np.uint8), np.array(0, dtype=np.int32)

    def raise_failure(self) -> None:
        if self.failure is not None:
            raise self.failure


def dataset(samples: EpochSamples, batch_size: int, workers: int) -> Any:
    """Batches of ``samples`` as a MindSpore dataset (worker threads, no process fork)."""
    import mindspore.dataset as ds

    generator = ds.GeneratorDataset(
        samples,
        column_names=["image", "label"],
        shuffle=False,
        num_parallel_workers=max(1, workers),
        python_multiprocessing=False,
    )
    return generator.batch(batch_size, drop_remainder=True)
