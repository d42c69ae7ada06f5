"""``zoo data verify``: every problem in a release, each with its file and the reason.

Annotation files are checked for malformed JSON and entries, unknown labels, and empty,
malformed or out-of-range boxes; every image for being present and decodable to the end (JPEG
draft mode keeps this fast: the whole entropy-coded stream is still read, so truncation and
corruption show, but only a 1/8-scale picture is reconstructed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from zoo_core.data import DataError
from zoo_core.images import undecodable
from zoo_hagrid.classes import FORMAT_CLASSES
from zoo_hagrid.formats import find_release, read_file
from zoo_hagrid.records import Entry, Problem


@dataclass
class VerifyReport:
    root: Path
    format: str = "?"
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    entries: int = 0
    boxes: int = 0
    users: int = 0
    images_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verdict = "OK" if self.ok else f"{len(self.problems)} problem(s)"
        return (
            f"{self.root}: HaGRID {self.format}, {self.files} annotation files, {self.entries:,} "
            f"images, {self.boxes:,} boxes, {self.users:,} users, {self.images_checked:,} image "
            f"files decoded: {verdict}"
        )


def check_entry(entry: Entry, classes: frozenset[str]) -> Iterable[Problem]:
    where = f"image {entry.image_id!r}"
    if not entry.hands:
        yield Problem(entry.source, f"{where}: no boxes")
    for hand in entry.hands:
        if hand.label not in classes:
            yield Problem(entry.source, f"{where}: unknown label {hand.label!r}")
        problem = hand.box_problem()
        if problem:
            yield Problem(entry.source, f"{where}: {problem}")


def verify(
    root: Path,
    fmt: str | None = None,
    annotations: Path | None = None,
    images: Path | None = None,
    check_images: bool = True,
    workers: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> VerifyReport:
    report = VerifyReport(root)
    try:
        report.format, folders = find_release(root, fmt, annotations)
    except DataError as error:
        report.problems.append(Problem(str(root), str(error).removeprefix(f"{root}: ")))
        return report
    classes = frozenset(FORMAT_CLASSES[report.format])
    entries: list[Entry] = []
    for split, folder in folders.items():
        for path in sorted(folder.glob("*.json")):
            report.files += 1
            if path.stem not in classes:
                report.problems.append(
                    Problem(str(path), f"unknown gesture file (not a {report.format} class)")
                )
                continue
            entries.extend(read_file(path, split, images or root, report.problems.append))
    for entry in entries:
        report.problems.extend(check_entry(entry, classes))
    report.entries = len(entries)
    report.boxes = sum(len(entry.hands) for entry in entries)
    report.users = len({entry.user_id for entry in entries})
    if check_images:
        paths = [entry.path for entry in entries]
        bad = undecodable(paths, workers=workers, progress=progress)
        report.problems.extend(Problem(sample.path, sample.reason) for sample in bad)
        report.images_checked = len(paths)
    return report
