"""Which Hub, which token, which cache: command options first, then the environment.

``huggingface_hub`` reads ``HF_ENDPOINT``, ``HF_HUB_OFFLINE`` and ``HF_HUB_CACHE`` once, when it is
imported; zoo reads them (and its own ``ZOO_HUB_ENDPOINT``) at every call and passes the result
explicitly, so the values in force are the ones of the command being run.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from zoo_core.errors import InvalidValue

DEFAULT_ENDPOINT = "https://huggingface.co"
DEFAULT_REVISION = "main"
REPO_ID = re.compile(r"^(?P<org>[\w.-]+)/(?P<name>[\w.-]+)(?:@(?P<revision>[\w./-]+))?$")


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class HubSettings:
    """Where to talk to and with what; ``token`` is never shown (``repr=False``)."""

    endpoint: str
    token: str | None = field(default=None, repr=False)
    offline: bool = False
    cache_dir: Path | None = None

    @classmethod
    def resolve(
        cls,
        endpoint: str | None = None,
        token: str | None = None,
        offline: bool | None = None,
        cache_dir: str | Path | None = None,
    ) -> HubSettings:
        """Options win; then ``ZOO_HUB_ENDPOINT``/``HF_ENDPOINT``, ``HF_TOKEN``, ``HF_HUB_OFFLINE``,
        ``HF_HUB_CACHE``/``HF_HOME``; then the Hub's defaults (a saved ``hf auth login`` token)."""
        chosen = (
            endpoint
            or os.environ.get("ZOO_HUB_ENDPOINT")
            or os.environ.get("HF_ENDPOINT")
            or DEFAULT_ENDPOINT
        )
        if not chosen.startswith(("http://", "https://")):
            raise InvalidValue(f"hub endpoint {chosen!r}: expected an http:// or https:// URL")
        cache = cache_dir or os.environ.get("HF_HUB_CACHE")
        if cache is None and os.environ.get("HF_HOME"):
            cache = Path(os.environ["HF_HOME"]) / "hub"
        return cls(
            endpoint=chosen.rstrip("/"),
            token=token or os.environ.get("HF_TOKEN") or None,
            offline=env_flag("HF_HUB_OFFLINE") if offline is None else offline,
            cache_dir=Path(cache).expanduser() if cache else None,
        )


@dataclass(frozen=True)
class RepoSpec:
    """``ORG/NAME[@REVISION]``."""

    repo_id: str
    revision: str = DEFAULT_REVISION

    @classmethod
    def parse(cls, text: str, revision: str | None = None) -> RepoSpec:
        match = REPO_ID.match(text.strip())
        if match is None or ".." in text:
            raise InvalidValue(
                f"{text!r}: expected a Hub repository as ORG/NAME or ORG/NAME@REVISION"
            )
        if match["revision"] and revision and match["revision"] != revision:
            given = f"{match['revision']!r} and {revision!r}"
            raise InvalidValue(f"{text!r}: revision given twice ({given})")
        return cls(
            f"{match['org']}/{match['name']}", match["revision"] or revision or DEFAULT_REVISION
        )

    def __str__(self) -> str:
        return f"{self.repo_id}@{self.revision}"


def is_repo_id(text: str) -> bool:
    """Whether ``text`` has the shape of ``ORG/NAME[@REVISION]`` (not whether it exists)."""
    return REPO_ID.match(text) is not None and ".." not in text
