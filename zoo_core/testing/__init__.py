"""zoo's conformance kits: the checks a plugin author runs to know an architecture (or, with
:class:`DatasetSuite` / :class:`DatasetConformance`, a dataset) is right.

For every architecture a plugin provides × every framework it claims × a few heads: it builds,
``predict`` gives logits of the right shape, the parameters are exactly the shape manifest
(``ArchitectureSpec.parameter_shapes``) under canonical names and the same in every framework,
weights survive a save/load through a run directory's safetensors, logits agree across
frameworks (both directions, eval mode) and one training step lowers the loss.

Use :class:`ConformanceSuite` in pytest, or :class:`Conformance` directly (without pytest).
"""

from typing import Any

from zoo_core.testing.arrays import images, normalized, synthetic_state
from zoo_core.testing.cases import Case, ConformanceError, plugin_registry
from zoo_core.testing.conformance import Conformance
from zoo_core.testing.datasets import DatasetConformance
from zoo_core.testing.frameworks import FrameworkConformance, NoiseSplit
from zoo_core.testing.steps import NoTrainStep, train_step_for


def __getattr__(name: str) -> Any:
    """The suites import pytest, so only when asked for."""
    if name == "ConformanceSuite":
        from zoo_core.testing.suite import ConformanceSuite

        return ConformanceSuite
    if name == "DatasetSuite":
        from zoo_core.testing.dataset_suite import DatasetSuite

        return DatasetSuite
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Case",
    "Conformance",
    "ConformanceError",
    "ConformanceSuite",
    "FrameworkConformance",
    "NoiseSplit",
    "DatasetConformance",
    "DatasetSuite",
    "NoTrainStep",
    "images",
    "normalized",
    "plugin_registry",
    "synthetic_state",
    "train_step_for",
]
