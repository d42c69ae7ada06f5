"""A :class:`TrainJob` as a JSON file, for the msrun workers that run it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from zoo_core.framework import TrainJob
from zoo_core.rundir import atomic_write_json
from zoo_core.specs import HeadConfig


def job_from_dict(data: dict[str, Any]) -> TrainJob:
    """The inverse of :meth:`TrainJob.to_dict`."""
    fields = dict(data)
    head = HeadConfig(
        tuple(fields.pop("head")), float(fields.pop("head_dropout")), fields.pop("head_kind")
    )
    fields["data"] = Path(fields["data"]) if fields.get("data") else None
    fields["out"] = Path(fields["out"])
    return TrainJob(head=head, **fields)


def write_job(job: TrainJob, path: Path) -> None:
    atomic_write_json(path, job.to_dict())


def read_job(path: Path) -> TrainJob:
    try:
        return job_from_dict(json.loads(Path(path).read_text()))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such job file") from None
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not a zoo training job ({error})") from None
