"""From a recipe file to a plan: the validated recipe with the command line's overrides applied,
the dataset it reads, and its experiments in the order they run.

The plan is saved as ``plan.json`` in the output folder, so ``zoo results`` can rebuild the tables
without the recipe file or the dataset.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zoo_core.datasets import DatasetNotFound, existing_folder, resolve_mode
from zoo_core.recipes.defaults import with_defaults
from zoo_core.recipes.errors import RecipeError
from zoo_core.recipes.experiments import Experiment, sweep_models
from zoo_core.recipes.schema import Recipe
from zoo_core.recipes.typed import from_table, to_table
from zoo_core.recipes.validation import validate
from zoo_core.registry import Registry

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

PLAN = "plan.json"
RUNS = "runs"


@dataclass(frozen=True)
class Plan:
    """What ``zoo run`` runs and ``zoo results`` reports: the recipe with the overrides applied
    and its dataset folder resolved (absolute), where it came from, and whether its dataset is
    synthetic."""

    recipe: Recipe
    source: str
    synthetic: bool
    origins: dict[str, str] = field(default_factory=dict, compare=False)
    """Where each ``[dataset]`` and ``[train]`` value came from (not saved in plan.json)."""

    @property
    def dataset(self) -> str:
        return self.recipe.dataset.name

    @property
    def data(self) -> str | None:
        """The dataset folder ``zoo train --data`` gets, or None for a dataset without one."""
        return self.recipe.dataset.path or None

    @property
    def experiments(self) -> list[Experiment]:
        """Seed by seed, so that an interrupted sweep has whole tables for its first seeds."""
        models = sweep_models(self.recipe.sweep)
        return [
            Experiment(model, seed) for seed in self.recipe.recipe.seed_list for model in models
        ]

    def run_dir(self, out: Path, experiment: Experiment) -> Path:
        return out / RUNS / experiment.name

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "synthetic": self.synthetic, "recipe": to_table(self.recipe)}

    @classmethod
    def from_json(cls, data: dict[str, Any], file: str) -> Plan:
        try:
            recipe = from_table(Recipe, data["recipe"], "", file)
            return cls(recipe, data["source"], data["synthetic"])
        except (KeyError, TypeError) as error:
            raise RecipeError(f"{file}: not a zoo run plan ({error!r})") from None

    def save(self, out: Path) -> None:
        from zoo_core.rundir import atomic_write_json

        atomic_write_json(out / PLAN, self.to_json())


def read_recipe(path: Path) -> Recipe:
    """Parse and type-check a recipe file (no plugin checks yet)."""
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RecipeError(f"{file}: no such recipe file") from None
    except IsADirectoryError:
        raise RecipeError(f"{file}: a folder, not a recipe file") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RecipeError(f"{file}: malformed TOML: {error}") from None
    return from_table(Recipe, data, "", file)


def data_of(
    recipe: Recipe, data: str | None, dataset: str | None, registry: Registry
) -> tuple[str, Path | None]:
    """As for ``zoo train``, except that a folder no dataset plugin recognises is read as the
    recipe's own dataset (the recipe names it, as ``--dataset`` would)."""
    try:
        return registry.resolve_data(data, dataset)
    except DatasetNotFound:
        if dataset is not None or data is None:
            raise
        return recipe.dataset.name, existing_folder(data)


def with_data(
    recipe: Recipe,
    data: str | None,
    seeds: int | None,
    registry: Registry,
    dataset: str | None = None,
) -> Recipe:
    """The command line's overrides: ``--data`` (a folder or a dataset name, with ``--dataset``
    as for ``zoo train``; see :func:`data_of`) replaces ``[dataset]`` name and path,
    ``--seeds N`` runs seeds 0..N-1."""
    if seeds is not None:
        if seeds < 1:
            raise RecipeError(f"--seeds {seeds}: must be at least 1")
        recipe = dataclasses.replace(recipe, recipe=dataclasses.replace(recipe.recipe, seeds=seeds))
    if data is not None or dataset is not None:
        name, root = data_of(recipe, data, dataset, registry)
        folder = str(root.resolve()) if root else ""
        settings = recipe.dataset
        options = settings.options if name == settings.name else {}
        mode = settings.mode if name == settings.name else ""
        recipe = dataclasses.replace(
            recipe,
            dataset=dataclasses.replace(
                settings, name=name, path=folder, options=options, mode=mode
            ),
        )
    return recipe


def dataset_root(recipe: Recipe, path: Path, registry: Registry) -> str | None:
    """The dataset's folder (a path in the recipe is relative to the recipe's folder), checked:
    it exists, or the dataset needs none."""
    file, dataset = str(path), recipe.dataset
    if not dataset.path:
        if not registry.datasets[dataset.name].synthetic:
            raise RecipeError(
                f"{file}: [dataset] path is missing: dataset {dataset.name!r} reads real "
                'files; set path = "..." in the recipe or pass --data PATH'
            )
        return None
    root = (path.parent / Path(dataset.path).expanduser()).resolve()
    if not root.exists():
        raise RecipeError(
            f"{file}: [dataset] path = {dataset.path!r}: {root} does not exist; "
            "fix it or pass --data PATH"
        )
    return str(root)


def make_plan(
    path: Path,
    registry: Registry,
    data: str | None = None,
    seeds: int | None = None,
    dataset: str | None = None,
) -> Plan:
    """Read, override (``--data``, ``--dataset``, ``--seeds``) and validate a recipe into a
    :class:`Plan`; the dataset's folder is made absolute and its mode filled in."""
    recipe = with_data(read_recipe(path), data, seeds, registry, dataset)
    recipe, origins = with_defaults(recipe, registry)
    validate(recipe, str(path), registry)
    root = dataset_root(recipe, path, registry)
    spec = registry.datasets[recipe.dataset.name]
    mode = resolve_mode(spec, recipe.dataset.mode)
    if not recipe.dataset.mode:
        origins["dataset.mode"] = "dataset default"
    recipe = dataclasses.replace(
        recipe, dataset=dataclasses.replace(recipe.dataset, path=root or "", mode=mode)
    )
    return Plan(recipe, str(path), spec.synthetic, origins)


def load_plan(out: Path) -> Plan:
    """The plan ``zoo run`` saved in ``out``."""
    file = out / PLAN
    try:
        data = json.loads(file.read_text())
    except FileNotFoundError:
        raise RecipeError(f"{out}: no {PLAN} — not a folder written by 'zoo run'") from None
    except (NotADirectoryError, IsADirectoryError):
        raise RecipeError(f"{out}: not a folder written by 'zoo run'") from None
    except json.JSONDecodeError as error:
        raise RecipeError(f"{file}: malformed JSON ({error})") from None
    return Plan.from_json(data, str(file))
