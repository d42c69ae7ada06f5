"""Helpers of the plugin-kit tests: the docs' code blocks, the example plugin, and a throwaway
virtual environment layered on the project's, for real installs and uninstalls."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "plugins.md"
EXAMPLE = REPO / "examples" / "zoo-cbam"
PURELIB = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", flags=re.M | re.S)


@dataclass(frozen=True)
class Block:
    """One fenced code block of docs/plugins.md: language, info words, text."""

    language: str
    info: tuple[str, ...]
    text: str

    @property
    def file(self) -> str | None:
        """``file=PATH`` in the info string: the block is that file of the tutorial's plugin."""
        for word in self.info:
            if word.startswith("file="):
                return word[len("file=") :]
        return None

    @property
    def source(self) -> str | None:
        """``source=PATH`` in the info string: the block is an excerpt of that file of zoo."""
        for word in self.info:
            if word.startswith("source="):
                return word[len("source=") :]
        return None

    def lines(self) -> list[str]:
        return [line for line in self.text.splitlines() if line.strip()]


def doc_blocks() -> list[Block]:
    return [
        Block(language, tuple(info.split()), text)
        for language, info, text in FENCE.findall(DOCS.read_text())
    ]


def blocks_tagged(language: str, *info: str) -> list[Block]:
    return [b for b in doc_blocks() if b.language == language and b.info == info]


@dataclass
class Venv:
    """A virtual environment that sees the project's packages but installs into its own
    site-packages, so installing and uninstalling a plugin never touches the shared venv."""

    root: Path

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "ZOO_PLUGINS"}
        env.update(
            PATH=f"{self.bin}{os.pathsep}{env.get('PATH', '')}",
            PIP_NO_INDEX="1",  # offline: the project's venv already holds every dependency
            PIP_NO_BUILD_ISOLATION="0",  # pip's spelling of --no-build-isolation
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            OMP_NUM_THREADS="2",
            COLUMNS="200",  # rich tables unwrapped
        )
        env.update(extra)
        return env

    def run(
        self, command: str, cwd: Path, check: bool = True, timeout: float = 600, **env: str
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            command,
            shell=True,
            cwd=cwd,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"`{command}` exited {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
        return result


def site_view(base: Path, view: Path, hidden: tuple[str, ...]) -> Path:
    """``view``: links to every entry of ``base`` except those of the ``hidden`` distributions
    (their ``.dist-info``, ``.egg-link`` and editable-install files), so a plugin the project's
    venv already has (CI installs zoo-cbam there) is neither found nor importable."""
    view.mkdir()
    for entry in base.iterdir():
        normalized = entry.name.lower().replace("-", "_")
        if not any(name in normalized for name in hidden):
            (view / entry.name).symlink_to(entry)
    return view


def make_venv(root: Path, hidden: tuple[str, ...] = ("zoo_cbam", "zoo_mynet")) -> Venv:
    """``python -m venv`` without pip, plus a ``.pth`` adding a view of the project's
    site-packages (with its ``.pth`` files: the editable zoo) less the ``hidden`` distributions,
    and ``pip``/``zoo``/``pytest`` launchers."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    venv = Venv(root)
    purelib = subprocess.run(
        [str(venv.bin / "python"), "-c", PURELIB], check=True, capture_output=True, text=True
    ).stdout.strip()
    view = site_view(Path(sysconfig.get_paths()["purelib"]), root / "base-site-packages", hidden)
    Path(purelib, "zoo-base.pth").write_text(f"import site; site.addsitedir({str(view)!r})\n")
    for command, module in (("pip", "pip"), ("zoo", "zoo_core"), ("pytest", "pytest")):
        launcher = venv.bin / command
        launcher.write_text(f'#!/bin/sh\nexec "{venv.bin / "python"}" -m {module} "$@"\n')
        launcher.chmod(0o755)
    return venv


def write_tutorial(target: Path) -> list[str]:
    """Write every ``file=`` block of the docs under ``target``; return the paths written."""
    written = []
    for block in doc_blocks():
        if block.file:
            path = target / block.file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.text)
            written.append(block.file)
    return written
