"""A fresh virtual environment with zoo[onnxruntime] and nothing else: no torch, no MindSpore.

``python -m venv``, then ``pip install --no-deps -e REPO``; the distributions that
``zoo[onnxruntime]`` needs (and only those: the requirement closure read from their metadata) are
linked in from the environment running the tests instead of downloaded, so it takes seconds and
needs no network.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import shutil
import subprocess
import sys
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

FORBIDDEN = {"torch", "torchvision", "timm", "mindspore"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_closure(roots: list[str]) -> set[str]:
    """Canonical names of the distributions ``roots`` need (markers evaluated, extras as asked)."""
    seen: set[str] = set()
    todo = [Requirement(root) for root in roots]
    while todo:
        requirement = todo.pop()
        name = canonical(requirement.name)
        extras = requirement.extras
        key = name + "[" + ",".join(sorted(extras)) + "]"
        if key in seen:
            continue
        seen.add(key)
        if name == "zoo":
            requires = zoo_requirements()
        else:
            requires = metadata.distribution(requirement.name).requires or []
        for line in requires:
            child = Requirement(line)
            if child.marker and not any(
                Marker(str(child.marker)).evaluate({"extra": extra}) for extra in (extras or {""})
            ):
                continue
            todo.append(child)
    return {key.split("[")[0] for key in seen}


def zoo_requirements() -> list[str]:
    """zoo's own requirements, from the checkout's pyproject.toml (core + onnxruntime extra)."""
    import tomllib

    repo = Path(__file__).resolve().parents[2]
    project = tomllib.loads((repo / "pyproject.toml").read_text())["project"]
    extra = project["optional-dependencies"]["onnxruntime"]
    return list(project["dependencies"]) + [f"{line}; extra == 'onnxruntime'" for line in extra]


def top_level_paths(name: str) -> set[Path]:
    """The top-level files and folders a distribution installed (packages, modules, dist-info)."""
    dist = metadata.distribution(name)
    paths = set()
    for file in dist.files or []:
        first = Path(str(file)).parts[0]
        if first in ("..", "__pycache__") or first.endswith(".pth"):
            continue
        paths.add(Path(dist.locate_file(first)))
    return paths


def source_copy(repo: Path, target: Path) -> Path:
    """The checkout without its build leftovers: an editable build writes ``zoo.egg-info`` into
    the source folder, which must not land in (or come from) the developer's checkout."""
    ignore = shutil.ignore_patterns(".git", ".venv", "*.egg-info", "__pycache__", "runs", "build")
    return Path(shutil.copytree(repo, target, ignore=ignore))


def build(folder: Path, repo: Path) -> Path:
    """Create the environment in ``folder`` with an editable install of a copy of ``repo``
    (``folder / "src"``); return its python."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, capture_output=True)
    repo = source_copy(repo, folder / "src")
    python = folder / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    names = requirement_closure(["zoo[onnxruntime]"]) - {"zoo"}
    assert not names & FORBIDDEN, names & FORBIDDEN
    for name in sorted(names | {"setuptools", "wheel"}):
        for path in top_level_paths(name):
            link = site / path.name
            if link.exists() or link.is_symlink():
                if path.name.startswith(("setuptools", "pkg_resources", "_distutils_hack")):
                    subprocess.run(["rm", "-rf", str(link)], check=True)
                else:
                    continue
            link.symlink_to(path)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-e",
            str(repo),
        ],
        check=True,
        capture_output=True,
    )
    return python
