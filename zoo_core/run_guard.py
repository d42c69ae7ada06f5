"""``zoo train --out``: never into someone else's files, and never a half-made run left behind.

The output folder must be new, empty, or a zoo run (to ``--resume``, or refused by the training
itself). If training stops before its first epoch is saved (Ctrl-C, an error), what this
invocation wrote is removed, so a rerun starts clean; after that the run keeps its last finished
epoch and ``--resume`` continues it.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zoo_core.errors import PathInUse, WrongKindOfPath
from zoo_core.paths import folder_to_write
from zoo_core.rundir import RunDir
from zoo_core.safe_text import for_shell, for_terminal


def check_out(path: Path) -> None:
    """``path`` can hold a run: nothing there, an empty folder, or a zoo run."""
    if path.exists() and not path.is_dir():
        raise WrongKindOfPath(f"--out {path}: a file, not a run directory")
    folder_to_write(path, "run directory")
    if path.is_dir() and any(path.iterdir()) and not RunDir(path).exists():
        raise PathInUse(
            f"--out {path}: a folder that is not empty and not a zoo run (no config.json); "
            "zoo train writes only into a new or empty folder, or a run it continues"
        )


@contextmanager
def run_or_nothing(path: Path) -> Iterator[None]:
    """Check ``path`` (:func:`check_out`), then train inside; on failure before the first epoch
    is saved, remove what was written."""
    check_out(path)
    existed, had_run = path.exists(), RunDir(path).exists()
    try:
        yield
    except BaseException:
        run = RunDir(path)
        if had_run or run.state_path.is_file():
            if run.state_path.is_file() and isinstance(sys.exc_info()[1], KeyboardInterrupt):
                print(
                    for_terminal(
                        f"zoo: {path} keeps its last finished epoch; continue it with "
                        f"zoo train … --resume --out {for_shell(path)}"
                    ),
                    file=sys.stderr,
                )
        elif not existed:
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_dir():  # it was empty: everything in it is this run's
            for child in path.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        raise
