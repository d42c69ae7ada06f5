"""A rich progress bar for one epoch: images/s, loss and ETA."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)


@contextmanager
def epoch_progress(
    total: int, label: str, enabled: bool = True
) -> Iterator[Callable[[int, float], None]]:
    """Yield ``advance(images, loss)``; shows images/s, running loss and ETA on stderr."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]:.1f} img/s · loss {task.fields[loss]:.4f}"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=not enabled,
    )
    task = progress.add_task(label, total=total, rate=0.0, loss=0.0)

    def advance(images: int, loss: float) -> None:
        elapsed = progress.tasks[task].elapsed or 1e-9
        done = progress.tasks[task].completed + images
        progress.update(task, advance=images, rate=done / elapsed, loss=loss)

    with progress:
        yield advance
