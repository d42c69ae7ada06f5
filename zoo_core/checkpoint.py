"""Loading a model from any weight source into any framework.

A source is a run directory, a weights file (that very file), ``local-dir:PATH``, or
``hf-hub:ORG/NAME[@REVISION]`` (pulled into the Hugging Face cache first); see
:mod:`zoo_core.sources` for how it is recognised and read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zoo_core import sources
from zoo_core.errors import InvalidValue, ZooError
from zoo_core.registry import Registry, get_registry
from zoo_core.rundir import CONFIG, RunDir, WeightsError, sha256_of
from zoo_core.safe_text import for_shell
from zoo_core.sources import HUB_PREFIX, LOCAL_PREFIX, is_source
from zoo_core.specs import HeadConfig

__all__ = ["HUB_PREFIX", "LOCAL_PREFIX", "LoadedModel", "is_source", "load", "locate"]


class MissingPluginError(ZooError, LookupError):
    """A checkpoint whose architecture comes from a plugin that is not installed."""


@dataclass
class LoadedModel:
    model: Any
    config: dict[str, Any]
    backend: Any
    path: Path


def locate(source: str, **hub_options: Any) -> Path:
    """The local folder holding ``config.json`` and ``model.safetensors`` for a zoo ``source``."""
    path = sources.local_path(source, **hub_options)
    if path.suffix == ".safetensors":
        path = path.parent
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


def build(config: dict[str, Any], framework: str, registry: Registry, where: Path) -> Any:
    """The untrained model ``config`` describes, in ``framework``."""
    name = config_architecture(config, registry, where)
    head = HeadConfig(
        tuple(config.get("head") or ()),
        float(config.get("head_dropout") or 0.0),
        config.get("head_kind") or "mlp",
    )
    try:
        return registry.build(
            name,
            framework,
            head,
            int(config["num_classes"]),
            **(config.get("architecture_options") or {}),
        )
    except KeyError as error:
        raise InvalidValue(f"{where / 'config.json'}: missing field {error}") from None


def load(
    source: str,
    framework: str,
    registry: Registry | None = None,
    fmt: str | None = None,
    architecture: str | None = None,
    **hub: Any,
) -> LoadedModel:
    """Build the model that ``source`` describes in ``framework`` and load its weights."""
    registry = registry or get_registry()
    opened = sources.open_source(source, registry, fmt, architecture, **hub)
    backend = registry.backend(framework)
    if hasattr(backend, "load_run"):  # a runtime of exported files (no architecture builders)
        model = backend.load_run(opened.folder, opened.config)
        return LoadedModel(model, opened.config, backend, opened.folder)
    model = build(opened.config, framework, registry, opened.folder)
    weights_file = opened.weights.file
    try:
        backend.load_state_dict(model, opened.tensors)
    except WeightsError as error:
        if str(weights_file) in str(error):
            raise
        raise WeightsError(f"{weights_file}: {error}") from None
    return LoadedModel(model=model, config=opened.config, backend=backend, path=opened.folder)


def load_model(source: str, framework: str = "torch", **hub: Any) -> Any:
    """Just the model, for :func:`zoo_core.create_model`."""
    return load(source, framework, **hub).model


def create_model(
    name: str,
    framework: str = "torch",
    head: HeadConfig | str | None = None,
    num_classes: int | None = None,
    **options: Any,
) -> Any:
    """Build a model by name, timm-style.

    ``name`` is an architecture (``"se_resnet18"``), or a checkpoint source: ``"hf-hub:ORG/NAME"``,
    ``"local-dir:PATH"``, a run directory or a ``.safetensors`` file, whose ``config.json`` decides
    architecture, head and classes and whose weights are loaded, whichever framework trained it.
    """
    if is_source(name):
        return load_model(name, framework=framework)
    return get_registry().build(name, framework, head, num_classes, **options)
