"""Reading TOML tables into the schema's dataclasses, with one clear message per mistake.

Types come from the dataclass annotations: ``str``, ``int``, ``float``, ``bool``, ``X | Y``,
``tuple[X, ...]`` (a list, or a single ``X`` at the top of a field), nested dataclasses and
``dict[str, Any]`` (a table taken as it is); ``X | None`` is a field that may be left out (its
default, None, is filled in later).
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from typing import Any, TypeVar

from zoo_core.recipes.errors import RecipeError

T = TypeVar("T")
_SCALARS: dict[Any, tuple[str, str]] = {
    bool: ("true or false", "booleans"),
    int: ("an integer", "integers"),
    float: ("a number", "numbers"),
    str: ("a string", "strings"),
}


class _Mismatch(Exception):
    """A value that does not fit the expected type (turned into a RecipeError by the caller)."""


def _alternatives(hint: Any) -> tuple[Any, ...]:
    """The types a value may have; ``None`` (a field's "not given" default) is none of them."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return tuple(option for option in typing.get_args(hint) if option is not type(None))
    return (hint,)


def _item_type(hint: Any) -> Any | None:
    """``X`` for ``tuple[X, ...]``, else None."""
    if typing.get_origin(hint) is tuple:
        return typing.get_args(hint)[0]
    return None


def describe(hint: Any, plural: bool = False) -> str:
    """How a type reads in a message: ``"an integer or a list of integers"``."""
    options = _alternatives(hint)
    if int in options and float in options:
        options = tuple(option for option in options if option is not int)
    if len(options) > 1:
        return " or ".join(describe(option, plural) for option in options)
    hint = options[0]
    if hint in _SCALARS:
        return _SCALARS[hint][plural]
    item = _item_type(hint)
    if item is not None:
        return f"lists of {describe(item, True)}" if plural else f"a list of {describe(item, True)}"
    if dataclasses.is_dataclass(hint) or typing.get_origin(hint) is dict:
        return "tables" if plural else "a table"
    return str(hint)


def describe_field(hint: Any) -> str:
    """Like :func:`describe`, adding that a list-typed field also takes one item."""
    item = _item_type(hint)
    if item is None:
        return describe(hint)
    return f"{describe(item)} or {describe(hint)}"


def _is_single_item(item: Any, value: Any) -> bool:
    """Whether a list ``value`` is one item of a list of lists (a head, not a list of heads)."""
    if _item_type(item) is None:
        return not isinstance(value, list)
    return isinstance(value, list) and not any(isinstance(part, list) for part in value)


def _convert(hint: Any, value: Any, top: bool, where: str, file: str) -> Any:
    for option in _alternatives(hint):
        try:
            return _convert_one(option, value, top, where, file)
        except _Mismatch:
            continue
    raise _Mismatch


def _convert_one(hint: Any, value: Any, top: bool, where: str, file: str) -> Any:
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise _Mismatch
    if hint is int or hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Mismatch
        if hint is int and not isinstance(value, int):
            raise _Mismatch
        return hint(value)
    if hint is str:
        if isinstance(value, str):
            return value
        raise _Mismatch
    item = _item_type(hint)
    if item is not None:
        if top and _is_single_item(item, value):
            return (_convert(item, value, False, where, file),)
        if not isinstance(value, list):
            raise _Mismatch
        if dataclasses.is_dataclass(item):
            return tuple(
                from_table(item, part, f"[[{where}]] #{number}", file)
                for number, part in enumerate(value, 1)
            )
        return tuple(_convert(item, part, False, where, file) for part in value)
    if dataclasses.is_dataclass(hint):
        return from_table(hint, value, f"[{where}]", file)
    if typing.get_origin(hint) is dict:  # a free-form table: a plugin's options
        if not isinstance(value, dict):
            raise _Mismatch
        return dict(value)
    raise TypeError(f"unsupported schema type {hint!r}")  # a bug in the schema, not the file


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def from_table(cls: type[T], table: Any, where: str, file: str) -> T:
    """Build ``cls`` from a TOML table; ``where`` is how the table reads in messages
    (``"[train]"``, ``"[[sweep]] #2"``, ``""`` for the whole file)."""
    label = f"{file}: {where} " if where else f"{file}: "
    if not isinstance(table, dict):
        raise RecipeError(f"{label.rstrip()} must be a table, got {_shown(table)}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in table:
        if key not in fields:
            close = difflib.get_close_matches(key, fields, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            kind = "section" if not where else "key"
            raise RecipeError(
                f"{label}unknown {kind} {key!r}{hint}; allowed: {', '.join(sorted(fields))}"
            )
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        hint = hints[name]
        if name not in table:
            required = (
                spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
            )
            if required and not where:
                raise RecipeError(f"{file}: missing section [{name}]")
            if required:
                raise RecipeError(f"{label}{name} is required: {describe_field(hint)}")
            continue
        try:
            values[name] = _convert(hint, table[name], True, name, file)
        except _Mismatch:
            raise RecipeError(
                f"{label}{name} = {_shown(table[name])}: expected {describe_field(hint)}"
            ) from None
    return cls(**values)


def to_table(obj: Any) -> Any:
    """The TOML/JSON form of a schema dataclass, leaving out fields at their default, so that
    :func:`from_table` reads it back equal."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        table = {}
        for spec in dataclasses.fields(obj):
            value = getattr(obj, spec.name)
            default = (
                spec.default_factory()
                if spec.default_factory is not dataclasses.MISSING
                else spec.default
            )
            if value != default:
                table[spec.name] = to_table(value)
        return table
    if isinstance(obj, tuple | list):
        return [to_table(part) for part in obj]
    return obj
