"""Publishing runs to, and pulling models from, the Hugging Face Hub.

``huggingface_hub`` is imported only inside the functions that talk to the Hub, so importing this
package costs no more than the core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zoo_core.hub.errors import (
    ChecksumMismatch,
    HubError,
    NotAZooModel,
    NotCached,
    RepoNotFound,
    RevisionNotFound,
)
from zoo_core.hub.pull import PulledModel, pull
from zoo_core.hub.push import PushResult, push
from zoo_core.hub.settings import HubSettings, RepoSpec, is_repo_id

__all__ = [
    "ChecksumMismatch",
    "HubError",
    "HubSettings",
    "NotAZooModel",
    "NotCached",
    "PulledModel",
    "PushResult",
    "RepoNotFound",
    "RepoSpec",
    "RevisionNotFound",
    "is_repo_id",
    "locate_unprefixed",
    "pull",
    "push",
]


def locate_unprefixed(name: str, **options: Any) -> Path:
    """For a source ``ORG/NAME[@REV]`` given without ``hf-hub:`` that is no local path: the
    pulled snapshot, or an error that says neither exists."""
    try:
        return pull(name, **options).path
    except RepoNotFound as error:
        reason = str(error).split(": ", 1)[-1]
        raise RepoNotFound(f"{name}: no such local run directory, and {reason}") from None
