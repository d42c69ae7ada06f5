"""``zoo train``, ``zoo eval`` and ``zoo predict``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import typer
from rich.console import Console

from zoo_core.errors import InvalidValue
from zoo_core.schedules import OPTIMIZERS, SCHEDULES
from zoo_core.study import resolve

DATA_HELP = (
    "Dataset folder (the installed dataset plugins recognise it) or dataset name "
    "(default: the dataset marked default, see 'zoo list')."
)
DATASET_HELP = "Read --data as this dataset instead of detecting it (see 'zoo list')."
DATA_OPTION_HELP = "Dataset option KEY=VALUE for the dataset plugin (repeatable)."
OptimizerName = Literal[OPTIMIZERS]  # type: ignore[valid-type]
ScheduleName = Literal[SCHEDULES]  # type: ignore[valid-type]
MIN_IMAGE_SIZE = 16
Device = Literal["auto", "cpu", "cuda", "gpu", "ascend"]
Precision = Literal["auto", "fp32", "bf16", "fp16"]
MsMode = Literal["graph", "pynative"]
Split = Literal["val", "test"]


def positive(text: str) -> float:
    """A number above 0; anything else is a usage error with the CLI's own message."""
    try:
        value = float(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a number") from None
    if not value > 0:  # also refuses nan
        raise typer.BadParameter(f"{text} is not above 0")
    return value


def below_one(text: str) -> float:
    """A fraction in [0, 1)."""
    try:
        value = float(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a number") from None
    if not 0 <= value < 1:
        raise typer.BadParameter(f"{text} is not in [0, 1)")
    return value


def parse_options(pairs: list[str] | None) -> dict[str, Any]:
    """``["se_ratio=0.125", "se_divisor=8"]`` → ``{"se_ratio": 0.125, "se_divisor": 8}``."""
    options: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise InvalidValue(f"option {pair!r}: expected KEY=VALUE")
        try:
            options[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            options[key.strip()] = value
    return options


def default_out(architecture: str, framework: str, resume: bool) -> Path:
    """``runs/<arch>-<framework>``; a new suffix for a new run, the newest one to resume."""
    base = Path("runs") / f"{architecture}-{framework}"
    candidates = [base] + [base.with_name(f"{base.name}-{i}") for i in range(2, 1000)]
    existing = [path for path in candidates if path.exists()]
    if resume:
        return existing[-1] if existing else base
    return next(path for path in candidates if not path.exists())


def train_command(
    architecture: str = typer.Argument(..., help="Architecture, e.g. resnet18, se_resnet18."),
    framework: str = typer.Option("torch", "--framework", "-f", help="torch or mindspore."),
    head: str = typer.Option("", help="MLP head hidden widths, e.g. '512,256'; '' = linear."),
    head_dropout: float = typer.Option(
        0.0, parser=below_one, metavar="[0,1)", help="Dropout between head layers."
    ),
    data: str = typer.Option(None, help=DATA_HELP),
    dataset: str = typer.Option(None, help=DATASET_HELP),
    data_option: list[str] = typer.Option(None, "--data-option", "-O", help=DATA_OPTION_HELP),
    mode: str = typer.Option(
        None, help="crop (one hand) or full_frame; the dataset's first mode by default."
    ),
    epochs: int = typer.Option(None, min=1, help="Epochs [20; demo default on synthetic data]."),
    batch_size: int = typer.Option(None, min=1, help="Batch size [32]."),
    lr: float = typer.Option(
        None, parser=positive, help="Learning rate (the peak of a schedule) [1e-3]."
    ),
    optimizer: OptimizerName = typer.Option(None, help="Optimizer (default adam, the study's)."),
    momentum: float = typer.Option(None, min=0, max=1, help="SGD momentum [0.9]."),
    weight_decay: float = typer.Option(
        None, min=0, help="Weight decay [0]: L2 for adam and sgd, decoupled for adamw."
    ),
    schedule: ScheduleName = typer.Option(None, help="Learning-rate schedule (default constant)."),
    warmup_steps: int = typer.Option(None, min=0, help="Linear warm-up steps [0]."),
    warmup_factor: float = typer.Option(
        None, min=0, max=1, help="Warm-up starts at lr × this [0.001]."
    ),
    image_size: int = typer.Option(
        None, min=MIN_IMAGE_SIZE, help="Input size in px [224; demo on synthetic]."
    ),
    per_class: float = typer.Option(
        None, parser=positive, help="Subset: N images per class, or a fraction."
    ),
    seed: int = typer.Option(0, min=0, help="Random seed."),
    out: Path = typer.Option(None, help="Run directory (default: runs/<arch>-<framework>)."),
    resume: bool = typer.Option(False, help="Continue the run in --out where it stopped."),
    device: Device = typer.Option("auto", help="auto, cpu, cuda, gpu or ascend."),
    precision: Precision = typer.Option("auto", help="auto, fp32, bf16 or fp16."),
    workers: int = typer.Option(None, min=0, help="Data-loading workers (default: auto)."),
    strict: bool = typer.Option(False, help="Fail on a bad sample instead of skipping it."),
    nproc: int = typer.Option(1, min=1, help="Data-parallel processes (torchrun / msrun)."),
    tensorboard: bool = typer.Option(
        False, help="Write TensorBoard events (loss, learning rate, metrics) to RUN/tensorboard."
    ),
    ms_mode: MsMode = typer.Option("graph", help="MindSpore execution mode: graph or pynative."),
    option: list[str] = typer.Option(None, "--option", "-o", help="Architecture KEY=VALUE."),
    init: str = typer.Option(
        None, help="Start from these weights: a run, a file, local-dir:PATH or hf-hub:ORG/NAME."
    ),
    freeze_backbone: bool = typer.Option(False, help="Train only the classifier head."),
) -> None:
    """Train an architecture (+ head) in a framework; writes a run directory."""
    from zoo_core.datasets import resolve_mode
    from zoo_core.framework import TrainJob
    from zoo_core.registry import get_registry
    from zoo_core.run_guard import run_or_nothing
    from zoo_core.specs import HeadConfig

    registry = get_registry()
    registry.architecture(architecture)
    registry.frameworks[framework]
    head_config = HeadConfig.parse(head, head_dropout)
    registry.heads[head_config.kind]
    dataset, root = registry.resolve_data(data, dataset)
    mode = resolve_mode(registry.datasets[dataset], mode)
    if resume:
        from zoo_core.finetune import check_resume

        check_resume(out or default_out(architecture, framework, resume))
    if init:
        from zoo_core.sources import read

        read(init, registry)  # a bad source fails now, before any data is opened
    if freeze_backbone and not init:
        from zoo_core.errors import UsageError

        raise UsageError("--freeze-backbone needs --init: a random backbone would stay random")
    given = {"epochs": epochs, "image_size": image_size, "batch_size": batch_size, "lr": lr}
    given["per_class"] = per_class
    given.update(optimizer=optimizer, momentum=momentum, weight_decay=weight_decay)
    given.update(schedule=schedule, warmup_steps=warmup_steps, warmup_factor=warmup_factor)
    settings, demo = resolve(given, registry.datasets[dataset].train_defaults)
    if demo:
        shown = ", ".join(f"{k}={v}" for k, v in demo.items())
        Console(stderr=True).print(
            f"[bold]{dataset}[/]: demo defaults {shown} (synthetic data; the study's 20 epochs "
            "at 224 px stay the default on real HaGRID)"
        )
    out = out or default_out(architecture, framework, resume)
    job = TrainJob(
        architecture=architecture,
        framework=framework,
        head=head_config,
        dataset=dataset,
        data=root,
        mode=mode,
        seed=seed,
        out=out,
        resume=resume,
        device=device,
        precision=precision,
        workers=-1 if workers is None else workers,
        strict=strict,
        nproc=nproc,
        tensorboard=tensorboard,
        architecture_options=parse_options(option),
        options={"ms_mode": ms_mode, "data": parse_options(data_option)},
        init=init,
        freeze_backbone=freeze_backbone,
        **settings,
    )
    job.optimizer_settings.check()
    with run_or_nothing(out):
        registry.backend(framework).train(job)


def eval_command(
    source: str = typer.Argument(..., help="Run directory, model.safetensors or hf-hub:ORG/NAME."),
    data: str = typer.Option(
        None, help="Dataset folder or name (default: the one config.json records)."
    ),
    dataset: str = typer.Option(None, help=DATASET_HELP),
    data_option: list[str] = typer.Option(None, "--data-option", "-O", help=DATA_OPTION_HELP),
    framework: str = typer.Option("torch", "--framework", "-f"),
    split: Split = typer.Option("val", help="val or test."),
    batch_size: int = typer.Option(64, min=1),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Evaluate a trained model: macro precision, recall, F1, accuracy, per-class scores."""
    from zoo_core import evaluation

    options = parse_options(data_option) if data_option else None
    metrics = evaluation.evaluate(source, framework, data, split, batch_size, dataset, options)
    if as_json:
        typer.echo(json.dumps(metrics, indent=2))
        return
    evaluation.print_metrics(metrics, Console())


def predict_command(
    source: str = typer.Argument(..., help="Run directory, model.safetensors or hf-hub:ORG/NAME."),
    images: list[Path] = typer.Argument(..., help="Image files."),
    framework: str = typer.Option("torch", "--framework", "-f"),
    top_k: int = typer.Option(3, "--top-k", "-k", min=1),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Print the top-k gesture classes with probabilities for each image."""
    from zoo_core import evaluation

    results = evaluation.predict_files(source, framework, images, top_k)
    if as_json:
        typer.echo(json.dumps(results, indent=2))
        return
    from zoo_core.safe_text import for_terminal

    for result in results:
        ranked = "  ".join(f"{p['label']} {p['probability']:.3f}" for p in result["top_k"])
        typer.echo(for_terminal(f"{result['image']}: {ranked}"))


def register(app: typer.Typer) -> None:
    app.command("train")(train_command)
    app.command("eval")(eval_command)
    app.command("predict")(predict_command)
