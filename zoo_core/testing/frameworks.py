"""The framework kit: what a framework plugin checks to know its backend and session keep zoo's
contracts, on a few noise images held in memory (no files, no dataset plugin).

For one architecture (``resnet18`` by default): the model builds and ``predict`` gives finite
``(N, classes)`` logits; the backend's ``train_step`` lowers the loss; weights cross a run
directory's safetensors under the canonical names of the shape manifest and load back bit for
bit; a session trained two epochs ends with the same weights and training state as one trained
one epoch whose state was restored into a new session for the second; and with the same weights
the framework's logits are torch's (the reference framework).

Use :class:`FrameworkConformance` directly, or :class:`zoo_core.testing.FrameworkSuite` in pytest.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from zoo_core.data import DataSplits
from zoo_core.framework import TrainJob
from zoo_core.lazy import resolve
from zoo_core.registry import FrameworkUnavailable, Registry
from zoo_core.rundir import RunDir
from zoo_core.specs import HeadConfig
from zoo_core.testing.arrays import images, labels, normalized, synthetic_state
from zoo_core.testing.cases import ConformanceError
from zoo_core.testing.steps import train_step_for
from zoo_core.training import SessionContext, model_builder

REFERENCE = "torch"


class NoiseSplit:
    """``count`` noise images with labels, as a dataset plugin's split (``set_epoch`` included)."""

    def __init__(self, count: int, size: int, num_classes: int, seed: int) -> None:
        self.images = images(count, size, seed)
        self.labels = labels(count, num_classes, seed)

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[np.ndarray, int]:
        return self.images[index], int(self.labels[index])

    def set_epoch(self, epoch: int) -> None:
        pass


class FrameworkConformance:
    """The checks for the framework ``framework`` of ``registry`` (its spec names a session)."""

    def __init__(
        self,
        registry: Registry,
        framework: str,
        architecture: str = "resnet18",
        image_size: int = 32,
        batch_size: int = 4,
        samples: int = 8,
        num_classes: int = 3,
        tolerance: float = 1e-4,
        lr: float = 1e-3,
    ) -> None:
        self.registry = registry
        self.framework = framework
        self.architecture = architecture
        self.image_size = image_size
        self.batch_size = batch_size
        self.samples = samples
        self.num_classes = num_classes
        self.tolerance = tolerance
        self.lr = lr
        self.spec = registry.frameworks[framework]
        self.arch = registry.architecture(architecture)

    def name(self, framework: str | None = None) -> str:
        return f"{self.architecture}-{framework or self.framework}"

    def backend(self, framework: str | None = None) -> Any:
        return self.registry.backend(framework or self.framework)

    def build(self, framework: str | None = None) -> Any:
        return self.registry.build(
            self.architecture, framework or self.framework, HeadConfig(), self.num_classes
        )

    def logits(self, model: Any, framework: str | None = None, seed: int = 1) -> np.ndarray:
        batch = images(self.batch_size, self.image_size, seed)
        predicted = self.backend(framework).predict(model, batch, self.arch.mean, self.arch.std)
        return np.asarray(predicted)

    def check_build_and_predict(self) -> tuple[int, int]:
        """The model builds and ``predict`` gives finite logits of shape ``(N, classes)``."""
        logits = self.logits(self.build())
        expected = (self.batch_size, self.num_classes)
        if logits.shape != expected or not np.isfinite(logits).all():
            raise ConformanceError(
                f"{self.name()}: predict gave {logits.shape} (finite: "
                f"{bool(np.isfinite(logits).all())}), not finite {expected}"
            )
        return logits.shape

    def check_train_step(self) -> tuple[float, float]:
        """The backend's ``train_step`` lowers the loss of its batch."""
        step = train_step_for(self.framework, self.backend())
        batch = images(self.batch_size, self.image_size, seed=3)
        inputs = normalized(batch, self.arch.mean, self.arch.std)
        target = labels(self.batch_size, self.num_classes, 3)
        before, after = step(self.build(), inputs, target, self.lr)
        if not (math.isfinite(before) and after < before):
            raise ConformanceError(
                f"{self.name()}: a training step took the loss {before} → {after}"
            )
        return before, after

    def check_weights_round_trip(self, folder: Path) -> int:
        """Every manifest name is in the weights with its shape; weights saved as a run
        directory's safetensors load back bit for bit."""
        backend, model = self.backend(), self.build()
        state = backend.state_dict(model)
        shapes = dict(resolve(self.arch.parameter_shapes)(**self.arch.options))
        wrong = [
            name
            for name, shape in shapes.items()
            if name not in state or tuple(state[name].shape) != tuple(shape)
        ]
        if wrong:
            raise ConformanceError(f"{self.name()}: not as the manifest names them: {wrong[:5]}")
        written = synthetic_state(state, seed=5)
        run = RunDir(folder)
        run.save_weights(written, {"kit": self.name()})
        backend.load_state_dict(model, run.load_weights())
        back = backend.state_dict(model)
        changed = [n for n, v in written.items() if not np.array_equal(back.get(n), v)]
        if changed or set(back) != set(written):
            raise ConformanceError(f"{self.name()}: a save/load round trip changed {changed[:5]}")
        return len(written)

    def job(self, folder: Path) -> TrainJob:
        options = {option.name: option.value for option in self.spec.options}
        return TrainJob(
            self.architecture,
            self.framework,
            epochs=2,
            batch_size=self.batch_size,
            lr=self.lr,
            image_size=self.image_size,
            seed=0,
            out=folder,
            device="cpu",
            workers=0,
            options=options,
        )

    def splits(self) -> DataSplits:
        classes = tuple(f"class{index}" for index in range(self.num_classes))
        train = NoiseSplit(self.samples, self.image_size, self.num_classes, seed=11)
        val = NoiseSplit(self.batch_size, self.image_size, self.num_classes, seed=12)
        return DataSplits(classes, train, val)

    def session(self, job: TrainJob, splits: DataSplits) -> Any:
        if not self.spec.trains:
            raise ConformanceError(
                f"framework {self.framework!r} names no session: it cannot train"
            )
        head = self.registry.heads[job.head.kind]
        modules = (self.arch.builders[self.framework], head.builders[self.framework])
        build = model_builder(self.registry, job, splits.num_classes)
        context = SessionContext(job, splits, self.arch, build, modules)
        return resolve(self.spec.session)(context)

    def trained(self, job: TrainJob, splits: DataSplits, epochs: range, start: Any = None) -> Any:
        """Weights and training state after ``epochs`` (from ``start``'s state when given)."""
        session = self.session(job, splits)
        try:
            if start is not None:
                session.restore(*start)
            for epoch in epochs:
                splits.train.set_epoch(epoch)
                session.train_epoch(epoch, lambda images, loss: None)
            return session.weights(), session.training_state()
        finally:
            session.close()

    def check_resume(self, folder: Path) -> int:
        """Two epochs in one session end exactly where one epoch, restored into a new session,
        then the second end: weights and training state, bit for bit."""
        job, splits = self.job(folder), self.splits()
        whole = self.trained(job, splits, range(2))
        first = self.trained(job, splits, range(1))
        resumed = self.trained(job, splits, range(1, 2), start=first)
        for what, a, b in (("weights", whole[0], resumed[0]), ("state", whole[1], resumed[1])):
            differ = sorted(n for n in a if n not in b or not np.array_equal(a[n], b[n]))
            if differ or set(a) != set(b):
                raise ConformanceError(
                    f"{self.name()}: resuming after one epoch changed the {what}: {differ[:5]}"
                )
        if all(np.array_equal(first[0][n], whole[0][n]) for n in whole[0]):
            raise ConformanceError(f"{self.name()}: the second epoch changed no weight")
        return len(whole[0]) + len(whole[1])

    def check_parity(self) -> float:
        """With the same weights, the framework's eval-mode logits are the reference's."""
        reference, model = self.build(REFERENCE), self.build()
        state = synthetic_state(self.backend(REFERENCE).state_dict(reference), seed=7)
        self.backend(REFERENCE).load_state_dict(reference, state)
        self.backend().load_state_dict(model, state)
        delta = float(
            np.abs(self.logits(reference, REFERENCE, 2) - self.logits(model, None, 2)).max()
        )
        if not delta <= self.tolerance:
            raise ConformanceError(
                f"{self.name()}: logits differ from {REFERENCE}'s by {delta:.2e} "
                f"(tolerance {self.tolerance:.0e})"
            )
        return delta

    def check_all(self, folder: Path) -> dict[str, Any]:
        """Every check; returns what each measured. Parity is left out for the reference itself
        or when the reference framework is not installed."""
        report: dict[str, Any] = {
            "build_and_predict": list(self.check_build_and_predict()),
            "train_step": list(self.check_train_step()),
            "weights_round_trip": self.check_weights_round_trip(folder / "weights"),
            "resume": self.check_resume(folder / "resume"),
        }
        if self.framework != REFERENCE:
            try:
                report["parity"] = self.check_parity()
            except FrameworkUnavailable as missing:
                report["parity"] = f"skipped: {missing}"
        return report
