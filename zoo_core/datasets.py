"""Which dataset a command reads: one named, the one whose plugin recognises a folder, or the
dataset whose spec says it is the default. The core names no dataset itself."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from zoo_core.data import DataError, DataRequest, Recognition
from zoo_core.errors import InvalidValue, MissingPath, WrongKindOfPath
from zoo_core.lazy import resolve

if TYPE_CHECKING:
    from zoo_core.registry import Registry
    from zoo_core.specs import DatasetSpec


class DatasetNotFound(DataError):
    """A folder no dataset plugin (or more than one) recognises, or no default dataset."""


def default_dataset(registry: Registry) -> str:
    """The one dataset whose spec has ``default=True``: what ``zoo train`` reads without --data."""
    names = [spec.name for spec in registry.datasets if spec.default]
    if len(names) == 1:
        return names[0]
    if not names:
        known = ", ".join(registry.datasets.names()) or "none installed"
        raise DatasetNotFound(
            f"no installed dataset is the default; pass --data PATH or --dataset NAME "
            f"(datasets: {known})"
        )
    raise DatasetNotFound(
        f"several datasets claim to be the default ({', '.join(sorted(names))}); "
        "pass --data PATH or --dataset NAME"
    )


def recognise(spec: DatasetSpec, root: Path) -> Recognition:
    """``spec``'s answer for ``root``; a plugin without detection, or whose detection fails,
    does not claim the folder."""
    if not spec.detect:
        return Recognition.no(f"no detection: name it with --dataset {spec.name}")
    try:
        answer = resolve(spec.detect)(root)
    except Exception as error:  # noqa: BLE001 - one plugin's fault must not hide the others
        return Recognition.no(f"detection failed: {type(error).__name__}: {error}")
    if not isinstance(answer, Recognition):
        return Recognition.no(f"detection returned {type(answer).__name__}, not a Recognition")
    return answer


def detect(registry: Registry, root: Path) -> tuple[str, Recognition]:
    """The dataset whose plugin recognises ``root`` best, and what it recognised."""
    answers = [(spec.name, recognise(spec, root)) for spec in registry.datasets]
    best = max((answer.level for _, answer in answers), default=Recognition.NOT_MINE)
    winners = [(name, answer) for name, answer in answers if answer.level == best]
    if best == Recognition.NOT_MINE:
        looks_for = "; ".join(f"{name}: {answer.reason}" for name, answer in answers)
        raise DatasetNotFound(
            f"{root}: no installed dataset recognises this folder ({looks_for or 'none'}); "
            "name one with --dataset NAME"
        )
    if len(winners) > 1:
        readers = "; ".join(f"{name}: {answer.reason}" for name, answer in winners)
        raise DatasetNotFound(
            f"{root}: ambiguous, several datasets read this folder ({readers}); "
            "choose one with --dataset NAME"
        )
    return winners[0]


def resolve_data(
    registry: Registry, data: str | None, dataset: str | None = None
) -> tuple[str, Path | None]:
    """What ``--data`` (a folder, or a dataset's name) and ``--dataset`` mean together: the
    dataset's name and its folder (``None`` for a dataset that needs none)."""
    if dataset is not None:
        registry.datasets[dataset]  # an unknown name fails here, with suggestions
        if data is None:
            return dataset, None
        return dataset, existing_folder(data)
    if data is None:
        return default_dataset(registry), None
    if data in registry.datasets:
        return data, None
    root = existing_folder(data)
    return detect(registry, root)[0], root


def existing_folder(data: str) -> Path:
    path = Path(data).expanduser()
    if not path.exists():
        raise MissingPath(f"--data {data}: no such folder, and no dataset of that name")
    if not path.is_dir():
        raise WrongKindOfPath(f"--data {data}: a file, not a dataset folder")
    return path


def resolve_mode(spec: DatasetSpec, mode: str | None) -> str:
    """``mode``, checked against the modes the dataset serves; its first mode when not given."""
    if not mode:
        return spec.modes[0] if spec.modes else ""
    if mode not in spec.modes:
        served = ", ".join(spec.modes) or "none"
        raise InvalidValue(f"dataset {spec.name!r} has no mode {mode!r}; it serves: {served}")
    return mode


def open_dataset(registry: Registry, name: str, request: DataRequest) -> Any:
    """``DataSplits`` from the dataset's opener."""
    return resolve(registry.datasets[name].opener)(request)
