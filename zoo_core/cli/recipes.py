"""``zoo run`` and ``zoo results`` (recipes)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Recipe commands are added by the recipes work; nothing yet."""
