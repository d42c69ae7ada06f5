"""The schema of a run's ``config.json``, checked (pydantic) before any of it is used.

A config.json comes from a local run, a Hub snapshot or an import: valid JSON of the wrong shape
must fail here, naming the file and the field, not later as a traceback. Only the fields zoo reads
are declared; any other field (provenance, preprocessing, dataset records, Hub fields…) is kept.
:class:`RunRecord` types whatever is present; :class:`ModelRecord` also requires what building and
running the model needs.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from zoo_core.errors import ConfigError

Positive = Annotated[int, Field(gt=0)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Triple = Annotated[list[float], Field(min_length=3, max_length=3)]


class Loose(BaseModel):
    """Extra fields allowed and kept; declared ones typed."""

    model_config = ConfigDict(extra="allow")


class PluginRecord(Loose):
    distribution: str | None = None
    version: str | None = None


class TrainingRecord(Loose):
    dataset: str | None = None
    data: str | None = None
    mode: str | None = None
    seed: int | None = None
    per_class: float | None = None
    epochs: int | None = None
    image_size: int | None = None


class ResultsRecord(Loose):
    split: str | None = None
    epoch: int | None = None
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    accuracy: float | None = None
    per_class: dict[str, Any] | None = None


class RunRecord(Loose):
    """A config.json as read for anything: every declared field optional, but typed."""

    zoo_version: str | None = None
    architecture: Name | None = None
    architecture_options: dict[str, Any] | None = None
    head: list[Positive] | None = None
    head_kind: Name | None = None
    head_dropout: Annotated[float, Field(ge=0, lt=1)] | None = None
    num_classes: Positive | None = None
    label_names: list[str] | None = None
    input_size: Annotated[list[Positive], Field(min_length=3, max_length=3)] | None = None
    mean: Triple | None = None
    std: (
        Annotated[list[Annotated[float, Field(gt=0)]], Field(min_length=3, max_length=3)] | None
    ) = None
    framework: str | None = None
    weights_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    plugin: PluginRecord | None = None
    dataset: dict[str, Any] | None = None
    training: TrainingRecord | None = None
    results: ResultsRecord | None = None

    @model_validator(mode="after")
    def _labels_match_classes(self) -> RunRecord:
        if self.label_names is not None and self.num_classes is not None:
            if len(self.label_names) != self.num_classes:
                raise ValueError(
                    f"label_names has {len(self.label_names)} names but num_classes is "
                    f"{self.num_classes}"
                )
        return self


class ModelRecord(RunRecord):
    """A config.json a model is built from: what the build and the predictions read is there."""

    architecture: Name
    num_classes: Positive
    label_names: list[str]
    input_size: Annotated[list[Positive], Field(min_length=3, max_length=3)]
    mean: Triple
    std: Annotated[list[Annotated[float, Field(gt=0)]], Field(min_length=3, max_length=3)]


def describe(error: ValidationError, limit: int = 3) -> str:
    """``field 'head.0': Input should be greater than 0 (got -5); …`` in one line."""
    parts = []
    for item in error.errors()[:limit]:
        where = ".".join(str(part) for part in item["loc"])
        got = "" if item["type"] == "missing" or not where else f" (got {short(item['input'])})"
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"field {where!r}: {message}{got}" if where else f"{message}{got}")
    more = len(error.errors()) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validated(config: Any, where: str, schema: type[RunRecord] = RunRecord) -> dict[str, Any]:
    """``config`` (parsed JSON) checked against ``schema``; every field, declared or not, kept."""
    if not isinstance(config, dict):
        raise ConfigError(f"{where}: expected a JSON object, found {type(config).__name__}")
    try:
        schema.model_validate(config, strict=True)
    except ValidationError as error:
        raise ConfigError(f"{where}: {describe(error)}") from None
    return config
