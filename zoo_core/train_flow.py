"""``zoo train`` as a library call: from the settings given to a trained run directory.

:func:`new_job` turns the settings a user gave (``None``: not given) into a complete
:class:`TrainJob`; :func:`train` checks it against the plugins, then either starts the framework's
launcher for a data-parallel run (each process runs :mod:`zoo_core.worker`) or trains in this
process through the framework's session and :func:`zoo_core.training.run_training`.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from zoo_core.datasets import default_dataset, resolve_mode
from zoo_core.errors import InvalidValue, UsageError
from zoo_core.framework import Launcher, TrainJob
from zoo_core.jobfile import write_job
from zoo_core.lazy import resolve
from zoo_core.registry import Registry, UnknownNameError, get_registry
from zoo_core.run_guard import run_or_nothing
from zoo_core.rundir import RunDir
from zoo_core.specs import FrameworkSpec
from zoo_core.study import STUDY_DEFAULTS
from zoo_core.study import resolve as resolve_settings
from zoo_core.training import TrainingError, open_data, run_training


def default_out(architecture: str, framework: str, resume: bool) -> Path:
    """``runs/<arch>-<framework>``; a new suffix for a new run, the newest one to resume."""
    base = Path("runs") / f"{architecture}-{framework}"
    candidates = [base] + [base.with_name(f"{base.name}-{i}") for i in range(2, 1000)]
    existing = [path for path in candidates if path.exists()]
    if resume:
        return existing[-1] if existing else base
    return next(path for path in candidates if not path.exists())


def new_job(
    architecture: str, framework: str, registry: Registry | None = None, **given: Any
) -> TrainJob:
    """A job from the :class:`TrainJob` fields given; ``None`` means not given: the dataset's
    ``train_defaults`` (demo data), else the study's (:mod:`zoo_core.study`), and
    :func:`default_out` (in :func:`train`). Prints which demo defaults it used."""
    registry = registry or get_registry()
    settings = {key: value for key, value in given.items() if value is not None}
    dataset = settings["dataset"] = settings.get("dataset") or default_dataset(registry)
    studied = {key: given.get(key) for key in (*STUDY_DEFAULTS, "per_class")}
    resolved, demo = resolve_settings(studied, registry.datasets[dataset].train_defaults)
    if demo:
        from rich.console import Console

        shown = ", ".join(f"{k}={v}" for k, v in demo.items())
        Console(stderr=True).print(
            f"[bold]{dataset}[/]: demo defaults {shown} (synthetic data; the study's 20 epochs "
            "at 224 px stay the default on real HaGRID)"
        )
    return TrainJob(architecture=architecture, framework=framework, **{**settings, **resolved})


def trainer_spec(registry: Registry, name: str) -> FrameworkSpec:
    """The framework ``name``, if it trains and is installed."""
    spec = registry.frameworks[name]
    if not spec.trains:
        able = " or ".join(fw.name for fw in registry.frameworks if fw.trains) or "none"
        raise UnknownNameError(
            f"framework {name!r} runs exported models only; it cannot train: train with "
            f"--framework {able}, then use the run with --framework {name}"
        )
    registry.require(name)
    return spec


def check_choice(flag: str, value: str, allowed: tuple[str, ...], framework: str) -> None:
    if value not in allowed:
        raise InvalidValue(f"{flag} {value}: framework {framework!r} accepts {', '.join(allowed)}")


def framework_options(registry: Registry, spec: FrameworkSpec, given: dict[str, Any]) -> dict:
    """``given`` with the framework's declared options checked and their defaults filled in;
    an option another framework declares is refused."""
    declared = {option.name: option for option in spec.options}
    elsewhere = {
        option.name: fw.name for fw in registry.frameworks for option in fw.options if fw != spec
    }
    for key in given:
        if key in elsewhere and key not in declared:
            flag = key.replace("_", "-")
            raise InvalidValue(
                f"--{flag} is an option of framework {elsewhere[key]!r}, not {spec.name!r}"
            )
    options = dict(given)
    for name, option in declared.items():
        options[name] = str(options.get(name, option.value))
        check_choice(option.flag, options[name], option.choices, spec.name)
    return options


def checked(job: TrainJob, registry: Registry) -> TrainJob:
    """``job`` with every name known, the framework able to train it, its choices among the
    framework's, its options complete and its run directory chosen."""
    arch = registry.architecture(job.architecture)
    spec = trainer_spec(registry, job.framework)
    head = registry.heads[job.head.kind]
    dataset = job.dataset or default_dataset(registry)
    mode = resolve_mode(registry.datasets[dataset], job.mode)
    for implementer, kind in ((arch, "architecture"), (head, "head")):
        if job.framework not in implementer.builders:
            raise UnknownNameError(
                f"{kind} {implementer.name!r} ({implementer.distribution}) has no "
                f"{job.framework!r} implementation; it supports: {', '.join(implementer.builders)}"
            )
    check_choice("--device", job.device, spec.devices, spec.name)
    check_choice("--precision", job.precision, spec.precisions, spec.name)
    if job.nproc < 1:
        raise InvalidValue(f"--nproc {job.nproc}: expected at least 1 process")
    if job.nproc > 1 and not spec.launcher:
        raise InvalidValue(f"framework {spec.name!r} has no data-parallel launcher (--nproc)")
    job.optimizer_settings.check()
    return dataclasses.replace(
        job,
        dataset=dataset,
        mode=mode,
        out=job.out or default_out(job.architecture, job.framework, job.resume),
        options=framework_options(registry, spec, job.options),
    )


def check_start(job: TrainJob, registry: Registry) -> None:
    """What can be refused before any data is opened: resuming a folder where no run stopped,
    initial weights that cannot be read, a frozen backbone without initial weights."""
    assert job.out is not None
    if job.resume:
        from zoo_core.finetune import check_resume

        check_resume(job.out)
    if job.init:
        from zoo_core.sources import read

        read(job.init, registry)
    if job.freeze_backbone and not job.init:
        raise UsageError("--freeze-backbone needs --init: a random backbone would stay random")


def train(job: TrainJob, registry: Registry | None = None) -> Path:
    """Train ``job``, writing its run directory; return the directory's path.

    With ``job.nproc > 1`` outside the framework's launcher, the launcher starts the processes;
    inside one (or with one process), this process trains. Outside a launcher the run directory
    is guarded (:func:`zoo_core.run_guard.run_or_nothing`): never into someone else's files, and
    nothing half-made left when training stops before its first epoch is saved.
    """
    registry = registry or get_registry()
    job = checked(job, registry)
    spec = registry.frameworks[job.framework]
    assert job.out is not None
    launcher: Launcher | None = resolve(spec.launcher) if spec.launcher else None
    if launcher is not None and launcher.inside():  # one rank; the launching process checked
        return run_training(job, registry, resolve(spec.session))
    check_start(job, registry)
    with run_or_nothing(job.out):
        if job.nproc > 1 and launcher is not None:
            return launch(job, registry, launcher)
        return run_training(job, registry, resolve(spec.session))


def launch(job: TrainJob, registry: Registry, launcher: Launcher) -> Path:
    """Run ``job`` in ``job.nproc`` processes started by ``launcher``; return the run directory."""
    assert job.out is not None
    run = RunDir(job.out)
    if run.exists() and not job.resume:
        raise TrainingError(
            f"{run.path} already holds a run; pass --resume to continue it, or choose --out"
        )
    open_data(registry, job)  # bad data fails here, and a generated dataset is made once
    with tempfile.TemporaryDirectory(prefix="zoo-job-") as folder:
        job_file = Path(folder) / "job.json"
        write_job(job, job_file)
        command = [*launcher.command(job, run.path), "-m", "zoo_core.worker", str(job_file)]
        env = {**os.environ, **launcher.environment(job)}
        code = run_launcher(command, env, launcher.noise)
    if code != 0:
        logs = launcher.logs(run.path)
        where = f"; worker logs in {logs}" if logs else ""
        raise TrainingError(
            f"data-parallel training ({job.nproc} processes, {launcher.name}) failed with exit "
            f"code {code}{where}"
        )
    return run.path


def run_launcher(command: list[str], env: dict[str, str], noise: tuple[str, ...]) -> int:
    """Run the launcher; with ``noise``, its output goes to stderr without those lines."""
    if not noise:
        return subprocess.run(command, env=env, check=False).returncode
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if not line.startswith(noise):
                sys.stderr.write(line)
    return process.returncode
