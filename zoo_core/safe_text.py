"""Untrusted text (from a config.json, a Hub repository, a plugin) made safe to show or paste.

A downloaded config.json may hold terminal escape sequences (which can rewrite what the screen
shows), rich markup (which rich would interpret) or shell metacharacters (which a suggested
command would run). Text goes through one of these before it reaches the user.
"""

from __future__ import annotations

import re
import shlex
import unicodedata

_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|.)?")


def for_terminal(text: object) -> str:
    """``text`` without escape sequences or control characters (tabs and newlines become
    spaces), safe for ``print``."""
    cleaned = _ESCAPE_SEQUENCE.sub("", str(text))
    return "".join(
        " " if char in "\t\n\r" else char
        for char in cleaned
        if char in "\t\n\r" or not unicodedata.category(char).startswith("C")
    )


def for_rich(text: object) -> str:
    """``text`` safe for a rich console: :func:`for_terminal`, then markup escaped."""
    from rich.markup import escape

    return escape(for_terminal(text))


def for_shell(text: object) -> str:
    """``text`` as one shell word, for a command the user is told to run."""
    return shlex.quote(for_terminal(text))
