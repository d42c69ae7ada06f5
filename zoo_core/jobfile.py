"""A :class:`TrainJob` as a JSON file: what a launcher's processes (``zoo_core.worker``) run."""

from __future__ import annotations

import json
from pathlib import Path

from zoo_core.errors import InvalidValue, MissingPath
from zoo_core.framework import TrainJob
from zoo_core.rundir import atomic_write_json


def write_job(job: TrainJob, path: Path) -> None:
    atomic_write_json(path, job.to_dict())


def read_job(path: Path) -> TrainJob:
    try:
        return TrainJob.from_dict(json.loads(Path(path).read_text()))
    except FileNotFoundError:
        raise MissingPath(f"{path}: no such job file") from None
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise InvalidValue(f"{path}: not a zoo training job ({error})") from None
