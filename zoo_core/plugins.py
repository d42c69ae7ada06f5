"""Finding, loading and isolating plugins.

Every plugin, built-in or not, is a distribution's entry point in the group ``zoo``. A plugin that
fails to import, implements a misspelt hook, or raises inside a hook costs one warning line on
stderr and is left out; ``ZOO_STRICT_PLUGINS=1`` turns that into an error. ``ZOO_PLUGINS`` (a
comma-separated list of entry-point names) loads only those plugins.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pluggy

from zoo_core import hookspecs
from zoo_core.errors import ZooError

GROUP = "zoo"


class PluginError(ZooError):
    """A plugin failed while strict mode (``ZOO_STRICT_PLUGINS=1``) was on."""


@dataclass
class PluginInfo:
    """What ``zoo plugins`` shows for one plugin."""

    name: str
    distribution: str
    version: str
    hooks: list[str] = field(default_factory=list)
    status: str = "ok"
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def strict_mode() -> bool:
    return os.environ.get("ZOO_STRICT_PLUGINS", "").lower() in ("1", "true", "yes")


def selected_plugins() -> set[str] | None:
    value = os.environ.get("ZOO_PLUGINS")
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


class PluginHost:
    """A pluggy PluginManager plus the bookkeeping of what loaded and what failed."""

    def __init__(self, strict: bool | None = None) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.strict = strict_mode() if strict is None else strict
        self.infos: dict[str, PluginInfo] = {}

    def fail(self, info: PluginInfo, error: BaseException, where: str) -> None:
        info.status = "error"
        info.error = f"{where}: {type(error).__name__}: {error}"
        if self.strict:
            raise PluginError(f"plugin {info.name!r} ({info.distribution}) {info.error}") from error
        print(f"zoo: warning: plugin {info.name!r} disabled — {info.error}", file=sys.stderr)

    def register(self, plugin: Any, name: str, distribution: str = "", version: str = "") -> bool:
        """Register one plugin object; a misspelt hook (``check_pending``) disables it."""
        info = PluginInfo(name=name, distribution=distribution or name, version=version)
        self.infos[name] = info
        try:
            self.pm.register(plugin, name=name)
            self.pm.check_pending()
        except Exception as error:  # noqa: BLE001 - any plugin fault is isolated
            if self.pm.is_registered(plugin):
                self.pm.unregister(plugin)
            self.fail(info, error, "cannot register")
            return False
        info.hooks = sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or [])
        return True

    def load_entry_points(
        self, entry_points: Iterable[importlib.metadata.EntryPoint] | None = None
    ) -> None:
        """Load every ``zoo`` entry point (or those given), honouring ``ZOO_PLUGINS``."""
        if entry_points is None:
            entry_points = importlib.metadata.entry_points(group=GROUP)
        wanted = selected_plugins()
        for entry_point in sorted(entry_points, key=lambda ep: ep.name):
            if wanted is not None and entry_point.name not in wanted:
                continue
            if entry_point.name in self.infos:
                continue
            dist = entry_point.dist
            distribution = dist.metadata["Name"] if dist is not None else entry_point.value
            version = dist.version if dist is not None else ""
            try:
                plugin = entry_point.load()
            except Exception as error:  # noqa: BLE001 - a broken plugin must not take zoo down
                info = PluginInfo(entry_point.name, distribution, version)
                self.infos[entry_point.name] = info
                self.fail(info, error, f"cannot import {entry_point.value!r}")
                continue
            self.register(plugin, entry_point.name, distribution, version)

    def collect(self, hook_name: str, **kwargs: Any) -> list[tuple[PluginInfo, Any]]:
        """Call one hook on every plugin separately; a plugin that raises is warned about and
        skipped. Returns ``(plugin info, item)`` for every item every plugin returned."""
        caller: Callable[..., Any] = getattr(self.pm.hook, hook_name)
        results: list[tuple[PluginInfo, Any]] = []
        for impl in caller.get_hookimpls():  # registration order
            info = self.infos.get(impl.plugin_name) or PluginInfo(impl.plugin_name, "", "")
            if not info.ok:
                continue
            try:
                returned = impl.function(**{arg: kwargs[arg] for arg in impl.argnames})
            except Exception as error:  # noqa: BLE001 - isolate the faulty plugin
                self.fail(info, error, f"hook {hook_name} raised")
                continue
            for item in returned or ():
                results.append((info, item))
        return results
