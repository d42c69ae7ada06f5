"""What can go wrong talking to the Hub, each as its own error with one clear message.

``huggingface_hub``'s exceptions are translated at the boundary (:func:`translated`), so the CLI
prints ``zoo: error: …`` with the repository, the revision and the endpoint involved, and never a
token.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from zoo_core.errors import ZooError


class HubError(ZooError):
    """A push or pull that cannot be done (the CLI prints it and exits 1)."""


class RepoNotFound(HubError):
    """No such repository (or a private one the token cannot read)."""


class RevisionNotFound(HubError):
    """The repository exists but not the branch, tag or commit asked for."""


class NotCached(HubError):
    """An offline pull of something that was never pulled."""


class NotAZooModel(HubError):
    """A repository without the files a zoo model has (``config.json``, ``model.safetensors``)."""


class ChecksumMismatch(HubError):
    """Downloaded weights whose sha256 differs from the one recorded in ``config.json``."""


def transport_errors() -> tuple[type[BaseException], ...]:
    """Connection-level exception classes of whichever HTTP client ``huggingface_hub`` uses."""
    found: list[type[BaseException]] = [ConnectionError, TimeoutError]
    for module, name in (
        ("httpx2", "TransportError"),
        ("httpx", "TransportError"),
        ("requests", "ConnectionError"),
        ("requests", "Timeout"),
    ):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


@contextmanager
def translated(
    repo_id: str, revision: str, endpoint: str, action: str, offline: bool = False
) -> Iterator[None]:
    """Turn ``huggingface_hub`` and connection errors raised inside into :class:`HubError`."""
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        LocalEntryNotFoundError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    where = f"{repo_id}@{revision}"
    try:
        yield
    except GatedRepoError:
        raise HubError(
            f"{repo_id} on {endpoint} is gated: accept its conditions on the Hub, then pass a "
            "token that may read it (--token or HF_TOKEN)"
        ) from None
    except RepositoryNotFoundError:
        raise RepoNotFound(
            f"{repo_id}: no such repository on {endpoint} (or it is private and the token "
            "given cannot read it)"
        ) from None
    except RevisionNotFoundError:
        raise RevisionNotFound(f"{repo_id}: no revision {revision!r} on {endpoint}") from None
    except (LocalEntryNotFoundError, OfflineModeIsEnabled) as error:
        if not offline:
            cause = type(error.__cause__ or error).__name__
            raise HubError(
                f"cannot {action} {where}: the Hub at {endpoint} did not answer ({cause}) and "
                "it is not in the Hugging Face cache"
            ) from None
        raise NotCached(
            f"{where} is not in the Hugging Face cache (or only partly); "
            f"run 'zoo pull {repo_id}' online first"
        ) from None
    except HfHubHTTPError as error:
        status = error.response.status_code if error.response is not None else None
        if status in (401, 403):
            raise HubError(
                f"the Hub at {endpoint} refused to let this token {action} {repo_id} "
                f"(HTTP {status}): pass --token or set HF_TOKEN to a token with access"
            ) from None
        detail = getattr(error, "server_message", None) or ""
        raise HubError(
            f"cannot {action} {where} on {endpoint}: HTTP {status} {detail}".rstrip()
        ) from None
    except transport_errors() as error:
        raise HubError(
            f"cannot reach the Hub at {endpoint} to {action} {where} ({type(error).__name__})"
        ) from None
