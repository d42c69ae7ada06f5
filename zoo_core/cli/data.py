"""``zoo data``: ``zoo data verify`` checks a folder of any dataset whose spec names a ``verify``
function; dataset plugins add their own commands to the group (HaGRID: prepare, synth)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer

app = typer.Typer(
    name="data",
    help="Datasets: verify any dataset folder; dataset plugins add their commands here.",
    no_args_is_help=True,
)


def data_group(root: typer.Typer) -> typer.Typer:
    """The ``zoo data`` group of ``root``, for a plugin's ``zoo_commands`` to add commands to."""
    for group in root.registered_groups:
        if group.name == "data" and group.typer_instance is not None:
            return group.typer_instance
    group = typer.Typer(name="data", help=app.info.help, no_args_is_help=True)
    root.add_typer(group, name="data")
    return group


class Progress:
    """A one-line progress counter on stderr, at most a few updates a second."""

    def __init__(self, what: str) -> None:
        self.what, self.last = what, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - self.last > 0.5:
            self.last = now
            end = "\n" if done == total else ""
            print(f"\r{self.what}: {done:,}/{total:,}", end=end, file=sys.stderr, flush=True)


@app.command()
def verify(
    root: Path = typer.Argument(..., help="A dataset folder (its dataset is detected)."),
    dataset: str = typer.Option(None, help="Check ROOT as this dataset (see 'zoo list')."),
    data_option: list[str] = typer.Option(
        None, "--data-option", "-O", help="Dataset option KEY=VALUE, as for 'zoo train'."
    ),
    skip_images: bool = typer.Option(False, "--skip-images", help="Check annotations only."),
    workers: int = typer.Option(0, "--workers", min=0, help="Decoding threads (0: one per CPU)."),
) -> None:
    """Report every problem of a dataset folder (corrupt or missing image, malformed
    annotation, unknown label…), each with its file; exit 1 if there is any."""
    from zoo_core.cli.training import parse_options
    from zoo_core.data import DataError
    from zoo_core.errors import InvalidValue
    from zoo_core.lazy import resolve
    from zoo_core.registry import get_registry

    registry = get_registry()
    name, folder = registry.resolve_data(str(root), dataset)
    spec = registry.datasets[name]
    if folder is None:
        raise InvalidValue(f"zoo data verify needs a folder; {root} names the dataset {name!r}")
    if not spec.verify:
        raise InvalidValue(f"dataset {name!r} ({spec.distribution}) has no verification")
    progress = Progress("images checked") if sys.stderr.isatty() else None
    check = resolve(spec.verify)
    report = check(folder, parse_options(data_option), not skip_images, workers, progress)
    for problem in report.problems:
        typer.echo(str(problem))
    typer.echo(report.summary())
    if not report.ok:
        raise DataError(f"{root}: {len(report.problems)} problem(s), listed above")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="data")
