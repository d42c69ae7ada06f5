"""The name-driven registry: what the loaded plugins provide, looked up by name."""

from __future__ import annotations

import dataclasses
import difflib
import importlib.util
import sys
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from zoo_core.errors import ZooError
from zoo_core.lazy import resolve
from zoo_core.plugins import BUILTIN_DISTRIBUTION, PluginHost, PluginInfo, selected_order
from zoo_core.safe_text import for_terminal
from zoo_core.specs import (
    ArchitectureSpec,
    DatasetSpec,
    FrameworkSpec,
    HeadConfig,
    HeadSpec,
    WeightFormatSpec,
)

T = TypeVar("T", ArchitectureSpec, HeadSpec, FrameworkSpec, DatasetSpec, WeightFormatSpec)


CATALOG_HOOKS = (
    "zoo_architectures",
    "zoo_heads",
    "zoo_frameworks",
    "zoo_datasets",
    "zoo_weight_formats",
)


def precedence(info: PluginInfo) -> tuple[int, int, str, str]:
    """Who wins a name clash: the order of ``ZOO_PLUGINS`` if it names the plugin, then zoo's
    built-in plugins, then by distribution and plugin name; never the order of installation."""
    chosen = selected_order()
    rank = chosen.index(info.name) if info.name in chosen else len(chosen)
    return (
        rank,
        0 if info.distribution == BUILTIN_DISTRIBUTION else 1,
        info.distribution,
        info.name,
    )


_warned: set[str] = set()


def warn_once(line: str) -> None:
    """A warning on stderr, once per process however often the catalogs are rebuilt."""
    if line not in _warned:
        _warned.add(line)
        print(for_terminal(line), file=sys.stderr)


class UnknownNameError(ZooError, LookupError):
    """A name no loaded plugin provides."""


class FrameworkUnavailable(ZooError, RuntimeError):
    """A framework whose packages are not installed."""


class Catalog(Generic[T]):
    """Specs of one kind by name, each remembering which distribution provided it. When two
    plugins provide one name, the same one wins every time (:func:`precedence`), with a warning
    naming both."""

    def __init__(self, kind: str, items: list[tuple[PluginInfo, T]]) -> None:
        self.kind = kind
        self.items: dict[str, T] = {}
        owners: dict[str, PluginInfo] = {}
        for info, spec in sorted(items, key=lambda pair: precedence(pair[0])):
            if spec.name in self.items:
                kept = owners[spec.name]
                warn_once(
                    f"zoo: warning: {kind} {spec.name!r} from {info.distribution} ignored: "
                    f"{kept.distribution} provides it too (plugins {kept.name!r} and "
                    f"{info.name!r}; ZOO_PLUGINS chooses)"
                )
                continue
            owners[spec.name] = info
            self.items[spec.name] = dataclasses.replace(
                spec, distribution=spec.distribution or info.distribution
            )

    def __getitem__(self, name: str) -> T:
        try:
            return self.items[name]
        except KeyError:
            close = difflib.get_close_matches(name, self.items, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            known = ", ".join(sorted(self.items)) or "none"
            raise UnknownNameError(
                f"unknown {self.kind} {name!r}.{hint} Known: {known}. "
                f"Run 'zoo plugins' to see what is installed."
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self.items

    def __iter__(self):
        return iter(self.items.values())

    def names(self) -> list[str]:
        return sorted(self.items)


class Registry:
    """Architectures, heads, frameworks and datasets from the plugins of one :class:`PluginHost`."""

    def __init__(self, host: PluginHost) -> None:
        self.host = host
        self.collected = {hook: host.collect(hook) for hook in CATALOG_HOOKS}
        self.build_catalogs()

    def build_catalogs(self) -> None:
        """The catalogs from what the plugins still enabled returned; called again after a
        plugin is disabled later (a bad ``zoo_commands``), so nothing of it stays."""

        def enabled(hook: str) -> list[tuple[PluginInfo, Any]]:
            return [(info, spec) for info, spec in self.collected[hook] if info.ok]

        self.architectures: Catalog[ArchitectureSpec] = Catalog(
            "architecture", enabled("zoo_architectures")
        )
        self.heads: Catalog[HeadSpec] = Catalog("head", enabled("zoo_heads"))
        self.frameworks: Catalog[FrameworkSpec] = Catalog("framework", enabled("zoo_frameworks"))
        self.datasets: Catalog[DatasetSpec] = Catalog("dataset", enabled("zoo_datasets"))
        self.weight_formats: Catalog[WeightFormatSpec] = Catalog(
            "weight format", enabled("zoo_weight_formats")
        )

    @property
    def plugins(self) -> list[PluginInfo]:
        return sorted(self.host.infos.values(), key=lambda info: info.name)

    def architecture(self, name: str) -> ArchitectureSpec:
        """Look up ``name``; a timm-style ``name.tag`` is refused by name: zoo architectures come
        untrained, and weights come from a source (``--init``, ``zoo import``)."""
        base, dot, tag = name.partition(".")
        spec = self.architectures[base]
        if dot:
            raise UnknownNameError(
                f"{name}: zoo has no pretrained weights tagged {tag!r} for {base!r}; name the "
                f"architecture {base!r} and give the weights as a source (a file, local-dir:PATH "
                "or hf-hub:ORG/NAME) to --init, zoo import or create_model"
            )
        return spec

    def resolve_data(self, data: str | None, dataset: str | None = None) -> tuple[str, Path | None]:
        """What ``--data`` (a folder or a dataset name) and ``--dataset`` mean: (dataset name,
        folder or None); see :func:`zoo_core.datasets.resolve_data`."""
        from zoo_core.datasets import resolve_data

        return resolve_data(self, data, dataset)

    def framework_available(self, name: str) -> bool:
        spec = self.frameworks[name]
        return all(importlib.util.find_spec(module) is not None for module in spec.requires)

    def require(self, name: str) -> None:
        """Raise :class:`FrameworkUnavailable` if the framework's packages are not installed."""
        spec = self.frameworks[name]
        missing = [m for m in spec.requires if importlib.util.find_spec(m) is None]
        if missing:
            raise FrameworkUnavailable(
                f"framework {name!r} needs {', '.join(missing)}, which is not installed: "
                f"pip install 'zoo[{name}]'"
            )

    def backend(self, name: str) -> Any:
        """The framework's backend object, importing the framework only now."""
        self.require(name)
        return resolve(self.frameworks[name].backend)

    def build(
        self,
        architecture: str,
        framework: str,
        head: HeadConfig | str | None = None,
        num_classes: int | None = None,
        **options: Any,
    ) -> Any:
        """An untrained model of ``architecture`` + ``head`` in ``framework``."""
        arch = self.architecture(architecture)
        head_config = head if isinstance(head, HeadConfig) else HeadConfig.parse(head)
        head_spec = self.heads[head_config.kind]
        for spec, kind in ((arch, "architecture"), (head_spec, "head")):
            if framework not in spec.builders:
                raise UnknownNameError(
                    f"{kind} {spec.name!r} ({spec.distribution}) has no {framework!r} "
                    f"implementation; it supports: {', '.join(spec.builders)}"
                )
        self.backend(framework)  # fails clearly if the framework is missing
        make_head = partial(
            resolve(head_spec.builders[framework]),
            num_classes=num_classes or len(arch.label_names),
            hidden=head_config.hidden,
            dropout=head_config.dropout,
        )
        return resolve(arch.builders[framework])(make_head, **{**arch.options, **options})


_default: Registry | None = None


def get_registry(refresh: bool = False) -> Registry:
    """The registry of all installed plugins, loaded once per process."""
    global _default
    if _default is None or refresh:
        host = PluginHost()
        host.load_entry_points()
        _default = Registry(host)
    return _default


def parameter_count(
    registry: Registry, architecture: str, head: HeadConfig, num_classes: int
) -> int | None:
    """Trainable parameters from the plugins' shape manifests, without importing a framework."""
    import math

    arch = registry.architecture(architecture)
    head_spec = registry.heads[head.kind]
    if not (arch.parameter_shapes and head_spec.parameter_shapes):
        return None
    shapes = dict(resolve(arch.parameter_shapes)(**arch.options))
    head_shapes = resolve(head_spec.parameter_shapes)(arch.num_features, num_classes, head.hidden)
    shapes.update({f"{arch.classifier}.{name}": shape for name, shape in head_shapes.items()})
    return sum(math.prod(shape) for shape in shapes.values())
