"""The one error type of recipes: a recipe that cannot be read, validated, run or reported."""

from __future__ import annotations

from zoo_core.errors import ZooError


class RecipeError(ZooError, ValueError):
    """A bad recipe or sweep; the message names the file, the key and what is allowed."""
