"""``zoo run`` and ``zoo results`` (recipes)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer

RECIPES_OUT = Path("runs") / "recipes"


def run_command(
    recipe: Path = typer.Argument(..., help="Recipe file, e.g. recipes/demo/paper_tables.toml."),
    data: str = typer.Option(
        None, help="Dataset folder (detected) or name, instead of the recipe's dataset."
    ),
    dataset: str = typer.Option(None, help="Read --data as this dataset (see 'zoo list')."),
    seeds: int = typer.Option(None, help="Run seeds 0..N-1 instead of the recipe's seeds."),
    out: Path = typer.Option(
        None, help="Output folder (default: runs/recipes/NAME, NAME from the recipe)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Validate, print the settings and list the runs; train nothing."
    ),
) -> None:
    """Run every experiment of a recipe (resuming an interrupted sweep), then write its tables."""
    from zoo_core.recipes import build_report, make_plan, render_markdown, run_plan, write_report
    from zoo_core.recipes.runner import describe, status
    from zoo_core.registry import get_registry

    plan = make_plan(recipe, get_registry(), data=data, seeds=seeds, dataset=dataset)
    out = out or RECIPES_OUT / plan.recipe.recipe.name
    if dry_run:
        from zoo_core.recipes.defaults import settings_lines

        for line in settings_lines(plan.recipe, plan.origins):
            typer.echo(line)
        for experiment in plan.experiments:
            state = status(plan, experiment, plan.run_dir(out, experiment))
            typer.echo(f"{state.value:9} {describe(experiment)} → {plan.run_dir(out, experiment)}")
        return
    started = time.monotonic()
    run_plan(plan, out)
    report = build_report(plan, out)
    written = write_report(report, out)
    typer.echo(render_markdown(report))
    minutes = (time.monotonic() - started) / 60
    typer.echo(f"wrote {', '.join(str(path) for path in written)} ({minutes:.1f} min)", err=True)


def results_command(
    out: Path = typer.Argument(..., help="A folder written by 'zoo run'."),
    as_json: bool = typer.Option(False, "--json", help="Print results.json instead."),
) -> None:
    """Print the tables of a sweep again, from its run directories (finished runs so far)."""
    from zoo_core.recipes import build_report, load_plan, render_markdown
    from zoo_core.recipes.report import render_json

    report = build_report(load_plan(out), out)
    if as_json:
        json.dump(render_json(report), sys.stdout, indent=2)
        typer.echo()
        return
    typer.echo(render_markdown(report), nl=False)


def register(app: typer.Typer) -> None:
    app.command("run")(run_command)
    app.command("results")(results_command)
