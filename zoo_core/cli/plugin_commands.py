"""Plugin commands (``zoo_commands``), added so that no plugin can break or take over the CLI.

Each plugin's hook is called on its own with the real app; what it added is then checked: the
hook returns nothing, every new command builds (so ``zoo --help`` cannot fail later), the root
callback is untouched, and no new name is one already taken — a core command's, or an earlier
plugin's (plugins are called in the order of :func:`zoo_core.registry.precedence`). A clashing
command is dropped with a warning, the first owner keeps its name; any other fault undoes all
the plugin added and disables it with one warning line (an error in strict mode).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from zoo_core.plugins import HookValueError, PluginInfo
from zoo_core.registry import Registry, precedence
from zoo_core.safe_text import for_terminal


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


def command_names(app: typer.Typer) -> dict[str, str]:
    """``{command name: owner}`` for the commands the app has now."""
    names = {entry_name(e, "command", False): "zoo" for e in app.registered_commands}
    names.update({entry_name(e, "group", False): "zoo" for e in app.registered_groups})
    return names


@contextmanager
def guarded(app: typer.Typer, info: PluginInfo, taken: dict[str, str]) -> Iterator[None]:
    """Let one plugin's ``zoo_commands`` run; keep only what it may add."""
    commands, groups = list(app.registered_commands), list(app.registered_groups)
    callback = app.registered_callback

    def undo() -> None:
        app.registered_commands[:] = commands
        app.registered_groups[:] = groups
        app.registered_callback = callback

    try:
        yield
        if app.registered_callback is not callback:
            raise HookValueError("replaced zoo's own options (app.callback); not allowed")
        if app.registered_commands[: len(commands)] != commands or (
            app.registered_groups[: len(groups)] != groups
        ):
            raise HookValueError("removed or replaced commands it did not add; not allowed")
        added = [(e, "command") for e in app.registered_commands[len(commands) :]]
        added += [(e, "group") for e in app.registered_groups[len(groups) :]]
        try:
            named = [(entry, kind, entry_name(entry, kind)) for entry, kind in added]
        except Exception as error:  # noqa: BLE001 - typer refuses the command: its fault
            problem = f"{type(error).__name__}: {error}"
            raise HookValueError(
                f"added a command whose help cannot be shown ({problem})"
            ) from error
    except BaseException:
        undo()
        raise
    undo()
    owner = f"{info.distribution} (plugin {info.name})"
    for entry, kind, name in named:
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
        (app.registered_commands if kind == "command" else app.registered_groups).append(entry)


def add_plugin_commands(app: typer.Typer, registry: Registry) -> None:
    """Every enabled plugin's commands, checked; a plugin disabled here loses its specs too."""
    taken = command_names(app)
    failed = {name for name, info in registry.host.infos.items() if not info.ok}
    registry.host.collect(
        "zoo_commands", around=lambda info: guarded(app, info, taken), order=precedence, app=app
    )
    if {name for name, info in registry.host.infos.items() if not info.ok} != failed:
        registry.build_catalogs()
