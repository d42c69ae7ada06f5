"""A run directory: the one on-disk format every framework writes and reads.

::

    model.safetensors            best weights by macro F1, canonical (torch state_dict) names
    config.json                  architecture, head, classes, input size, mean/std, framework,
                                 versions, training configuration, results
    metrics.jsonl                one JSON object per epoch
    training_state.safetensors   last weights + optimizer state, metadata["state"] = JSON (resume)
    curves.png, confusion_matrix.png

Every write goes to a temporary file in the same folder, is flushed to disk, then renamed over
the target, so a kill during a save leaves the previous file intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zoo_core.errors import ConfigError, MissingPath, WrongKindOfPath, ZooError

if TYPE_CHECKING:
    import numpy as np

WEIGHTS = "model.safetensors"
CONFIG = "config.json"
METRICS = "metrics.jsonl"
STATE = "training_state.safetensors"
CURVES = "curves.png"
CONFUSION = "confusion_matrix.png"


class WeightsError(ZooError, ValueError):
    """A weights file that is missing, truncated, corrupt or does not fit the model."""


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write_bytes(path, (json.dumps(obj, indent=2, sort_keys=False) + "\n").encode())


def save_tensors(path: Path, tensors: dict[str, np.ndarray], metadata: dict[str, str]) -> None:
    """Atomically write ``tensors`` (numpy, canonical names) as safetensors."""
    import numpy as np
    from safetensors.numpy import save

    # numpy < 2 promotes 0-d arrays to shape (1,) in ascontiguousarray; keep the shape.
    contiguous = {k: np.ascontiguousarray(v).reshape(np.shape(v)) for k, v in tensors.items()}
    atomic_write_bytes(path, save(contiguous, metadata=metadata))


def load_tensors(path: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Read a safetensors file; a missing, truncated or corrupt one raises :class:`WeightsError`."""
    from safetensors import safe_open

    if not path.is_file():
        raise WeightsError(f"{path}: no such weights file")
    try:
        with safe_open(str(path), framework="numpy") as handle:
            metadata = handle.metadata() or {}
            tensors = {name: handle.get_tensor(name) for name in handle.keys()}  # noqa: SIM118
    except Exception as error:  # noqa: BLE001 - safetensors raises several types
        raise WeightsError(f"{path}: not a readable safetensors file ({error})") from None
    return tensors, metadata


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RunDir:
    """Reads and writes the files of one run directory."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @property
    def weights_path(self) -> Path:
        return self.path / WEIGHTS

    @property
    def state_path(self) -> Path:
        return self.path / STATE

    def exists(self) -> bool:
        return (self.path / CONFIG).is_file()

    def read_config(self, require_model: bool = False) -> dict[str, Any]:
        """The run's config.json, checked against :mod:`zoo_core.config_schema`; with
        ``require_model`` it must also hold everything a model is built from."""
        from zoo_core.config_schema import ModelRecord, RunRecord, validated

        path = self.path / CONFIG
        if self.path.exists() and not self.path.is_dir():
            raise WrongKindOfPath(f"{self.path}: a file, not a zoo run directory")
        try:
            config = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise MissingPath(f"{path}: no config.json — not a zoo run directory") from None
        except IsADirectoryError:
            raise WrongKindOfPath(f"{path}: a folder, not a config.json file") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: malformed JSON ({error})") from None
        return validated(config, str(path), ModelRecord if require_model else RunRecord)

    def write_config(self, config: dict[str, Any]) -> None:
        atomic_write_json(self.path / CONFIG, config)

    def update_config(self, **fields: Any) -> dict[str, Any]:
        config = self.read_config()
        config.update(fields)
        self.write_config(config)
        return config

    def read_metrics(self) -> list[dict[str, Any]]:
        path = self.path / METRICS
        if not path.is_file():
            return []
        rows = []
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise ConfigError(f"{path}: line {number} is not JSON ({error})") from None
            if not isinstance(row, dict) or not isinstance(row.get("epoch"), int):
                raise ConfigError(f"{path}: line {number} is not an epoch record")
            rows.append(row)
        return rows

    def write_metrics(self, rows: Iterable[dict[str, Any]]) -> None:
        text = "".join(json.dumps(row) + "\n" for row in rows)
        atomic_write_bytes(self.path / METRICS, text.encode())

    def save_weights(self, tensors: dict[str, np.ndarray], metadata: dict[str, str]) -> None:
        save_tensors(self.weights_path, tensors, {"format": "zoo", **metadata})

    def load_weights(self) -> dict[str, np.ndarray]:
        return load_tensors(self.weights_path)[0]

    def save_state(self, tensors: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        save_tensors(self.state_path, tensors, {"state": json.dumps(state)})

    def load_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
        if not self.state_path.is_file():
            return None
        tensors, metadata = load_tensors(self.state_path)
        try:
            state = json.loads(metadata.get("state", "{}"))
            int(state["epoch"]), float(state["best_f1"])
        except (ValueError, TypeError, KeyError) as error:
            raise WeightsError(
                f"{self.state_path}: unreadable training state ({error!r})"
            ) from None
        return tensors, state
