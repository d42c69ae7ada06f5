"""Weight sources: any checkpoint zoo can read, located, recognised and read into canonical names.

A source is a path (a run directory, a folder another library wrote, one weights file),
``local-dir:PATH`` or ``hf-hub:ORG/NAME[@REVISION]``. A path to a file means that file. The
installed weight formats (hook ``zoo_weight_formats``) recognise a local file or folder and read
it into numpy arrays under canonical (torch ``state_dict``) names, with the metadata it carries.
Nothing is unpickled except through ``torch.load(weights_only=True)`` inside the formats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zoo_core.errors import InvalidValue, MissingPath
from zoo_core.lazy import resolve
from zoo_core.registry import Registry, UnknownNameError, get_registry
from zoo_core.rundir import WeightsError, sha256_of
from zoo_core.specs import WeightFormatSpec

if TYPE_CHECKING:
    import numpy as np

HUB_PREFIX = "hf-hub:"
LOCAL_PREFIX = "local-dir:"
HUB_PATTERNS = ["*.json", "*.safetensors", "*.bin", "*.pth", "*.pt", "*.ckpt", "README.md", "*.png"]
"""What a foreign Hub repository may hold that a weight format reads."""
STATISTICS = ("running_mean", "running_var", "num_batches_tracked")
WEIGHT_SUFFIXES = (".safetensors", ".pth", ".pt", ".bin", ".ckpt")


@dataclass
class ReadWeights:
    """What a weight format's ``read`` returns. ``None`` means the checkpoint does not say."""

    tensors: dict[str, np.ndarray]
    file: Path
    label_names: tuple[str, ...] | None = None
    num_classes: int | None = None
    input_size: tuple[int, int, int] | None = None
    mean: tuple[float, float, float] | None = None
    std: tuple[float, float, float] | None = None
    architecture: str | None = None
    architecture_options: dict[str, Any] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)
    """Tensors of the checkpoint left out on purpose, by original name, with the reason."""
    origin: dict[str, Any] = field(default_factory=dict)
    """Anything else worth recording (variant, epoch, original names…); JSON-serialisable."""
    config: dict[str, Any] | None = None
    """A complete zoo ``config.json`` (zoo run directories only)."""


@dataclass
class Opened:
    """A source read and described: ``config`` is a zoo ``config.json`` for its model."""

    source: str
    path: Path
    format: WeightFormatSpec
    weights: ReadWeights
    config: dict[str, Any]

    @property
    def folder(self) -> Path:
        return self.path if self.path.is_dir() else self.path.parent

    @property
    def tensors(self) -> dict[str, np.ndarray]:
        return self.weights.tensors


def is_source(name: str) -> bool:
    """Whether ``name`` names weights rather than an architecture."""
    if name.startswith((HUB_PREFIX, LOCAL_PREFIX)):
        return True
    return "/" in name or Path(name).suffix in WEIGHT_SUFFIXES or Path(name).is_dir()


def from_hub(name: str, unprefixed: bool = False, **hub: Any) -> Path:
    """The snapshot of a Hub repository: a zoo model is verified against its checksum; any other
    repository is fetched as the files a weight format may read."""
    from zoo_core.errors import ConfigError
    from zoo_core.hub import NotAZooModel, locate_unprefixed, pull
    from zoo_core.hub.pull import download
    from zoo_core.runformat import zoo_config

    try:
        return locate_unprefixed(name, **hub) if unprefixed else pull(name, **hub).path
    except NotAZooModel:
        return download(name, HUB_PATTERNS, **hub)[1]
    except ConfigError:
        path = download(name, HUB_PATTERNS, **hub)[1]
        if zoo_config(path) is not None:  # zoo's own config, of the wrong shape
            raise
        return path  # a config.json of another library (timm's keeps a pretrained_cfg)


def local_path(source: str, **hub: Any) -> Path:
    """The local file or folder ``source`` names, downloading a Hub repository first."""
    if source.startswith(HUB_PREFIX):
        return from_hub(source[len(HUB_PREFIX) :], **hub)
    path = Path(source[len(LOCAL_PREFIX) :] if source.startswith(LOCAL_PREFIX) else source)
    if path.exists():
        return path
    from zoo_core.hub.settings import is_repo_id

    if not source.startswith(LOCAL_PREFIX) and is_repo_id(source):
        return from_hub(source, unprefixed=True, **hub)
    registry = get_registry()
    if source.partition(".")[0] in registry.architectures:
        registry.architecture(source)  # a tag is refused by name
        raise UnknownNameError(
            f"{source} is an architecture, not weights: give a run directory, a weights file, "
            "local-dir:PATH or hf-hub:ORG/NAME"
        )
    raise MissingPath(f"{path}: no such run directory, folder or weights file")


def formats(registry: Registry) -> list[WeightFormatSpec]:
    """zoo's own run format (core), then the plugins' formats."""
    from zoo_core.runformat import SPEC

    return [SPEC, *(spec for spec in registry.weight_formats if spec.name != SPEC.name)]


def format_named(name: str, registry: Registry) -> WeightFormatSpec:
    for spec in formats(registry):
        if spec.name == name:
            return spec
    return registry.weight_formats[name]  # the unknown-name error, with suggestions


def detect(path: Path, registry: Registry) -> WeightFormatSpec:
    """The one installed format that recognises ``path``."""
    found = [spec for spec in formats(registry) if resolve(spec.detect)(path)]
    if len(found) == 1:
        return found[0]
    known = ", ".join(spec.name for spec in formats(registry))
    if not found:
        raise WeightsError(
            f"{path}: not a weight format zoo knows (installed formats: {known}); "
            "see docs/weights.md"
        )
    names = ", ".join(spec.name for spec in found)
    raise WeightsError(f"{path}: matches several weight formats ({names}); pass --format")


def read(
    source: str, registry: Registry | None = None, fmt: str | None = None, **hub: Any
) -> tuple[Path, WeightFormatSpec, ReadWeights]:
    """Locate, recognise (or take ``fmt``) and read ``source``."""
    registry = registry or get_registry()
    path = local_path(source, **hub)
    spec = format_named(fmt, registry) if fmt else detect(path, registry)
    if fmt and not resolve(spec.detect)(path):
        raise WeightsError(f"{path}: not in weight format {fmt!r} ({spec.description})")
    return path, spec, resolve(spec.read)(path)


def open_source(
    source: str,
    registry: Registry | None = None,
    fmt: str | None = None,
    architecture: str | None = None,
    labels: list[str] | None = None,
    **hub: Any,
) -> Opened:
    """Read ``source`` and describe its model as a zoo ``config.json`` would."""
    registry = registry or get_registry()
    path, spec, weights = read(source, registry, fmt, **hub)
    if weights.config is not None and architecture is None and labels is None:
        config = weights.config
    else:
        config = foreign_config(source, spec, weights, registry, architecture, labels)
    return Opened(source, path, spec, weights, config)


def provenance(source: str, spec: WeightFormatSpec, weights: ReadWeights) -> dict[str, Any]:
    """Where the weights came from: format, original file and its sha256, what was dropped."""
    return {
        "source": source,
        "format": spec.name,
        "file": str(weights.file.absolute()),
        "sha256": sha256_of(weights.file),
        "dropped": dict(weights.dropped),
        **weights.origin,
    }


def foreign_config(
    source: str,
    spec: WeightFormatSpec,
    weights: ReadWeights,
    registry: Registry,
    architecture: str | None,
    labels: list[str] | None,
) -> dict[str, Any]:
    """A zoo ``config.json`` for weights some other code wrote."""
    base = weights.config or {}
    name = architecture or base.get("architecture") or weights.architecture
    name = name or infer_architecture(weights.tensors, registry, weights.file)
    arch = registry.architecture(name)
    options = {**arch.options}
    if name == (base.get("architecture") or weights.architecture):
        options.update(base.get("architecture_options") or weights.architecture_options)
    num_classes = weights.num_classes or classifier_classes(weights.tensors, arch.classifier)
    if num_classes is None:
        raise WeightsError(f"{weights.file}: has no {arch.classifier}.weight to count classes by")
    names = list(labels or base.get("label_names") or weights.label_names or ())
    names = names or [f"class_{index}" for index in range(num_classes)]
    if len(names) != num_classes:
        raise InvalidValue(
            f"{weights.file}: {len(names)} label names for a classifier of {num_classes} classes"
        )
    from zoo_core.plugins import distribution_version

    return {
        "architecture": arch.name,
        "architecture_options": options,
        "head": list(base.get("head") or []),
        "head_kind": base.get("head_kind", "mlp"),
        "head_dropout": float(base.get("head_dropout", 0.0)),
        "num_classes": num_classes,
        "label_names": names,
        "input_size": list(base.get("input_size") or weights.input_size or arch.input_size),
        "mean": list(base.get("mean") or weights.mean or arch.mean),
        "std": list(base.get("std") or weights.std or arch.std),
        "framework": base.get("framework") or spec.framework,
        "plugin": {
            "distribution": arch.distribution,
            "version": distribution_version(arch.distribution),
        },
        "source": provenance(source, spec, weights),
        "results": base.get("results") or {},
    }


def classifier_classes(tensors: dict[str, np.ndarray], classifier: str) -> int | None:
    for name in (f"{classifier}.weight", f"{classifier}.out.weight"):
        if name in tensors:
            return int(tensors[name].shape[0])
    return None


def infer_architecture(tensors: dict[str, np.ndarray], registry: Registry, where: Path) -> str:
    """The one installed architecture whose shape manifest the tensors fill exactly."""
    found = []
    for arch in registry.architectures:
        if not arch.parameter_shapes:
            continue
        shapes = resolve(arch.parameter_shapes)(**arch.options)
        prefix = f"{arch.classifier}."
        trained = {
            name: tuple(array.shape)
            for name, array in tensors.items()
            if not name.startswith(prefix) and not name.endswith(STATISTICS)
        }
        if trained == {name: tuple(shape) for name, shape in shapes.items()}:
            found.append(arch.name)
    if len(found) == 1:
        return found[0]
    hint = f"match {', '.join(found)}" if found else "match no installed architecture"
    raise UnknownNameError(f"{where}: its tensors {hint}; pass --arch NAME")


def element_count(tensors: dict[str, np.ndarray]) -> int:
    return sum(math.prod(array.shape) for array in tensors.values())
