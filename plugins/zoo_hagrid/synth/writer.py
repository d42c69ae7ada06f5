"""``hagrid-synth``: a procedural stand-in for HaGRID, written in the real v1 format.

``<root>/<gesture>/<uuid>.jpg`` images and ``<root>/ann_subsample/<gesture>.json`` annotations
(normalized boxes, labels with a ``no_gesture`` idle hand, landmarks, leading hand, user id), plus
``zoo-synth.json`` recording the parameters. The same parameters give the same bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

import numpy as np

from zoo_core.errors import PathInUse
from zoo_hagrid.classes import V1_GESTURES
from zoo_hagrid.synth.params import GENERATOR_VERSION, MARKER, SynthParams
from zoo_hagrid.synth.scene import User, make_user, render

IDLE_PROBABILITY = 0.35


def make_users(params: SynthParams) -> list[User]:
    return [make_user(np.random.default_rng((params.seed, 1, u))) for u in range(params.users)]


def plan(params: SynthParams) -> list[tuple[int, int, int]]:
    """``(class index, image number, user index)`` for every image: each class cycles through
    every user in its own seeded order, so every user shows every gesture."""
    jobs = []
    for c in range(len(V1_GESTURES)):
        order = np.random.default_rng((params.seed, 2, c)).permutation(params.users)
        jobs.extend((c, i, int(order[i % params.users])) for i in range(params.per_class))
    return jobs


def _one(args: tuple[SynthParams, list[User], Path, int, int, int]) -> tuple[int, str, dict]:
    params, users, root, c, i, u = args
    rng = np.random.default_rng((params.seed, 3, c, i))
    gesture, user = V1_GESTURES[c], users[u]
    image_id = str(uuid.UUID(bytes=rng.bytes(16), version=4))
    frame = render(
        gesture, user, (params.width, params.height), rng, rng.random() < IDLE_PROBABILITY
    )
    frame.image.save(root / gesture / f"{image_id}.jpg", quality=user.quality)
    record = {
        "bboxes": [[round(v, 8) for v in box] for box in frame.boxes],
        "labels": frame.labels,
        "landmarks": [[[round(v, 6) for v in point] for point in hand] for hand in frame.landmarks],
        "leading_conf": 1.0,
        "leading_hand": user.leading_hand,
        "user_id": user.user_id,
    }
    return c, image_id, record


def generate(
    params: SynthParams,
    root: Path,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    processes: bool = False,
) -> Path:
    """Write the dataset to ``root`` (created; must be empty or absent), with ``workers``
    threads (or processes); the bytes written do not depend on either."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise PathInUse(f"{root}: not empty; synth writes into a new folder")
    for gesture in V1_GESTURES:
        (root / gesture).mkdir()
    (root / "ann_subsample").mkdir()
    users = make_users(params)
    jobs = [(params, users, root, c, i, u) for c, i, u in plan(params)]
    records: list[dict[str, dict]] = [{} for _ in V1_GESTURES]
    pool: Executor | None = None
    if workers > 1:  # processes from the CLI; threads (safe anywhere) from a library caller
        pool = ProcessPoolExecutor(workers) if processes else ThreadPoolExecutor(workers)
    with pool or contextlib.nullcontext():
        results = pool.map(_one, jobs, chunksize=16) if pool else map(_one, jobs)
        for done, (c, image_id, record) in enumerate(results, 1):
            records[c][image_id] = record
            if progress:
                progress(done, len(jobs))
    for c, gesture in enumerate(V1_GESTURES):
        text = json.dumps(dict(sorted(records[c].items())), indent=1)
        (root / "ann_subsample" / f"{gesture}.json").write_text(text + "\n")
    marker = {"generator": "zoo_hagrid.synth", "version": GENERATOR_VERSION, **asdict(params)}
    marker["images"] = len(jobs)
    (root / MARKER).write_text(json.dumps(marker, indent=1) + "\n")
    return root


def cache_dir() -> Path:
    """``$ZOO_CACHE_DIR``, or ``~/.cache/zoo``."""
    return Path(os.environ.get("ZOO_CACHE_DIR") or Path.home() / ".cache" / "zoo").expanduser()


def ensure(params: SynthParams, workers: int | None = None) -> Path:
    """The dataset for ``params`` in the user cache, generated the first time. Concurrent callers
    (the ranks of a distributed run) wait on a lock file; the dataset appears by one rename."""
    final = cache_dir() / params.tag
    if (final / MARKER).is_file():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    with open(final.with_name(f"{final.name}.lock"), "w") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
            locked = True
        except ImportError:  # pragma: no cover - no POSIX locks: the rename still decides
            locked = False
        if (final / MARKER).is_file():
            return final
        for stale in final.parent.glob(f"{final.name}.tmp-*") if locked else ():
            shutil.rmtree(stale, ignore_errors=True)  # left by a writer that was killed
        temporary = final.with_name(f"{final.name}.tmp-{os.getpid()}")
        generate(params, temporary, workers or min(2, os.cpu_count() or 1))
        try:
            temporary.rename(final)
        except OSError:  # another process finished first
            shutil.rmtree(temporary, ignore_errors=True)
    return final
