"""Exit codes and error lines: what every ``zoo`` command, built-in or plugin, ends with.

The app runs in the CLI library's standalone mode, so click (inside typer) prints its own usage
errors (exit 2) and turns ``typer.Exit(code)`` into that exit code. Around it only
``SystemExit``, :class:`~zoo_core.errors.ZooError` and interrupts are caught; no click or typer
class is named, so this works whichever click typer carries.

    0 ok · 1 error (``zoo: error: …``) · 2 usage · 130 interrupted (Ctrl-C)

Anything else is a bug: one ``zoo: internal error`` line, the traceback only with ``ZOO_DEBUG=1``.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from zoo_core.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, ZooError

DEBUG_VARIABLE = "ZOO_DEBUG"
EXPECTED_OS_ERRORS = (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError)


def debug_mode() -> bool:
    return os.environ.get(DEBUG_VARIABLE, "").lower() in ("1", "true", "yes")


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def error_line(error: BaseException) -> str:
    from zoo_core.safe_text import for_terminal

    return f"zoo: error: {for_terminal(one_line(error))}"


@contextmanager
def sigint_watch() -> Iterator[list[bool]]:
    """Record whether SIGINT arrived (it still raises ``KeyboardInterrupt`` as usual), so the
    exit code is 130 whatever the CLI library makes of the interrupt."""
    seen = [False]

    def handler(signum: int, frame: Any) -> None:
        seen[0] = True
        signal.default_int_handler(signum, frame)

    previous = signal.getsignal(signal.SIGINT)
    # ignored (a background job), taken by the caller, or not the main thread: leave it alone
    if previous is not signal.default_int_handler or not is_main_thread():
        yield seen
        return
    signal.signal(signal.SIGINT, handler)
    try:
        yield seen
    finally:
        signal.signal(signal.SIGINT, previous)


def is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def exit_status(exit_: SystemExit) -> int:
    code = exit_.code
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    say(f"zoo: error: {code}")
    return EXIT_ERROR


def internal_error(error: BaseException) -> int:
    if debug_mode():
        traceback.print_exception(error)
    say(
        f"zoo: internal error: {type(error).__name__}: {one_line(error)[:300]} — this is a bug, "
        f"please report it (set {DEBUG_VARIABLE}=1 for the traceback)"
    )
    return EXIT_ERROR


def run_cli(build: Callable[[], Any], args: list[str] | None = None) -> int:
    """Build the app (loading plugins) and run it; return the process exit status."""
    with sigint_watch() as interrupted:
        try:
            build()(args=args, prog_name="zoo")
            status = EXIT_OK
        except SystemExit as exit_:
            status = exit_status(exit_)
        except KeyboardInterrupt:
            status = EXIT_INTERRUPTED
        except ZooError as error:
            if debug_mode():
                traceback.print_exception(error)
            say(error_line(error))
            status = error.exit_code
        except EXPECTED_OS_ERRORS as error:
            say(error_line(error))
            status = EXIT_ERROR
        except Exception as error:  # noqa: BLE001 - a bug: reported as one, not as a traceback
            status = internal_error(error)
        if interrupted[0] or status == EXIT_INTERRUPTED:
            say("zoo: interrupted")
            return EXIT_INTERRUPTED
        return status


def expected_errors() -> tuple[type[BaseException], ...]:
    """The errors a process reports as ``zoo: error: …`` (kept for callers from before
    :class:`~zoo_core.errors.ZooError`; catch ``ZooError`` instead)."""
    return (ZooError,)
