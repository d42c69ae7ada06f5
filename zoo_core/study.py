"""The study's training settings: what ``zoo train`` and a recipe use for anything not given
(on a dataset with demo defaults, those win over these)."""

from __future__ import annotations

from typing import Any

STUDY_DEFAULTS: dict[str, Any] = {
    "epochs": 20,
    "image_size": 224,
    "batch_size": 32,
    "lr": 1e-3,
    "optimizer": "adam",
    "momentum": 0.9,
    "weight_decay": 0.0,
    "schedule": "constant",
    "warmup_steps": 0,
    "warmup_factor": 0.001,
}


def resolve(given: dict[str, Any], demo: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The settings for a run: the study's, then the dataset's ``demo`` defaults, then what was
    ``given`` (None means not given); and the demo defaults that were used."""
    used = {key: value for key, value in demo.items() if given.get(key) is None}
    chosen = {key: value for key, value in given.items() if value is not None}
    return {**STUDY_DEFAULTS, **used, **chosen}, used
