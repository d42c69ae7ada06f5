"""``zoo pull``: download a zoo model into the Hugging Face cache and verify it.

Only ``config.json``, ``model.safetensors``, ``README.md`` and the PNGs are fetched; nothing is
ever unpickled. A snapshot is handed out only after ``model.safetensors`` hashes to the
``weights_sha256`` that ``config.json`` records; weights that do not are removed from the cache,
so an interrupted or tampered download never becomes a usable model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zoo_core import __version__
from zoo_core.config_schema import ModelRecord, validated
from zoo_core.hub.errors import ChecksumMismatch, NotAZooModel, RevisionNotFound, translated
from zoo_core.hub.settings import HubSettings, RepoSpec
from zoo_core.rundir import CONFIG, WEIGHTS, sha256_of

ALLOW_PATTERNS = [CONFIG, WEIGHTS, "README.md", "*.png"]


@dataclass(frozen=True)
class PulledModel:
    """A verified snapshot: ``path`` holds ``config.json`` and ``model.safetensors``."""

    repo_id: str
    revision: str
    commit: str
    path: Path
    config: dict[str, Any] = field(repr=False)


def pull(
    repo_spec: str,
    *,
    revision: str | None = None,
    endpoint: str | None = None,
    token: str | None = None,
    offline: bool | None = None,
    cache_dir: str | Path | None = None,
) -> PulledModel:
    """Download ``ORG/NAME[@REVISION]`` (or find it in the cache when offline) and verify it."""
    spec, path = download(
        repo_spec,
        ALLOW_PATTERNS,
        revision=revision,
        endpoint=endpoint,
        token=token,
        offline=offline,
        cache_dir=cache_dir,
    )
    return PulledModel(spec.repo_id, spec.revision, path.name, path, verified_config(path, spec))


def download(
    repo_spec: str,
    patterns: list[str],
    *,
    revision: str | None = None,
    endpoint: str | None = None,
    token: str | None = None,
    offline: bool | None = None,
    cache_dir: str | Path | None = None,
) -> tuple[RepoSpec, Path]:
    """The snapshot folder of the files matching ``patterns`` (nothing is loaded or verified)."""
    from huggingface_hub import snapshot_download

    settings = HubSettings.resolve(endpoint, token, offline, cache_dir)
    spec = RepoSpec.parse(repo_spec, revision)
    try:
        with translated(spec.repo_id, spec.revision, settings.endpoint, "pull", settings.offline):
            folder = snapshot_download(
                spec.repo_id,
                revision=spec.revision,
                endpoint=settings.endpoint,
                token=settings.token,
                cache_dir=settings.cache_dir,
                local_files_only=settings.offline,
                allow_patterns=patterns,
                library_name="zoo",
                library_version=__version__,
            )
    except RevisionNotFound as error:
        raise RevisionNotFound(f"{error}{known_revisions(spec.repo_id, settings)}") from None
    return spec, Path(folder)


def known_revisions(repo_id: str, settings: HubSettings) -> str:
    """``"; it has branches main, v1 and tags …"`` for an error message, or ``""``."""
    from huggingface_hub import HfApi

    try:
        refs = HfApi(endpoint=settings.endpoint, token=settings.token).list_repo_refs(repo_id)
    except Exception:  # noqa: BLE001 - only a hint; the error itself is already clear
        return ""
    branches = ", ".join(ref.name for ref in refs.branches) or "none"
    tags = ", ".join(ref.name for ref in refs.tags) or "none"
    return f" (branches: {branches}; tags: {tags})"


def verified_config(path: Path, spec: RepoSpec) -> dict[str, Any]:
    """The snapshot's config, once its weights match the recorded sha256."""
    config_path, weights = path / CONFIG, path / WEIGHTS
    if not config_path.is_file():
        raise NotAZooModel(
            f"{spec} has no config.json: it is not a zoo model (zoo push writes one)"
        )
    try:
        config = json.loads(config_path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise NotAZooModel(f"{spec}: config.json is not valid JSON ({error})") from None
    if not isinstance(config, dict) or "architecture" not in config:
        raise NotAZooModel(f"{spec}: config.json names no architecture: it is not a zoo model")
    validated(config, f"{spec}: config.json", ModelRecord)
    if not weights.is_file():
        raise NotAZooModel(f"{spec} has no model.safetensors")
    expected = config.get("weights_sha256")
    if not expected:
        raise NotAZooModel(
            f"{spec}: config.json records no weights_sha256, so its weights cannot be verified"
        )
    actual = sha256_of(weights)
    if actual != expected:
        evict(weights)
        raise ChecksumMismatch(
            f"{spec}: model.safetensors has sha256 {actual}, but config.json records "
            f"{expected}; the download was corrupt or the weights were replaced without their "
            "config. The file was removed from the cache; nothing was loaded."
        )
    return config


def evict(snapshot_file: Path) -> None:
    """Remove a cached file: the snapshot's link and the blob it points to."""
    blob = snapshot_file.resolve()
    snapshot_file.unlink(missing_ok=True)
    if blob != snapshot_file:
        blob.unlink(missing_ok=True)
