"""Reading an image-folder tree: which classes, which files per split, and what was left out.

Layouts (torchvision's ``ImageFolder`` convention):

* ``ROOT/<class>/<image>`` — one tree, split into train and val by seed, per class;
* ``ROOT/train/<class>/<image>``, ``ROOT/val/…`` and optionally ``ROOT/test/…`` — given splits
  (without ``val/``, val is split off train by seed).

Class order: the lines of ``ROOT/classes.txt`` when present, else the folder names sorted. Images
may sit in sub-folders of a class folder. Files whose suffix is not an image's are ignored;
symbolic links that lead out of ``ROOT``, class folders without images and folders that
``classes.txt`` does not list are left out and reported. Pure Python: nothing is decoded here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from zoo_core.data import DataError, Recognition

#: torchvision's ``IMG_EXTENSIONS``.
IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"}
)
SPLITS = ("train", "val", "test")
CLASSES_FILE = "classes.txt"
LOOKS_FOR = (
    "one folder of images per class (CLASS/IMAGE.jpg), or train/ and val/ (test/) folders of "
    "those; optional classes.txt"
)


@dataclass(frozen=True)
class Problem:
    """Something left out of the dataset: the path, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Tree:
    """What :func:`scan` found: files by split (``"all"`` for one tree) and class."""

    root: Path
    classes: tuple[str, ...]
    files: dict[str, dict[str, list[Path]]]
    problems: list[Problem] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)

    @property
    def split_layout(self) -> bool:
        return "all" not in self.files

    def count(self, split: str) -> int:
        return sum(len(paths) for paths in self.files.get(split, {}).values())


def is_image(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def visible_folders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def has_split_layout(root: Path) -> bool:
    train = root / "train"
    return train.is_dir() and bool(visible_folders(train))


def inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root)


class Scanner:
    """Walks class folders under one root, collecting images and what was left out."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.problems: list[Problem] = []
        self.ignored: list[Path] = []

    def outside(self, path: Path) -> bool:
        if path.is_symlink() and not inside(path, self.real_root):
            target = os.path.realpath(path)
            self.problems.append(
                Problem(str(path), f"symbolic link to {target}, outside {self.root}: refused")
            )
            return True
        return False

    def images(self, folder: Path) -> list[Path]:
        """Every image file under ``folder`` (sorted), without following links out of the tree."""
        found: list[Path] = []
        for parent, folders, names in os.walk(folder):
            base = Path(parent)
            folders[:] = sorted(
                name
                for name in folders
                if not name.startswith(".") and not self.outside(base / name)
            )
            for name in sorted(names):
                path = base / name
                if not is_image(path):
                    self.ignored.append(path)
                elif not self.outside(path):
                    found.append(path)
        return found

    def classes_in(self, folder: Path, name: str) -> dict[str, list[Path]]:
        """Class name → images for the class folders directly under ``folder``."""
        found: dict[str, list[Path]] = {}
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            if path.is_dir():
                if self.outside(path):
                    continue
                found[path.name] = self.images(path)
            elif not (name == "all" and path.name == CLASSES_FILE):
                what = "image outside any class folder" if is_image(path) else "not an image"
                self.ignored.append(path)
                if is_image(path):
                    self.problems.append(Problem(str(path), f"{what}: ignored"))
        return found


def read_classes_file(root: Path) -> tuple[str, ...] | None:
    path = root / CLASSES_FILE
    if not path.is_file():
        return None
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    names = tuple(line for line in lines if line and not line.startswith("#"))
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise DataError(f"{path}: classes listed twice: {', '.join(repeated)}")
    if not names:
        raise DataError(f"{path}: lists no class")
    return names


def scan(root: Path) -> Tree:
    """The classes and files of the image folder at ``root``."""
    if not root.is_dir():
        raise DataError(f"{root}: no such folder")
    scanner = Scanner(root)
    if has_split_layout(root):
        names = [s for s in SPLITS if (root / s).is_dir()]
        found = {split: scanner.classes_in(root / split, split) for split in names}
        for path in visible_folders(root):
            if path.name not in SPLITS:
                scanner.problems.append(Problem(str(path), "not train/, val/ or test/: ignored"))
    else:
        found = {"all": scanner.classes_in(root, "all")}
    listed = read_classes_file(root)
    reference = found.get("train", found.get("all", {}))
    if listed is None:
        classes = tuple(sorted(name for name, paths in reference.items() if paths))
    else:
        missing = [name for name in listed if name not in reference]
        if missing:
            raise DataError(
                f"{root / CLASSES_FILE}: lists {', '.join(missing)}, which has no folder"
                + (" in train/" if "train" in found else "")
            )
        classes = listed
    files: dict[str, dict[str, list[Path]]] = {}
    for split, by_class in found.items():
        for name, paths in by_class.items():
            folder = root / name if split == "all" else root / split / name
            if not paths:
                scanner.problems.append(Problem(str(folder), "class folder without images"))
            elif name not in classes:
                why = f"not listed in {CLASSES_FILE}" if listed else "a class train/ does not have"
                scanner.problems.append(Problem(str(folder), f"{why}: left out"))
        files[split] = {name: list(by_class.get(name, [])) for name in classes}
    if not classes:
        raise DataError(f"{root}: no class folder with images found (expected {LOOKS_FOR})")
    return Tree(root, classes, files, scanner.problems, scanner.ignored)


def folder_has_images(folder: Path) -> bool:
    try:
        return any(is_image(Path(entry.name)) and entry.is_file() for entry in os.scandir(folder))
    except OSError:
        return False


def detect(root: Path) -> Recognition:
    """``DatasetSpec.detect``: class folders holding images (directly), in ROOT or ROOT/train."""
    if not root.is_dir():
        return Recognition.no(LOOKS_FOR)
    base = root / "train" if has_split_layout(root) else root
    classes = [folder.name for folder in visible_folders(base) if folder_has_images(folder)]
    if not classes:
        return Recognition.no(LOOKS_FOR)
    shown = ", ".join(classes[:4]) + (", …" if len(classes) > 4 else "")
    where = "train/ (with splits)" if base != root else "one tree"
    return Recognition.layout(f"{len(classes)} class folders of images in {where}: {shown}")
