"""``zoo push`` and ``zoo pull`` (Hugging Face Hub)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Hub commands are added by the Hub work; nothing yet."""
