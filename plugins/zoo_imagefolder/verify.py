"""``zoo data verify`` on an image folder: everything left out of it (links out of the tree,
empty or unlisted class folders) and every image that does not decode to its end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zoo_core.data import DataError
from zoo_core.images import undecodable
from zoo_imagefolder.layout import Problem, scan


@dataclass
class FolderReport:
    root: Path
    problems: list[Problem] = field(default_factory=list)
    classes: int = 0
    images: int = 0
    decoded: int = 0
    ignored: int = 0
    splits: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verdict = "OK" if self.ok else f"{len(self.problems)} problem(s)"
        return (
            f"{self.root}: image folder ({self.splits}), {self.classes} classes, "
            f"{self.images:,} images, {self.decoded:,} decoded, {self.ignored} non-image "
            f"file(s) ignored: {verdict}"
        )


def verify(
    root: Path,
    options: dict[str, Any],
    check_images: bool = True,
    workers: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> FolderReport:
    report = FolderReport(root)
    try:
        tree = scan(root)
    except DataError as error:
        report.problems.append(Problem(str(root), str(error).removeprefix(f"{root}: ")))
        return report
    report.problems.extend(tree.problems)
    report.classes, report.ignored = len(tree.classes), len(tree.ignored)
    report.splits = "train/ val/ test/" if tree.split_layout else "one tree"
    paths = [path for by_class in tree.files.values() for ps in by_class.values() for path in ps]
    report.images = len(paths)
    if check_images:
        bad = undecodable(paths, orient=True, workers=workers, progress=progress)
        report.problems.extend(Problem(sample.path, sample.reason) for sample in bad)
        report.decoded = len(paths)
    return report
