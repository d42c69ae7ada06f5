"""Filling in what a recipe leaves out: the dataset's demo defaults, else the study's settings,
and saying where each value came from (``zoo run --dry-run`` prints it)."""

from __future__ import annotations

import dataclasses
from typing import Any

from zoo_core.recipes.schema import ALL, Recipe, TrainSettings
from zoo_core.registry import Registry, UnknownNameError
from zoo_core.study import STUDY_DEFAULTS

RECIPE, DEMO, STUDY = "recipe", "demo default", "study"


def demo_defaults(registry: Registry, dataset: str) -> dict[str, Any]:
    try:
        return dict(registry.datasets[dataset].train_defaults)
    except UnknownNameError:  # reported by validation, naming the key
        return {}


def pick(key: str, given: Any, demo: dict[str, Any], fallback: Any) -> tuple[Any, str]:
    if given is not None:
        return given, RECIPE
    if key in demo:
        return demo[key], DEMO
    return fallback, STUDY


def with_defaults(recipe: Recipe, registry: Registry) -> tuple[Recipe, dict[str, str]]:
    """``recipe`` with every left-out ``[dataset]`` and ``[train]`` value filled in, and each
    value's origin (``recipe``, ``demo default`` or ``study``) by ``section.key``."""
    demo = demo_defaults(registry, recipe.dataset.name)
    origins: dict[str, str] = {}
    values: dict[str, Any] = {}
    for spec in dataclasses.fields(TrainSettings):
        if spec.default is not None:  # a key with a value of its own as default
            continue
        key = spec.name
        values[key], origins[f"train.{key}"] = pick(
            key, getattr(recipe.train, key), demo, STUDY_DEFAULTS[key]
        )
    per_class, origins["dataset.per_class"] = pick("per_class", recipe.dataset.per_class, demo, ALL)
    return (
        dataclasses.replace(
            recipe,
            train=dataclasses.replace(recipe.train, **values),
            dataset=dataclasses.replace(recipe.dataset, per_class=per_class),
        ),
        origins,
    )


def settings_lines(recipe: Recipe, origins: dict[str, str]) -> list[str]:
    """``train.lr = 0.001  (study)`` for every dataset and train setting."""
    lines = []
    for section in ("dataset", "train"):
        settings = getattr(recipe, section)
        for spec in dataclasses.fields(settings):
            key = f"{section}.{spec.name}"
            origin = origins.get(key)
            if origin is None:
                default = (
                    spec.default_factory()
                    if spec.default_factory is not dataclasses.MISSING
                    else spec.default
                )
                origin = RECIPE if getattr(settings, spec.name) != default else "default"
            lines.append(f"{key} = {getattr(settings, spec.name)!r}  ({origin})")
    return lines
