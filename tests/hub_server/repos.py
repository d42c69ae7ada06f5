"""Git repositories laid out the way olah serves local mirrors, written with git plumbing.

``ROOT/models/ORG/NAME`` is a git working tree whose history is the repository's: every commit
is a real git commit on a real branch. Large files are stored the way olah reads them: a git-LFS
pointer in the tree and the content under ``.git/lfs/objects/aa/bb/OID``. Commits are built from
a temporary index (no checkout), and refs move with compare-and-swap, so concurrent commits to
one branch cannot lose each other's work.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

LFS_POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n"
GITATTRIBUTES = (
    "*.safetensors filter=lfs diff=lfs merge=lfs -text\n"
    "*.png filter=lfs diff=lfs merge=lfs -text\n"
    "*.bin filter=lfs diff=lfs merge=lfs -text\n"
)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
IDENTITY = {
    "GIT_AUTHOR_NAME": "zoo test hub",
    "GIT_AUTHOR_EMAIL": "hub@127.0.0.1",
    "GIT_COMMITTER_NAME": "zoo test hub",
    "GIT_COMMITTER_EMAIL": "hub@127.0.0.1",
}


class RepoError(Exception):
    """A request the repository cannot satisfy; ``status`` and ``code`` are the Hub's."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Addition:
    path: str
    content: bytes | None = None
    lfs_oid: str | None = None


@dataclass(frozen=True)
class Deletion:
    path: str
    folder: bool = False


def git_blob_sha(content: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def check_name(part: str) -> str:
    if not NAME.match(part) or part.endswith((".git", ".")) or ".." in part:
        raise RepoError(400, "BadRequest", f"invalid repository name part {part!r}")
    return part


class Repo:
    """One model repository."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lfs_objects = path / ".git" / "lfs" / "objects"

    def git(self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.path,
            input=stdin,
            capture_output=True,
            env={**os.environ, **IDENTITY, **(env or {})},
            check=False,
        )
        if result.returncode != 0:
            raise RepoError(500, "GitError", result.stderr.decode(errors="replace").strip())
        return result.stdout.decode().strip()

    def resolve(self, revision: str) -> str | None:
        """The commit a branch, tag or commit id names, or ``None``."""
        try:
            return self.git(
                "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
            )
        except RepoError:
            return None

    def branch_head(self, branch: str) -> str:
        commit = self.resolve(f"refs/heads/{branch}")
        if commit is None:
            raise RepoError(404, "RevisionNotFound", f"Invalid rev id: {branch}")
        return commit

    def lfs_path(self, oid: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", oid):
            raise RepoError(400, "BadRequest", f"invalid LFS oid {oid!r}")
        return self.lfs_objects / oid[:2] / oid[2:4] / oid

    def has_lfs_object(self, oid: str, size: int | None = None) -> bool:
        path = self.lfs_path(oid)
        return path.is_file() and (size is None or path.stat().st_size == size)

    def store_lfs_object(self, oid: str, source: Path) -> None:
        """Move an uploaded file into the LFS store after checking its sha256."""
        digest = hashlib.sha256()
        with source.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != oid:
            raise RepoError(400, "BadRequest", f"uploaded content does not hash to {oid}")
        target = self.lfs_path(oid)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)

    def file_oid(self, commit: str, path: str) -> str | None:
        """What the Hub reports as a file's oid: LFS sha256, or the git blob id."""
        try:
            blob = self.git("rev-parse", "--verify", "--quiet", f"{commit}:{path}")
        except RepoError:
            return None
        content = self.git_bytes("cat-file", "blob", blob)
        match = re.fullmatch(rb"version \S+\noid sha256:([0-9a-f]{64})\nsize \d+\n", content)
        return match.group(1).decode() if match else blob

    def git_bytes(self, *args: str) -> bytes:
        result = subprocess.run(["git", *args], cwd=self.path, capture_output=True, check=False)
        if result.returncode != 0:
            raise RepoError(500, "GitError", result.stderr.decode(errors="replace").strip())
        return result.stdout

    def commit(
        self,
        branch: str,
        changes: list[Addition | Deletion],
        message: str,
        parent: str | None = None,
    ) -> str:
        """Apply ``changes`` on top of ``branch`` as one commit; return its id."""
        head = self.branch_head(branch)
        if parent is not None and parent != head:
            raise RepoError(412, "PreconditionFailed", f"parent commit {parent} is not {head}")
        with tempfile.TemporaryDirectory() as scratch:
            env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            self.git("read-tree", head, env=env)
            for change in changes:
                self.apply(change, env)
            tree = self.git("write-tree", env=env)
        if tree == self.git("rev-parse", f"{head}^{{tree}}"):
            return head
        new = self.git("commit-tree", tree, "-p", head, stdin=message.encode())
        self.git("update-ref", f"refs/heads/{branch}", new, head)
        return new

    def apply(self, change: Addition | Deletion, env: dict[str, str]) -> None:
        path = change.path.strip("/")
        if not path or ".." in path.split("/") or path.startswith(".git/"):
            raise RepoError(400, "BadRequest", f"invalid path {change.path!r}")
        if isinstance(change, Deletion):
            self.git("rm", "-r", "--cached", "--quiet", "--ignore-unmatch", "--", path, env=env)
            return
        if change.lfs_oid is not None:
            lfs = self.lfs_path(change.lfs_oid)
            if not lfs.is_file():
                raise RepoError(422, "BadRequest", f"{path}: LFS object {change.lfs_oid} missing")
            content = LFS_POINTER.format(oid=change.lfs_oid, size=lfs.stat().st_size).encode()
        else:
            content = change.content or b""
        blob = self.git("hash-object", "-w", "--stdin", stdin=content)
        self.git("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)

    def create_branch(self, branch: str, start: str | None) -> None:
        check_name(branch)
        if self.resolve(f"refs/heads/{branch}") is not None:
            raise RepoError(409, "Conflict", f"branch {branch!r} already exists")
        commit = self.resolve(start or "refs/heads/main")
        if commit is None:
            raise RepoError(404, "RevisionNotFound", f"Invalid rev id: {start}")
        self.git("update-ref", f"refs/heads/{branch}", commit, "")


class RepoStore:
    """All repositories under ``ROOT/models``, created on request."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock = threading.Lock()

    def path(self, org: str, name: str) -> Path:
        return self.root / "models" / check_name(org) / check_name(name)

    def get(self, org: str, name: str) -> Repo:
        path = self.path(org, name)
        if not (path / ".git").is_dir():
            raise RepoError(404, "RepoNotFound", f"Repository not found: {org}/{name}")
        return Repo(path)

    def exists(self, org: str, name: str) -> bool:
        try:
            return (self.path(org, name) / ".git").is_dir()
        except RepoError:
            return False

    def create(self, org: str, name: str) -> Repo:
        """A new repository whose first commit holds ``.gitattributes``, as on the Hub."""
        with self.lock:
            path = self.path(org, name)
            if (path / ".git").is_dir():
                raise RepoError(409, "Conflict", "You already created this model repo")
            path.mkdir(parents=True)
            repo = Repo(path)
            repo.git("init", "--quiet", "--initial-branch=main")
            blob = repo.git("hash-object", "-w", "--stdin", stdin=GITATTRIBUTES.encode())
            with tempfile.TemporaryDirectory() as scratch:
                env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
                entry = f"100644,{blob},.gitattributes"
                repo.git("update-index", "--add", "--cacheinfo", entry, env=env)
                tree = repo.git("write-tree", env=env)
            first = repo.git("commit-tree", tree, stdin=b"initial commit")
            repo.git("update-ref", "refs/heads/main", first, "")
            return repo
