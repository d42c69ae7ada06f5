"""Checkpoint sources: where a trained model lives, and loading it into any framework.

A source is a run directory, a ``model.safetensors`` inside one, ``local-dir:PATH``, or
``hf-hub:ORG/NAME[@REVISION]`` (pulled into the Hugging Face cache first).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zoo_core.errors import InvalidValue, MissingPath, ZooError
from zoo_core.registry import Registry, get_registry
from zoo_core.rundir import CONFIG, RunDir, WeightsError, sha256_of
from zoo_core.safe_text import for_shell
from zoo_core.specs import HeadConfig

HUB_PREFIX = "hf-hub:"
LOCAL_PREFIX = "local-dir:"


class MissingPluginError(ZooError, LookupError):
    """A checkpoint whose architecture comes from a plugin that is not installed."""


@dataclass
class LoadedModel:
    model: Any
    config: dict[str, Any]
    backend: Any
    path: Path


def is_source(name: str) -> bool:
    """Whether ``name`` names a checkpoint rather than an architecture."""
    if name.startswith((HUB_PREFIX, LOCAL_PREFIX)):
        return True
    return "/" in name or name.endswith(".safetensors") or Path(name).is_dir()


def locate(source: str, **hub_options: Any) -> Path:
    """The local folder holding ``config.json`` and ``model.safetensors`` for ``source``."""
    if source.startswith(HUB_PREFIX):
        from zoo_core.hub import pull

        return pull(source[len(HUB_PREFIX) :], **hub_options).path
    path = Path(source[len(LOCAL_PREFIX) :] if source.startswith(LOCAL_PREFIX) else source)
    if path.suffix == ".safetensors":
        path = path.parent
    if not path.exists():
        from zoo_core.hub.settings import is_repo_id

        if not source.startswith(LOCAL_PREFIX) and is_repo_id(source):
            from zoo_core.hub import locate_unprefixed

            return locate_unprefixed(source, **hub_options)
        raise MissingPath(f"{path}: no such run directory or checkpoint")
    RunDir(path).read_config(require_model=True)  # a clear error if it is not a run directory
    return path


def config_architecture(config: dict[str, Any], registry: Registry, where: Path) -> str:
    """The architecture named in ``config``, or an error naming the distribution to install."""
    name = config.get("architecture")
    if not name:
        raise InvalidValue(f"{where / 'config.json'}: no 'architecture' field")
    if name not in registry.architectures:
        distribution = (config.get("plugin") or {}).get("distribution") or "the plugin providing it"
        raise MissingPluginError(
            f"{where}: architecture {name!r} is provided by {distribution!r}, which is not "
            f"installed: pip install {for_shell(distribution)}"
        )
    return name


def verify_checksum(run: RunDir, config: dict[str, Any]) -> None:
    """Weights that differ from the sha256 their config.json records are refused."""
    expected = config.get("weights_sha256")
    if expected and run.weights_path.is_file():
        actual = sha256_of(run.weights_path)
        if actual != expected:
            raise WeightsError(
                f"{run.weights_path}: sha256 {actual} differs from the {expected} that "
                f"{run.path / CONFIG} records; the weights were changed or damaged; nothing "
                "was loaded"
            )


def load(source: str, framework: str, registry: Registry | None = None, **hub: Any) -> LoadedModel:
    """Build the model that ``source`` describes in ``framework`` and load its weights."""
    registry = registry or get_registry()
    path = locate(source, **hub)
    run = RunDir(path)
    config = run.read_config(require_model=True)
    backend = registry.backend(framework)
    if hasattr(backend, "load_run"):  # a runtime of exported files (no architecture builders)
        return LoadedModel(backend.load_run(path, config), config, backend, path)
    name = config_architecture(config, registry, path)
    verify_checksum(run, config)
    head = HeadConfig(
        tuple(config.get("head") or ()),
        float(config.get("head_dropout") or 0.0),
        config.get("head_kind") or "mlp",
    )
    try:
        model = registry.build(
            name,
            framework,
            head,
            int(config["num_classes"]),
            **(config.get("architecture_options") or {}),
        )
    except KeyError as error:
        raise InvalidValue(f"{path / 'config.json'}: missing field {error}") from None
    try:
        backend.load_state_dict(model, run.load_weights())
    except WeightsError as error:
        if str(run.weights_path) in str(error):
            raise
        raise WeightsError(f"{run.weights_path}: {error}") from None
    return LoadedModel(model=model, config=config, backend=backend, path=path)


def load_model(source: str, framework: str = "torch", **hub: Any) -> Any:
    """Just the model, for :func:`zoo_core.create_model`."""
    return load(source, framework, **hub).model
