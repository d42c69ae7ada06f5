"""``zoo push``: publish a run directory as a Hub model repository (one commit)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from zoo_core.hub.bundle import stage
from zoo_core.hub.errors import translated
from zoo_core.hub.settings import DEFAULT_REVISION, HubSettings, RepoSpec

DEFAULT_LICENSE = "apache-2.0"


@dataclass(frozen=True)
class PushResult:
    repo_id: str
    revision: str
    commit: str
    url: str
    files: list[str]


def push(
    run_dir: Path | str,
    repo: str,
    *,
    private: bool = False,
    revision: str | None = None,
    endpoint: str | None = None,
    token: str | None = None,
    commit_message: str | None = None,
    license_id: str = DEFAULT_LICENSE,
) -> PushResult:
    """Create ``repo`` if needed (and the branch ``revision``), then upload the run's Hub files."""
    from huggingface_hub import HfApi

    settings = HubSettings.resolve(endpoint, token, offline=False)
    spec = RepoSpec.parse(repo, revision)
    api = HfApi(endpoint=settings.endpoint, token=settings.token, library_name="zoo")
    with tempfile.TemporaryDirectory(prefix="zoo-push-") as staging:
        files = stage(Path(run_dir), Path(staging), spec.repo_id, license_id)
        message = commit_message or f"zoo push {Path(run_dir).resolve().name}"
        with translated(spec.repo_id, spec.revision, settings.endpoint, "push to"):
            api.create_repo(spec.repo_id, private=private or None, exist_ok=True)
            if spec.revision != DEFAULT_REVISION:
                api.create_branch(spec.repo_id, branch=spec.revision, exist_ok=True)
            commit = api.upload_folder(
                folder_path=staging,
                repo_id=spec.repo_id,
                revision=spec.revision,
                commit_message=message,
                allow_patterns=files,
            )
    return PushResult(
        repo_id=spec.repo_id,
        revision=spec.revision,
        commit=str(commit.oid),
        url=f"{settings.endpoint}/{spec.repo_id}",
        files=files,
    )
