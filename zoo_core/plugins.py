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
import typing
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import pluggy

from zoo_core import hookspecs
from zoo_core.errors import ZooError

GROUP = "zoo"
BUILTIN_DISTRIBUTION = "zoo"
"""The distribution of zoo itself, whose built-in plugins keep their names in a clash."""


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


def selected_order() -> list[str]:
    """The plugins ``ZOO_PLUGINS`` names, in its order (first wins a name clash)."""
    return [name.strip() for name in os.environ.get("ZOO_PLUGINS", "").split(",") if name.strip()]


def selected_plugins() -> set[str] | None:
    if os.environ.get("ZOO_PLUGINS") is None:
        return None
    return set(selected_order())


class PluginHost:
    """A pluggy PluginManager plus the bookkeeping of what loaded and what failed."""

    def __init__(self, strict: bool | None = None) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.strict = strict_mode() if strict is None else strict
        self.infos: dict[str, PluginInfo] = {}

    def fail(self, info: PluginInfo, error: BaseException, where: str) -> None:
        from zoo_core.safe_text import for_terminal

        info.status = "error"
        what = (
            str(error) if isinstance(error, HookValueError) else f"{type(error).__name__}: {error}"
        )
        info.error = for_terminal(f"{where}: {what}")
        if self.strict:
            raise PluginError(f"plugin {info.name!r} ({info.distribution}) {info.error}") from error
        print(f"zoo: warning: plugin {info.name!r} disabled — {info.error}", file=sys.stderr)

    def info_of(self, name: str) -> PluginInfo:
        return self.infos.get(name) or PluginInfo(name, "", "")

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

    def collect(
        self,
        hook_name: str,
        around: Callable[[PluginInfo], AbstractContextManager[Any]] | None = None,
        order: Callable[[PluginInfo], Any] | None = None,
        **kwargs: Any,
    ) -> list[tuple[PluginInfo, Any]]:
        """Call one hook on every plugin separately; a plugin that raises or returns what the
        hookspec does not promise is warned about and disabled. ``around(info)`` wraps each call
        (it may check what the call did and raise). Returns ``(plugin info, item)`` for every
        item every plugin returned. Plugins are called in registration order, or ``order``'s."""
        caller: Callable[..., Any] = getattr(self.pm.hook, hook_name)
        promised = promised_items(hook_name)
        results: list[tuple[PluginInfo, Any]] = []
        calls = [(self.info_of(impl.plugin_name), impl) for impl in caller.get_hookimpls()]
        if order is not None:
            calls.sort(key=lambda call: order(call[0]))
        for info, impl in calls:
            if not info.ok:
                continue
            try:
                with around(info) if around else nullcontext():
                    try:
                        returned = impl.function(**{arg: kwargs[arg] for arg in impl.argnames})
                        items = checked_items(returned, promised)
                    except HookValueError:
                        raise
                    except Exception as error:
                        raise HookRaised(error) from error
            except HookRaised as raised:
                self.fail(info, raised.error, f"hook {hook_name} raised")
                continue
            except Exception as error:  # noqa: BLE001 - a bad value (or check) isolates it too
                self.fail(info, error, f"hook {hook_name}")
                continue
            results.extend((info, item) for item in items)
        return results


class HookRaised(Exception):
    """Carries what a hook implementation raised past the checks around it."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


class HookValueError(TypeError):
    """A hook returned something its hookspec does not allow."""


NOTHING = object()
"""The promise of a hook that returns nothing (``-> None``)."""


def promised_items(hook_name: str) -> Any:
    """The item type a hook's spec promises an iterable of, :data:`NOTHING` for ``-> None``,
    or ``None`` where the annotation says neither (then anything goes)."""
    spec = getattr(hookspecs, hook_name, None)
    try:
        hint = typing.get_type_hints(spec)["return"] if spec else None
    except Exception:  # noqa: BLE001 - an unresolvable annotation promises nothing checkable
        return None
    if hint is type(None):
        return NOTHING
    origin = typing.get_origin(hint)
    if isinstance(origin, type) and issubclass(origin, Iterable) and typing.get_args(hint):
        item = typing.get_args(hint)[0]
        return item if isinstance(item, type) else None
    return None


def checked_items(returned: Any, promised: Any) -> list[Any]:
    """What a hook returned, as a list, once it is what the hookspec promises."""
    if promised is NOTHING:
        if returned is not None:
            raise HookValueError(f"returned {describe(returned)}; this hook must return nothing")
        return []
    if returned is None:
        return []
    if isinstance(returned, str | bytes | dict) or not isinstance(returned, Iterable):
        wanted = promised.__name__ if isinstance(promised, type) else "items"
        raise HookValueError(f"returned {describe(returned)}, not a list of {wanted}")
    items = list(returned)
    if isinstance(promised, type):
        for item in items:
            if not isinstance(item, promised):
                raise HookValueError(
                    f"returned a list holding {describe(item)}, not only {promised.__name__}"
                )
            name = getattr(item, "name", "?")
            if not isinstance(name, str) or not name:
                raise HookValueError(f"returned a {promised.__name__} whose name is {name!r}")
    return items


def describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def distribution_version(name: str) -> str:
    """The installed version of distribution ``name``, or ``""``."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""
