"""Checking a recipe's values against the rules and the installed plugins, before anything runs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NoReturn

from zoo_core.recipes.errors import RecipeError
from zoo_core.recipes.experiments import sweep_models
from zoo_core.recipes.schema import ALL, REPORT_EPOCHS, TABLE_KINDS, Recipe, TrainSettings
from zoo_core.registry import Catalog, Registry, UnknownNameError
from zoo_core.schedules import OPTIMIZERS, SCHEDULES
from zoo_core.specs import FrameworkSpec

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class Checker:
    """Raises one :class:`RecipeError` naming the file, the section and the key."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, key: str, value: Any, problem: str) -> NoReturn:
        raise RecipeError(f"{self.file}: {where} {key} = {value!r}: {problem}")

    def choice(self, where: str, key: str, value: str, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        if value not in allowed:
            self.fail(where, key, value, f"expected one of {', '.join(allowed)}")

    def at_least(self, where: str, key: str, value: float, minimum: float) -> None:
        if value < minimum:
            self.fail(where, key, value, f"must be at least {minimum:g}")

    def known(self, where: str, key: str, name: str, catalog: Catalog) -> None:
        try:
            catalog[name]
        except UnknownNameError as error:
            raise RecipeError(f"{self.file}: {where} {key}: {error}") from None


def check_values(recipe: Recipe, check: Checker) -> None:
    """Ranges and choices that need no plugin."""
    about, dataset, train = recipe.recipe, recipe.dataset, recipe.train
    if not _NAME.match(about.name):
        check.fail("[recipe]", "name", about.name, "use letters, digits, '-', '_' or '.'")
    if isinstance(about.seeds, int):
        check.at_least("[recipe]", "seeds", about.seeds, 1)
    else:
        if not about.seeds or len(set(about.seeds)) != len(about.seeds):
            check.fail("[recipe]", "seeds", list(about.seeds), "expected distinct seeds")
        check.at_least("[recipe]", "seeds", min(about.seeds), 0)
    if isinstance(dataset.per_class, str):
        check.choice("[dataset]", "per_class", dataset.per_class, (ALL,))
    elif dataset.per_class <= 0:
        check.fail("[dataset]", "per_class", dataset.per_class, f"must be positive, or {ALL!r}")
    for key in ("epochs", "batch_size", "image_size"):
        check.at_least("[train]", key, getattr(train, key), 1)
    if train.lr <= 0:
        check.fail("[train]", "lr", train.lr, "must be positive")
    check_optimizer(train, check)
    if not 0 <= train.head_dropout < 1:
        check.fail("[train]", "head_dropout", train.head_dropout, "must be in [0, 1)")
    check.at_least("[train]", "workers", train.workers, -1)
    check.choice("[report]", "epoch", recipe.report.epoch, REPORT_EPOCHS)
    if not recipe.sweep:
        raise RecipeError(f"{check.file}: [[sweep]] is empty; add at least one sweep")
    for number, sweep in enumerate(recipe.sweep, 1):
        for key in ("architecture", "framework", "head"):
            if not getattr(sweep, key):
                check.fail(f"[[sweep]] #{number}", key, [], "expected at least one")
        for head in sweep.head:
            if any(width <= 0 for width in head):
                check.fail(f"[[sweep]] #{number}", "head", list(head), "widths must be positive")


def check_optimizer(train: TrainSettings, check: Checker) -> None:
    check.choice("[train]", "optimizer", train.optimizer, OPTIMIZERS)
    check.choice("[train]", "schedule", train.schedule, SCHEDULES)
    if not 0 <= train.momentum < 1:
        check.fail("[train]", "momentum", train.momentum, "must be in [0, 1)")
    check.at_least("[train]", "weight_decay", train.weight_decay, 0)
    check.at_least("[train]", "warmup_steps", train.warmup_steps, 0)
    if not 0 < train.warmup_factor <= 1:
        check.fail("[train]", "warmup_factor", train.warmup_factor, "must be in (0, 1]")
    if train.schedule == "onecycle" and train.warmup_steps:
        check.fail(
            "[train]", "warmup_steps", train.warmup_steps, "the onecycle schedule has its own"
        )


def check_plugins(recipe: Recipe, check: Checker, registry: Registry) -> None:
    """Every name exists, every framework is installed and implements every model."""
    dataset = recipe.dataset
    check.known("[dataset]", "name", dataset.name, registry.datasets)
    spec = registry.datasets[dataset.name]
    if dataset.mode:
        check.choice("[dataset]", "mode", dataset.mode, spec.modes)
    demo = spec.train_defaults
    if dataset.per_class == ALL and "per_class" in demo:
        check.fail(
            "[dataset]",
            "per_class",
            ALL,
            f"zoo train would use {dataset.name}'s demo default per_class = "
            f"{demo['per_class']} instead; give a number",
        )
    for number, sweep in enumerate(recipe.sweep, 1):
        where = f"[[sweep]] #{number}"
        check.known(where, "head_kind", sweep.head_kind, registry.heads)
        head_spec = registry.heads[sweep.head_kind]
        for name in sweep.architecture:
            check.known(where, "architecture", name, registry.architectures)
        for name in sweep.framework:
            check.known(where, "framework", name, registry.frameworks)
            if not registry.framework_available(name):
                requires = ", ".join(registry.frameworks[name].requires)
                check.fail(where, "framework", name, f"needs {requires}: pip install 'zoo[{name}]'")
            if name not in head_spec.builders:
                supported = ", ".join(head_spec.builders)
                check.fail(
                    where, "framework", name, f"head {head_spec.name!r} supports only {supported}"
                )
            check_framework_choices(recipe, check, where, registry.frameworks[name])
            for arch in sweep.architecture:
                supported = registry.architectures[arch].builders
                if name not in supported:
                    check.fail(
                        where,
                        "framework",
                        name,
                        f"architecture {arch!r} supports only {', '.join(supported)}",
                    )


def check_framework_choices(
    recipe: Recipe, check: Checker, where: str, spec: FrameworkSpec
) -> None:
    """``[train]`` device and precision, as the framework's spec allows."""
    train = recipe.train
    for key, allowed in (("device", spec.devices), ("precision", spec.precisions)):
        value = getattr(train, key)
        if value not in allowed:
            check.fail(
                "[train]",
                key,
                value,
                f"framework {spec.name!r} ({where}) accepts {', '.join(allowed)}",
            )


def check_framework_options(recipe: Recipe, check: Checker, registry: Registry) -> None:
    """A ``[train]`` key that a framework declares as an option holds one of its choices."""
    for spec in registry.frameworks:
        for option in spec.options:
            value = getattr(recipe.train, option.name, None)
            if value is not None:
                check.choice("[train]", option.name, value, option.choices)


def check_tables(recipe: Recipe, check: Checker) -> None:
    """Each table has a known kind and matches at least one experiment of the sweeps."""
    present = {
        "architecture": {name for sweep in recipe.sweep for name in sweep.architecture},
        "head": {head for sweep in recipe.sweep for head in sweep.head},
        "framework": {name for sweep in recipe.sweep for name in sweep.framework},
    }
    for number, table in enumerate(recipe.table, 1):
        where = f"[[table]] #{number}"
        check.choice(where, "kind", table.kind, TABLE_KINDS)
        for key, swept in present.items():
            for value in getattr(table, key):
                if value not in swept:
                    shown = list(value) if isinstance(value, tuple) else value
                    allowed = sorted(str(list(v)) if isinstance(v, tuple) else v for v in swept)
                    check.fail(where, key, shown, f"no sweep has it; swept: {', '.join(allowed)}")
        matched = [model for model in sweep_models(recipe.sweep) if model.matches(table)]
        if not matched:
            raise RecipeError(f"{check.file}: {where}: its filters match no experiment")
        frameworks = {model.framework for model in matched}
        if table.kind == "frameworks" and len(frameworks) < 2:
            check.fail(where, "kind", table.kind, "compares frameworks; it matches only one")


def validate(recipe: Recipe, file: str, registry: Registry) -> None:
    """Raise :class:`RecipeError` for the first problem in ``recipe``."""
    check = Checker(file)
    check_values(recipe, check)
    check_framework_options(recipe, check, registry)
    check_plugins(recipe, check, registry)
    check_tables(recipe, check)
