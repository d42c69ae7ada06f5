"""What the conformance kit checks: the plugin under test, its architectures, and the cases."""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from zoo_core.plugins import PluginHost
from zoo_core.registry import Registry
from zoo_core.specs import HeadConfig


class ConformanceError(AssertionError):
    """A plugin that breaks one of zoo's contracts; the message names the case and the fault."""


@dataclass(frozen=True)
class Case:
    """One architecture + head, built in one framework."""

    architecture: str
    framework: str
    head: HeadConfig
    num_classes: int

    def __str__(self) -> str:
        return f"{self.architecture}-{self.head}-{self.framework}"


def distribution_of(module: ModuleType) -> str:
    """The installed distribution that ships ``module``, or the module's name if none does."""
    top = module.__name__.split(".", 1)[0]
    names = importlib.metadata.packages_distributions().get(top, [])
    return names[0] if names else top


def plugin_registry(plugin: str) -> tuple[Registry, list[str]]:
    """The registry of every installed plugin plus ``plugin`` (the module its entry point names),
    registered here if no entry point loaded it (a plugin not installed yet); and the names of the
    architectures ``plugin`` provides."""
    module: Any = importlib.import_module(plugin)
    host = PluginHost(strict=False)
    host.load_entry_points()
    if not host.pm.is_registered(module):
        host.register(module, name=plugin, distribution=distribution_of(module))
    name = host.pm.get_name(module)
    info = host.infos.get(name) if name else None
    if info is None or not info.ok:
        raise ConformanceError(f"plugin {plugin!r} did not load: {info.error if info else '?'}")
    hook = getattr(module, "zoo_architectures", None)
    provided = [spec.name for spec in hook()] if hook else []
    return Registry(host), provided


def head_configs(heads: tuple[str, ...]) -> list[HeadConfig]:
    return [HeadConfig.parse(text) for text in heads]


def plugin_cases(
    registry: Registry, architectures: list[str], heads: tuple[str, ...], num_classes: int | None
) -> list[Case]:
    """Every architecture × every framework it claims × every head that framework has."""
    cases = []
    for name in architectures:
        arch = registry.architecture(name)
        classes = num_classes or len(arch.label_names) or 10
        for head in head_configs(heads):
            head_spec = registry.heads[head.kind]
            for framework in arch.frameworks:
                if framework in head_spec.builders:
                    cases.append(Case(name, framework, head, classes))
    return cases


def framework_pairs(cases: list[Case]) -> list[tuple[Case, Case]]:
    """Ordered (source, target) pairs of the same architecture + head in two frameworks: both
    directions of every pair of frameworks."""
    return [
        (source, target)
        for source in cases
        for target in cases
        if source.framework != target.framework
        and (source.architecture, source.head) == (target.architecture, target.head)
    ]
