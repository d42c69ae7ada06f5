"""Models and experiments: what a recipe's sweeps make, and which of them a table shows."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from zoo_core.recipes.schema import DEFAULT_HEAD_KIND, Head, Sweep, TableSettings


@dataclass(frozen=True)
class Model:
    """An architecture with a head, in a framework: one row of a table, over its seeds."""

    architecture: str
    head: Head
    framework: str
    head_kind: str = DEFAULT_HEAD_KIND

    @property
    def head_option(self) -> str:
        """The ``zoo train --head`` value: ``"512,256"``, ``""`` (linear), ``"kind:512"``."""
        widths = ",".join(str(width) for width in self.head)
        return widths if self.head_kind == DEFAULT_HEAD_KIND else f"{self.head_kind}:{widths}"

    @property
    def label(self) -> str:
        """A run-directory name part: ``se_resnet18-512-256-torch``."""
        head = "-".join(str(width) for width in self.head) or "linear"
        if self.head_kind != DEFAULT_HEAD_KIND:
            head = f"{self.head_kind}-{head}"
        return f"{self.architecture}-{head}-{self.framework}"

    def matches(self, table: TableSettings) -> bool:
        """Whether the model passes a table's filters (an empty filter lets everything in)."""
        return (
            (not table.architecture or self.architecture in table.architecture)
            and (not table.head or self.head in table.head)
            and (not table.framework or self.framework in table.framework)
        )


@dataclass(frozen=True)
class Experiment:
    """One training run: a model with one seed."""

    model: Model
    seed: int

    @property
    def name(self) -> str:
        return f"{self.model.label}-seed{self.seed}"


def sweep_models(sweeps: tuple[Sweep, ...]) -> list[Model]:
    """Every model of the sweeps (the cartesian product of each), in order, each once."""
    models: dict[Model, None] = {}
    for sweep in sweeps:
        for arch, head, framework in itertools.product(
            sweep.architecture, sweep.head, sweep.framework
        ):
            models[Model(arch, head, framework, sweep.head_kind)] = None
    return list(models)
