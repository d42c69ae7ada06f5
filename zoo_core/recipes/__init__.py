"""Recipes: TOML files naming a study's experiments and tables, run by ``zoo run``.

``make_plan`` reads and validates a recipe, ``run_plan`` trains what is not finished (resumably,
one ``zoo train`` subprocess per experiment), ``build_report`` and ``write_report`` make the tables.
"""

from zoo_core.recipes.errors import RecipeError
from zoo_core.recipes.plan import Plan, load_plan, make_plan, read_recipe
from zoo_core.recipes.report import build_report, render_markdown, write_report
from zoo_core.recipes.runner import run_plan

__all__ = [
    "Plan",
    "RecipeError",
    "build_report",
    "load_plan",
    "make_plan",
    "read_recipe",
    "render_markdown",
    "run_plan",
    "write_report",
]
