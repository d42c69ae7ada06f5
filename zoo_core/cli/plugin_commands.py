"""Plugin commands (``zoo_commands``), added so that no plugin can break or take over the CLI.

Each plugin's hook is called on its own with the real app; what it added — to the app or to one
of its groups, such as ``zoo data`` — is then checked: the hook returns nothing, every new
command builds and its help texts are text (so ``zoo --help`` cannot fail later), no callback is
replaced, nothing already there is removed, and no new name is one already taken in its group —
a core command's, or an earlier plugin's (plugins are called in the order of
:func:`zoo_core.registry.precedence`). A clashing command is dropped with a warning, the first
owner keeps its name; any other fault undoes all the plugin added and disables it with one
warning line (an error in strict mode).
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from zoo_core.plugins import HookValueError, PluginInfo
from zoo_core.registry import Registry, precedence
from zoo_core.safe_text import for_terminal


def fresh_copy(app: typer.Typer) -> typer.Typer:
    """``app`` and its groups copied, so that adding commands leaves the originals alone (the
    app is built again for each in-process run)."""
    built = copy.copy(app)
    built.registered_commands = list(app.registered_commands)
    built.registered_groups = []
    for group in app.registered_groups:
        group = copy.copy(group)
        if group.typer_instance is not None:
            group.typer_instance = fresh_copy(group.typer_instance)
        built.registered_groups.append(group)
    return built


def entry_name(entry: Any, kind: str, check_help: bool = True) -> str:
    """The name under which a typer command or group entry appears, found by building it alone
    (which proves it builds); with ``check_help``, its help texts are checked too."""
    scratch = typer.Typer()
    scratch.callback()(lambda: None)
    if kind == "command":
        scratch.registered_commands = [entry]
    else:
        scratch.registered_groups = [entry]
    group = typer.main.get_command(scratch)
    (name,) = group.commands  # type: ignore[attr-defined]
    if not isinstance(name, str) or not name:
        raise HookValueError(f"a command named {name!r}")
    if check_help:
        check_texts(group.commands[name])  # type: ignore[attr-defined]
    return name


def check_texts(command: Any, depth: int = 0) -> None:
    """The texts ``--help`` shows are text: a plugin's ``help=123`` would make rendering fail
    for every command. (Cheap attribute checks; rendering everything would slow each start.)"""
    texts = [command.name, command.help, command.short_help, command.epilog]
    for param in command.params:
        texts += [param.name, getattr(param, "help", None), *param.opts, *param.secondary_opts]
    bad = next((text for text in texts if text is not None and not isinstance(text, str)), None)
    if bad is not None:
        raise HookValueError(
            f"command {command.name!r} has a help text or name that is {type(bad).__name__} "
            f"{bad!r}, not text"
        )
    for sub in (getattr(command, "commands", None) or {}).values():
        if depth < 3:
            check_texts(sub, depth + 1)


def typers_of(app: typer.Typer) -> list[typer.Typer]:
    """``app`` and every group's Typer below it."""
    found = [app]
    for group in app.registered_groups:
        if group.typer_instance is not None:
            found += typers_of(group.typer_instance)
    return found


class Owners:
    """Which names each Typer (the app, a group) has, and who added them; filled lazily."""

    def __init__(self) -> None:
        self.by_typer: dict[int, dict[str, str]] = {}

    def of(self, app: typer.Typer, commands: list[Any], groups: list[Any]) -> dict[str, str]:
        if id(app) not in self.by_typer:
            names = {entry_name(e, "command", False): "zoo" for e in commands}
            names.update({entry_name(e, "group", False): "zoo" for e in groups})
            self.by_typer[id(app)] = names
        return self.by_typer[id(app)]


@contextmanager
def guarded(app: typer.Typer, info: PluginInfo, owners: Owners) -> Iterator[None]:
    """Let one plugin's ``zoo_commands`` run; keep only what it may add."""
    before = [
        (
            each,
            list(each.registered_commands),
            list(each.registered_groups),
            each.registered_callback,
        )
        for each in typers_of(app)
    ]

    def undo() -> None:
        for each, commands, groups, callback in before:
            each.registered_commands[:] = commands
            each.registered_groups[:] = groups
            each.registered_callback = callback

    kept: list[tuple[typer.Typer, str, Any, str]] = []
    try:
        yield
        for each, commands, groups, callback in before:
            if each.registered_callback is not callback:
                raise HookValueError("replaced a callback of zoo's own (app.callback); not allowed")
            if each.registered_commands[: len(commands)] != commands or (
                each.registered_groups[: len(groups)] != groups
            ):
                raise HookValueError("removed or replaced commands it did not add; not allowed")
            added = [(e, "command") for e in each.registered_commands[len(commands) :]]
            added += [(e, "group") for e in each.registered_groups[len(groups) :]]
            try:
                named = [(entry, kind, entry_name(entry, kind)) for entry, kind in added]
            except HookValueError:
                raise
            except Exception as error:  # noqa: BLE001 - typer refuses the command: its fault
                problem = f"{type(error).__name__}: {error}"
                raise HookValueError(f"added a command that cannot be built ({problem})") from error
            if named:
                owners.of(each, commands, groups)  # the names it had before this plugin
                kept += [(each, kind, entry, name) for entry, kind, name in named]
    except BaseException:
        undo()
        raise
    undo()
    owner = f"{info.distribution} (plugin {info.name})"
    for each, kind, entry, name in kept:
        taken = owners.by_typer[id(each)]
        if name in taken:
            print(
                for_terminal(
                    f"zoo: warning: command {name!r} from {owner} ignored: {taken[name]} "
                    "already provides it"
                ),
                file=sys.stderr,
            )
            continue
        taken[name] = owner
        (each.registered_commands if kind == "command" else each.registered_groups).append(entry)


def add_plugin_commands(app: typer.Typer, registry: Registry) -> None:
    """Every enabled plugin's commands, checked; a plugin disabled here loses its specs too."""
    owners = Owners()
    owners.of(app, app.registered_commands, app.registered_groups)
    failed = {name for name, info in registry.host.infos.items() if not info.ok}
    registry.host.collect(
        "zoo_commands", around=lambda info: guarded(app, info, owners), order=precedence, app=app
    )
    if {name for name, info in registry.host.infos.items() if not info.ok} != failed:
        registry.build_catalogs()
