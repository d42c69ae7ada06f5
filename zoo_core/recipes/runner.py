"""Running a plan's experiments, one ``zoo train`` subprocess each, resumably.

An experiment whose run directory has every epoch in ``metrics.jsonl`` and its weights is
finished and never runs again; one with a ``config.json`` but missing epochs continues with
``--resume``. A subprocess per experiment keeps each framework's process settings to itself
(MindSpore's oneDNN ISA cap slows torch) and leaves nothing half-done in the parent. The child is
killed with its parent (Linux), and a lock on the output folder keeps two sweeps out of it.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import Any, TextIO

from zoo_core.recipes.errors import RecipeError
from zoo_core.recipes.experiments import Experiment
from zoo_core.recipes.plan import Plan
from zoo_core.recipes.schema import ALL
from zoo_core.rundir import RunDir
from zoo_core.study import STUDY_DEFAULTS

OPTIMIZER_KEYS = (
    "optimizer", "momentum", "weight_decay", "schedule", "warmup_steps", "warmup_factor",
)  # fmt: skip
LOGS = "logs"
LOCK = ".zoo-run.lock"
LOCK_WAIT_S = 15.0


class Status(Enum):
    NEW = "new"
    PARTIAL = "partial"
    FINISHED = "finished"


def expected_training(plan: Plan, experiment: Experiment) -> dict[str, Any]:
    """The ``training`` fields of ``config.json`` this experiment's run must have."""
    dataset, train, model = plan.recipe.dataset, plan.recipe.train, experiment.model
    return {
        "architecture": model.architecture,
        "framework": model.framework,
        "head": list(model.head),
        "head_kind": model.head_kind,
        "head_dropout": train.head_dropout,
        "dataset": plan.dataset,
        "data": plan.data,
        "mode": dataset.mode,
        "per_class": None if dataset.per_class == ALL else dataset.per_class,
        "epochs": train.epochs,
        "batch_size": train.batch_size,
        "lr": train.lr,
        **{key: getattr(train, key) for key in OPTIMIZER_KEYS},
        "image_size": train.image_size,
        "seed": experiment.seed,
    }


def status(plan: Plan, experiment: Experiment, path: Path) -> Status:
    """Where the experiment stands; a run directory trained differently is an error."""
    run = RunDir(path)
    if not run.exists():
        return Status.NEW
    training = run.read_config().get("training", {})
    for key, wanted in expected_training(plan, experiment).items():
        # a run from before a setting existed was trained with the study's value of it
        had = training.get(key, STUDY_DEFAULTS.get(key) if key in OPTIMIZER_KEYS else None)
        if had != wanted:
            raise RecipeError(
                f"{path} was trained with {key} = {had!r}, but the recipe "
                f"{plan.source} asks for {wanted!r}; pass another --out or remove that folder"
            )
    done = {row["epoch"] for row in run.read_metrics()}
    if done >= set(range(plan.recipe.train.epochs)) and run.weights_path.is_file():
        return Status.FINISHED
    return Status.PARTIAL


def train_arguments(plan: Plan, experiment: Experiment, path: Path, resume: bool) -> list[str]:
    """The ``zoo train`` command line of one experiment: every setting stated explicitly."""
    dataset, train, model = plan.recipe.dataset, plan.recipe.train, experiment.model
    arguments = [
        sys.executable, "-m", "zoo_core", "train", model.architecture,
        "--framework", model.framework,
        "--head", model.head_option,
        "--head-dropout", str(train.head_dropout),
        "--dataset", plan.dataset,
        "--mode", dataset.mode,
        "--epochs", str(train.epochs),
        "--batch-size", str(train.batch_size),
        "--lr", str(train.lr),
        "--optimizer", train.optimizer,
        "--momentum", str(train.momentum),
        "--weight-decay", str(train.weight_decay),
        "--schedule", train.schedule,
        "--warmup-steps", str(train.warmup_steps),
        "--warmup-factor", str(train.warmup_factor),
        "--image-size", str(train.image_size),
        "--seed", str(experiment.seed),
        "--out", str(path),
        "--device", train.device,
        "--precision", train.precision,
    ]  # fmt: skip
    arguments += framework_arguments(plan, model.framework)
    if plan.data:
        arguments += ["--data", plan.data]
    for key, value in dataset.options.items():
        arguments += ["--data-option", f"{key}={json.dumps(value)}"]
    if dataset.per_class != ALL:
        arguments += ["--per-class", str(dataset.per_class)]
    if train.workers >= 0:
        arguments += ["--workers", str(train.workers)]
    if train.strict:
        arguments.append("--strict")
    if train.tensorboard:
        arguments.append("--tensorboard")
    if train.init:
        arguments += ["--init", train.init]
    if resume:
        arguments.append("--resume")
    return arguments


def framework_arguments(plan: Plan, framework: str) -> list[str]:
    """The framework's declared ``zoo train`` options that the recipe's ``[train]`` sets."""
    from zoo_core.registry import get_registry

    arguments = []
    for option in get_registry().frameworks[framework].options:
        value = getattr(plan.recipe.train, option.name, None)
        if value is not None:
            arguments += [option.flag, str(value)]
    return arguments


def _die_with_parent(parent: int) -> Callable[[], None] | None:
    """On Linux, a ``preexec_fn`` that has the kernel kill the child when ``zoo run`` dies."""
    if not sys.platform.startswith("linux"):
        return None

    def arm() -> None:
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)

    return arm


CHILD_DEFAULTS = {
    "COLUMNS": "120",  # rich wraps a pipe's lines at 80 columns otherwise
    # Idle OpenMP threads sleep instead of spinning: on a CPU shared with other work, spinning
    # made torch training 5x slower here (2.6 vs 12.6-17 img/s, 2 cores, load 6-7).
    "OMP_WAIT_POLICY": "PASSIVE",
}


def child_environment() -> dict[str, str]:
    """The trainer's environment: unbuffered output (lines reach the log as they happen) and
    :data:`CHILD_DEFAULTS` unless set. Framework settings (MindSpore's oneDNN ISA cap…) are each
    backend's own business."""
    return {**CHILD_DEFAULTS, **os.environ, "PYTHONUNBUFFERED": "1"}


def run_logged(
    arguments: list[str], env: dict[str, str], log: Path, echo: TextIO, keep_fds: tuple[int, ...]
) -> int:
    """Run ``arguments``, appending its output to ``log`` and echoing it indented. ``keep_fds``
    stay open in the child, so a lock held on them lasts as long as the child does."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"$ {' '.join(arguments)}\n")
        handle.flush()
        process = subprocess.Popen(
            arguments,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            env=env,
            preexec_fn=_die_with_parent(os.getpid()),
            pass_fds=keep_fds,
        )
        assert process.stdout is not None
        try:
            for line in process.stdout:
                handle.write(line)
                handle.flush()
                echo.write(f"    {line}")
                echo.flush()
            return process.wait()
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            process.wait()
            raise


@contextlib.contextmanager
def locked(out: Path, wait_s: float = LOCK_WAIT_S) -> Iterator[tuple[int, ...]]:
    """Hold an exclusive lock on ``out`` while a sweep runs (waiting up to ``wait_s`` for a
    previous holder to go); yields the descriptors to hand to the children."""
    try:
        import fcntl
    except ModuleNotFoundError:  # Windows: no lock
        yield ()
        return
    out.mkdir(parents=True, exist_ok=True)
    handle = (out / LOCK).open("a+")
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                raise RecipeError(
                    f"{out} is in use by another 'zoo run' (or its training process); "
                    "wait for it to end or choose another --out"
                ) from None
            time.sleep(0.2)
    try:
        yield (handle.fileno(),)
    finally:
        handle.close()


def describe(experiment: Experiment) -> str:
    model = experiment.model
    head = model.head_option or "linear"
    return f"{model.architecture} + head {head} · {model.framework} · seed {experiment.seed}"


def run_plan(plan: Plan, out: Path, echo: TextIO = sys.stderr) -> None:
    """Run every experiment of ``plan`` that is not finished, in order. Every existing run
    directory is checked against the plan before the first one starts."""
    experiments = plan.experiments
    with locked(out) as lock_fds:
        states = [status(plan, e, plan.run_dir(out, e)) for e in experiments]
        plan.save(out)
        for number, (experiment, state) in enumerate(zip(experiments, states, strict=True), 1):
            path = plan.run_dir(out, experiment)
            prefix = f"[{number}/{len(experiments)}] {describe(experiment)}"
            if state is Status.FINISHED:
                echo.write(f"{prefix}: finished earlier, kept\n")
                continue
            resume = state is Status.PARTIAL
            echo.write(f"{prefix}: {'resuming' if resume else 'training'} → {path}\n")
            echo.flush()
            arguments = train_arguments(plan, experiment, path, resume)
            log = out / LOGS / f"{experiment.name}.log"
            started = time.monotonic()
            code = run_logged(arguments, child_environment(), log, echo, lock_fds)
            if code != 0:
                how = f"was killed by signal {-code}" if code < 0 else f"exited with {code}"
                raise RecipeError(
                    f"experiment {experiment.name} {how}; see {log}. "
                    "Run the same command again to resume the sweep."
                )
            if status(plan, experiment, path) is not Status.FINISHED:
                raise RecipeError(f"experiment {experiment.name} ended unfinished; see {log}")
            echo.write(f"{prefix}: done in {time.monotonic() - started:.0f} s\n")
