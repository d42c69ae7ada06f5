"""The checks every architecture must pass in every framework it claims."""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from zoo_core.lazy import resolve
from zoo_core.registry import FrameworkUnavailable, Registry
from zoo_core.rundir import RunDir, WeightsError
from zoo_core.testing.arrays import images, labels, normalized, synthetic_state
from zoo_core.testing.cases import (
    Case,
    ConformanceError,
    framework_pairs,
    plugin_cases,
    plugin_registry,
)
from zoo_core.testing.steps import train_step_for

Shapes = dict[str, tuple[int, ...]]


class Conformance:
    """Builds architectures and checks them against zoo's contracts.

    Models are built once per case and every check loads the weights it needs, so checks run in
    any order. :meth:`for_plugin` makes one for the architectures a plugin provides.
    """

    def __init__(
        self,
        registry: Registry,
        architectures: Sequence[str],
        heads: tuple[str, ...] = ("", "512,256"),
        image_size: int = 64,
        batch_size: int = 4,
        num_classes: int | None = None,
        tolerance: float = 1e-4,
        lr: float = 1e-3,
    ) -> None:
        if not architectures:
            raise ConformanceError("no architectures to check")
        self.registry = registry
        self.architectures = list(architectures)
        self.heads = heads
        self.image_size = image_size
        self.batch_size = batch_size
        self.num_classes = num_classes
        self.tolerance = tolerance
        self.lr = lr
        self.models: dict[Case, Any] = {}

    @classmethod
    def for_plugin(
        cls, plugin: str, architectures: Sequence[str] = (), **settings: Any
    ) -> Conformance:
        """``plugin`` is the module a ``zoo`` entry point names (``"zoo_cbam"``): found through its
        entry point when installed, registered from the module when not (yet). ``architectures``
        defaults to all the plugin provides."""
        registry, provided = plugin_registry(plugin)
        if not (architectures or provided):
            raise ConformanceError(f"plugin {plugin!r} provides no architectures")
        return cls(registry, list(architectures) or provided, **settings)

    def cases(self) -> list[Case]:
        return plugin_cases(self.registry, self.architectures, self.heads, self.num_classes)

    def directions(self) -> list[tuple[Case, Case]]:
        """(source, target) framework pairs, both ways round."""
        return framework_pairs(self.cases())

    def pairs(self) -> list[tuple[Case, Case]]:
        """Unordered framework pairs."""
        return [(a, b) for a, b in self.directions() if a.framework < b.framework]

    def backend(self, case: Case) -> Any:
        return self.registry.backend(case.framework)

    def model(self, case: Case) -> Any:
        if case not in self.models:
            try:
                self.models[case] = self.registry.build(
                    case.architecture, case.framework, case.head, case.num_classes
                )
            except FrameworkUnavailable:
                raise
            except Exception as error:
                raise ConformanceError(
                    f"{case}: building failed: {type(error).__name__}: {error}"
                ) from error
        return self.models[case]

    def manifest(self, case: Case) -> Shapes:
        """The canonical trainable parameters: the architecture's shapes, then the head's under
        the classifier's name."""
        arch = self.registry.architecture(case.architecture)
        head = self.registry.heads[case.head.kind]
        for spec, kind in ((arch, "architecture"), (head, "head")):
            if not spec.parameter_shapes:
                raise ConformanceError(f"{kind} {spec.name!r} declares no parameter_shapes")
        shapes = dict(resolve(arch.parameter_shapes)(**arch.options))
        head_shapes = resolve(head.parameter_shapes)(
            arch.num_features, case.num_classes, case.head.hidden
        )
        shapes.update({f"{arch.classifier}.{name}": tuple(s) for name, s in head_shapes.items()})
        return {name: tuple(shape) for name, shape in shapes.items()}

    def seed(self, *parts: object) -> int:
        return zlib.crc32("/".join(map(str, parts)).encode())

    def loaded(self, case: Case, seed: int) -> tuple[Any, dict[str, np.ndarray]]:
        """The case's model holding synthetic weights drawn from ``seed``, and those weights."""
        model, backend = self.model(case), self.backend(case)
        state = synthetic_state(backend.state_dict(model), seed)
        backend.load_state_dict(model, state)
        return model, {name: value.copy() for name, value in state.items()}

    def logits(self, case: Case, model: Any, seed: int) -> np.ndarray:
        arch = self.registry.architecture(case.architecture)
        batch = images(self.batch_size, self.image_size, seed)
        return np.asarray(self.backend(case).predict(model, batch, arch.mean, arch.std))

    def check_forward(self, case: Case) -> np.ndarray:
        """Builds; ``predict`` gives finite ``(N, num_classes)`` logits that depend on the input."""
        model, _ = self.loaded(case, self.seed("forward", case.architecture))
        logits = self.logits(case, model, seed=1)
        expected = (self.batch_size, case.num_classes)
        if logits.shape != expected:
            raise ConformanceError(f"{case}: predict gave shape {logits.shape}, not {expected}")
        if not np.isfinite(logits).all():
            raise ConformanceError(f"{case}: predict gave non-finite logits")
        if np.allclose(logits, logits[:1]):
            raise ConformanceError(f"{case}: the same logits for different images")
        return logits

    def check_manifest(self, case: Case) -> int:
        """The model's parameters are exactly the shape manifest's, under canonical names."""
        backend = self.backend(case)
        model = self.model(case)
        expected = self.manifest(case)
        state = backend.state_dict(model)
        missing = sorted(set(expected) - set(state))
        wrong = [
            f"{name} {tuple(state[name].shape)} (manifest {shape})"
            for name, shape in expected.items()
            if name in state and tuple(state[name].shape) != shape
        ]
        faults = [
            f"{len(names)} {what} {names[:5]}"
            for what, names in (("missing", missing), ("with another shape", wrong))
            if names
        ]
        if faults:
            raise ConformanceError(f"{case}: weights differ from the manifest: {'; '.join(faults)}")
        counted, declared = backend.parameter_count(model), sum(map(math.prod, expected.values()))
        if counted != declared:
            extra = sorted(set(state) - set(expected))
            raise ConformanceError(
                f"{case}: {counted:,} trainable parameters, the manifest declares {declared:,}; "
                f"weights outside the manifest: {extra[:8]}"
            )
        return counted

    def layout(self, case: Case) -> dict[str, tuple[tuple[int, ...], str]]:
        """Name → (shape, dtype) of every weight and buffer of the case's model."""
        state = self.backend(case).state_dict(self.model(case))
        return {name: (tuple(value.shape), value.dtype.str) for name, value in state.items()}

    def check_same_weights(self, first: Case, second: Case) -> None:
        """Both frameworks name, shape and type every weight and buffer alike."""
        a, b = (self.layout(case) for case in (first, second))
        if a != b:
            only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
            differ = [f"{n}: {a[n]} vs {b[n]}" for n in sorted(set(a) & set(b)) if a[n] != b[n]]
            raise ConformanceError(
                f"{first} vs {second.framework}: only in {first.framework} {only_a[:5]}, only in "
                f"{second.framework} {only_b[:5]}, differing shape/dtype {differ[:5]}"
            )
        counts = [self.backend(c).parameter_count(self.model(c)) for c in (first, second)]
        if counts[0] != counts[1]:
            raise ConformanceError(
                f"{first} vs {second.framework}: {counts[0]:,} vs {counts[1]:,} parameters"
            )

    def check_round_trip(self, case: Case, folder: Path) -> None:
        """Weights saved as a run directory's safetensors load back bit for bit; weights that
        do not fit the model are refused with :class:`WeightsError`."""
        backend, model = self.backend(case), self.model(case)
        state = synthetic_state(backend.state_dict(model), self.seed("round-trip", case))
        run = RunDir(folder)
        run.save_weights(state, {"case": str(case)})
        backend.load_state_dict(model, run.load_weights())
        back = backend.state_dict(model)
        if set(back) != set(state):
            raise ConformanceError(
                f"{case}: after loading, names differ: {sorted(set(back) ^ set(state))[:5]}"
            )
        changed = [
            name
            for name, value in state.items()
            if back[name].dtype != value.dtype or not np.array_equal(back[name], value)
        ]
        if changed:
            raise ConformanceError(f"{case}: a save/load round trip changed {changed[:5]}")
        name = min(set(self.manifest(case)) & set(state) or state)
        misfits = {
            f"without {name!r}": {k: v for k, v in state.items() if k != name},
            f"with {name!r} reshaped": {**state, name: np.zeros(state[name].size + 1, np.float32)},
            "with an unknown name": {**state, "zoo_conformance.unknown": np.zeros(1, np.float32)},
        }
        for what, misfit in misfits.items():
            try:
                backend.load_state_dict(model, misfit)
            except WeightsError:
                continue
            raise ConformanceError(f"{case}: load_state_dict accepted weights {what}")

    def check_parity(self, source: Case, target: Case) -> float:
        """Weights exported by ``source``'s framework give the same eval-mode logits in
        ``target``'s; returns the largest difference."""
        model, _ = self.loaded(source, self.seed("parity", source))
        exported = self.backend(source).state_dict(model)
        target_model = self.model(target)
        try:
            self.backend(target).load_state_dict(target_model, exported)
        except WeightsError as error:
            raise ConformanceError(
                f"{source} → {target.framework}: the exported weights do not load: {error}"
            ) from error
        expected = self.logits(source, model, seed=2)
        got = self.logits(target, target_model, seed=2)
        delta = float(np.abs(expected - got).max())
        if not delta <= self.tolerance:
            raise ConformanceError(
                f"{source} → {target.framework}: logits differ by up to {delta:.2e} "
                f"(tolerance {self.tolerance:.0e}; largest logit {np.abs(expected).max():.2f})"
            )
        return delta

    def check_training_step(self, case: Case) -> tuple[float, float]:
        """One Adam step on a tiny batch lowers its loss and moves every manifest parameter."""
        backend = self.backend(case)
        step = train_step_for(case.framework, backend)
        model, state = self.loaded(case, self.seed("train", case))
        arch = self.registry.architecture(case.architecture)
        batch = images(self.batch_size, self.image_size, seed=3)
        inputs = normalized(batch, arch.mean, arch.std)
        before, after = step(model, inputs, labels(self.batch_size, case.num_classes, 3), self.lr)
        if not (math.isfinite(before) and after < before):
            raise ConformanceError(f"{case}: one training step took the loss {before} → {after}")
        updated = backend.state_dict(model)
        frozen = [
            name
            for name in self.manifest(case)
            if name in updated and name in state and np.array_equal(updated[name], state[name])
        ]
        if frozen:
            raise ConformanceError(
                f"{case}: a training step left {len(frozen)} parameter(s) unchanged (unused in "
                f"the forward pass, or not trainable): {frozen[:5]}"
            )
        return before, after

    def check_all(self, folder: Path) -> dict[str, Any]:
        """Every check on every case whose framework is installed; returns what was measured."""
        report: dict[str, Any] = {"skipped": [], "parity": {}, "loss": {}}
        available = [c for c in self.cases() if self.registry.framework_available(c.framework)]
        report["skipped"] = [str(c) for c in self.cases() if c not in available]
        for case in available:
            self.check_forward(case)
            self.check_manifest(case)
            self.check_round_trip(case, folder / str(case))
            report["loss"][str(case)] = self.check_training_step(case)
        for first, second in self.pairs():
            if first in available and second in available:
                self.check_same_weights(first, second)
        for source, target in self.directions():
            if source in available and target in available:
                delta = self.check_parity(source, target)
                report["parity"][f"{source}->{target.framework}"] = delta
        return report
