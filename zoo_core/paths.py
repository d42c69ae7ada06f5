"""Paths given by the user, checked for existing and being the right kind (file or folder)."""

from __future__ import annotations

from pathlib import Path

from zoo_core.errors import MissingPath, WrongKindOfPath


def existing_folder(path: str | Path, what: str = "folder") -> Path:
    """``path`` if it is a folder; otherwise an error naming it and what it is instead."""
    path = Path(path)
    if path.is_dir():
        return path
    if path.exists():
        raise WrongKindOfPath(f"{path}: a file, not a {what}")
    raise MissingPath(f"{path}: no such {what}")


def existing_file(path: str | Path, what: str = "file") -> Path:
    """``path`` if it is a file; otherwise an error naming it and what it is instead."""
    path = Path(path)
    if path.is_file():
        return path
    if path.is_dir():
        raise WrongKindOfPath(f"{path}: a folder, not a {what}")
    raise MissingPath(f"{path}: no such {what}")


def folder_to_write(path: str | Path, what: str = "folder to write into") -> Path:
    """``path`` if it is a folder or can become one (nothing there, or a folder above it)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise WrongKindOfPath(f"{path}: a file, not a {what}")
    for part in path.parents:
        if part.exists() and not part.is_dir():
            raise WrongKindOfPath(f"{path}: {part} is a file, so it cannot hold a {what}")
        if part.is_dir():
            break
    return path


def file_to_write(path: str | Path, what: str = "output file") -> Path:
    """``path`` if a file can be written there (it is not a folder, nor below a file)."""
    path = Path(path)
    if path.is_dir():
        raise WrongKindOfPath(f"{path}: a folder, not a {what}")
    folder_to_write(path.parent, f"folder for the {what}")
    return path
