"""Writing a foreign checkpoint as a zoo run directory (``zoo import``).

The weights are loaded strictly into the model in one framework (so they are known to fit), and
that model's canonical ``state_dict`` becomes ``model.safetensors``; ``config.json`` records the
model, the label names, the preprocessing and where the weights came from (format, original file
and its sha256, what was dropped).
"""

from __future__ import annotations

import platform
import tempfile
from pathlib import Path

from zoo_core import __version__, checkpoint, sources
from zoo_core.errors import PathInUse
from zoo_core.registry import Registry, get_registry
from zoo_core.rundir import RunDir, WeightsError, sha256_of


def import_weights(
    source: str,
    out: Path,
    architecture: str | None = None,
    fmt: str | None = None,
    labels: list[str] | None = None,
    framework: str | None = None,
) -> Path:
    """Read ``source``, check it fits its architecture, and write the run directory ``out``."""
    registry = get_registry()
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PathInUse(f"{out}: already exists and is not empty; choose a new --out")
    opened = sources.open_source(source, registry, fmt, architecture, labels)
    framework = framework or "torch"
    model = checkpoint.build(opened.config, framework, registry, opened.folder)
    backend = registry.backend(framework)
    try:
        backend.load_state_dict(model, opened.tensors)
    except WeightsError as error:
        raise WeightsError(
            f"{opened.weights.file} as {opened.config['architecture']}: {error}"
        ) from None
    run = RunDir(out)
    run.save_weights(backend.state_dict(model), {"source_format": opened.format.name})
    config = {
        "zoo_version": __version__,
        **opened.config,
        "versions": {"zoo": __version__, "python": platform.python_version()},
        "weights_sha256": sha256_of(run.weights_path),
        "results": opened.config.get("results") or {},
    }
    config.setdefault("source", sources.provenance(source, opened.format, opened.weights))
    run.write_config(config)
    return out


_TEMPORARY: list[tempfile.TemporaryDirectory] = []


def run_for(source: str, registry: Registry | None = None) -> tuple[Path, Path]:
    """(a run directory holding ``source``, the folder its outputs go to by default): a zoo run
    directory is itself; any other checkpoint is imported into a temporary run (removed at exit),
    its outputs going beside it."""
    registry = registry or get_registry()
    path, _, weights = sources.read(source, registry)
    if weights.config is not None and path.is_dir():
        return path, path
    temporary = tempfile.TemporaryDirectory(prefix="zoo-import-")
    _TEMPORARY.append(temporary)
    run = import_weights(source, Path(temporary.name) / "run")
    return run, path if path.is_dir() else path.parent
