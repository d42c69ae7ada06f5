"""The one error model: every expected failure is a :class:`ZooError`.

An expected failure is the user's input or environment, not a bug: a missing file, a malformed
config.json, an unknown name, an unreadable image, a plugin that is not installed. Its message
names the file or the name and what is wrong; the CLI prints it as one ``zoo: error: …`` line and
exits with :attr:`ZooError.exit_code`. Anything that is not a ``ZooError`` is a bug and is
reported as one.

The subclasses keep a standard base (``ValueError``, ``LookupError``, ``FileNotFoundError`` …) too,
so ``except ValueError`` around a bad value keeps working. Errors of one area live with their
area (``zoo_core.data.DataError``, ``zoo_core.hub.HubError`` …) and derive from this module.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class ZooError(Exception):
    """An expected failure; its message is shown to the user as ``zoo: error: <message>``."""

    exit_code: int = EXIT_ERROR


class UsageError(ZooError, ValueError):
    """A command used wrongly in a way its option types could not catch (exit 2)."""

    exit_code = EXIT_USAGE


class InvalidValue(ZooError, ValueError):
    """A value given on the command line, in a file or by a plugin that is out of its domain."""


class ConfigError(InvalidValue):
    """A config.json (of a run, a pull, an import) that does not fit the schema zoo reads."""


class MissingPath(ZooError, FileNotFoundError):
    """A file or folder that does not exist."""


class WrongKindOfPath(ZooError, NotADirectoryError):
    """A file where a folder is expected, or a folder where a file is expected."""


class PathInUse(ZooError, FileExistsError):
    """A destination that already holds something zoo must not overwrite."""


class TrainingError(ZooError, RuntimeError):
    """A run that cannot start or continue (existing run directory, mismatching resume…)."""
