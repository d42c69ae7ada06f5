"""``zoo train``, ``zoo eval`` and ``zoo predict``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import typer
from rich.console import Console

from zoo_core.errors import InvalidValue
from zoo_core.schedules import OPTIMIZERS, SCHEDULES

DATA_HELP = (
    "Dataset folder (the installed dataset plugins recognise it) or dataset name "
    "(default: the dataset marked default, see 'zoo list')."
)
DATASET_HELP = "Read --data as this dataset instead of detecting it (see 'zoo list')."
DATA_OPTION_HELP = "Dataset option KEY=VALUE for the dataset plugin (repeatable)."
OptimizerName = Literal[OPTIMIZERS]  # type: ignore[valid-type]
ScheduleName = Literal[SCHEDULES]  # type: ignore[valid-type]
MIN_IMAGE_SIZE = 16
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


def train_command(
    architecture: str = typer.Argument(..., help="Architecture, e.g. resnet18, se_resnet18."),
    framework: str = typer.Option("torch", "--framework", "-f", help="A framework that trains."),
    head: str = typer.Option(None, help="MLP head hidden widths, e.g. '512,256'; '' = linear."),
    head_dropout: float = typer.Option(
        None, parser=below_one, metavar="[0,1)", help="Dropout between head layers (default 0)."
    ),
    data: str = typer.Option(None, help=DATA_HELP),
    dataset: str = typer.Option(None, help=DATASET_HELP),
    data_option: list[str] = typer.Option(None, "--data-option", "-O", help=DATA_OPTION_HELP),
    mode: str = typer.Option(
        None, help="crop (one hand) or full_frame; the dataset's first mode by default."
    ),
    epochs: int = typer.Option(
        None, min=1, help="Epochs (20; the dataset's demo default on synthetic)."
    ),
    batch_size: int = typer.Option(None, min=1, help="Batch size (32)."),
    lr: float = typer.Option(
        None, parser=positive, help="Learning rate, the peak of a schedule (1e-3)."
    ),
    optimizer: OptimizerName = typer.Option(None, help="Optimizer (default adam, the study's)."),
    momentum: float = typer.Option(None, min=0, max=1, help="SGD momentum (0.9)."),
    weight_decay: float = typer.Option(
        None, min=0, help="Weight decay (0): L2 for adam and sgd, decoupled for adamw."
    ),
    schedule: ScheduleName = typer.Option(None, help="Learning-rate schedule (default constant)."),
    warmup_steps: int = typer.Option(None, min=0, help="Linear warm-up steps (0)."),
    warmup_factor: float = typer.Option(
        None, min=0, max=1, help="Warm-up starts at lr × this (0.001)."
    ),
    image_size: int = typer.Option(
        None, min=MIN_IMAGE_SIZE, help="Input size in px (224; demo on synthetic)."
    ),
    per_class: float = typer.Option(
        None, parser=positive, help="Subset: N images per class, or a fraction."
    ),
    seed: int = typer.Option(None, min=0, help="Random seed (0)."),
    out: Path = typer.Option(None, help="Run directory (default: runs/<arch>-<framework>)."),
    resume: bool = typer.Option(False, help="Continue the run in --out where it stopped."),
    device: str = typer.Option(None, help="Device (auto)."),
    precision: str = typer.Option(None, help="Precision (auto)."),
    workers: int = typer.Option(None, min=0, help="Data-loading workers (default: auto)."),
    strict: bool = typer.Option(False, help="Fail on a bad sample instead of skipping it."),
    nproc: int = typer.Option(
        None, min=1, help="Data-parallel processes (the framework's launcher)."
    ),
    tensorboard: bool = typer.Option(
        False, help="Write TensorBoard events (loss, learning rate, metrics) to RUN/tensorboard."
    ),
    option: list[str] = typer.Option(None, "--option", "-o", help="Architecture KEY=VALUE."),
    init: str = typer.Option(
        None, help="Start from these weights: a run, a file, local-dir:PATH or hf-hub:ORG/NAME."
    ),
    freeze_backbone: bool = typer.Option(False, help="Train only the classifier head."),
    **framework_options: str | None,
) -> None:
    """Train an architecture (+ head) in a framework; writes a run directory."""
    from zoo_core.registry import get_registry
    from zoo_core.specs import HeadConfig
    from zoo_core.train_flow import new_job, train

    registry = get_registry()
    dataset, root = registry.resolve_data(data, dataset)
    given = {k: v for k, v in framework_options.items() if v is not None}
    given["data"] = parse_options(data_option)
    job = new_job(
        architecture,
        framework,
        registry,
        head=HeadConfig.parse(head, head_dropout or 0.0),
        dataset=dataset,
        data=root,
        mode=mode,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        optimizer=optimizer,
        momentum=momentum,
        weight_decay=weight_decay,
        schedule=schedule,
        warmup_steps=warmup_steps,
        warmup_factor=warmup_factor,
        image_size=image_size,
        per_class=per_class,
        seed=seed,
        out=out,
        resume=resume,
        device=device,
        precision=precision,
        workers=workers,
        strict=strict,
        nproc=nproc,
        tensorboard=tensorboard,
        architecture_options=parse_options(option),
        options=given,
        init=init,
        freeze_backbone=freeze_backbone,
    )
    train(job, registry)


def choices_by_framework(registry: Any, attribute: str) -> str:
    return "; ".join(
        f"{fw.name}: {', '.join(getattr(fw, attribute))}" for fw in registry.frameworks if fw.trains
    )


def train_command_for(registry: Any) -> Any:
    """``zoo train`` with what the installed frameworks declare: ``--device`` and
    ``--precision`` among their choices (each framework then checks its own), and their extra
    options (``--ms-mode``…)."""
    import copy
    import inspect

    trainers = [fw for fw in registry.frameworks if fw.trains]
    signature = inspect.signature(train_command, eval_str=True)
    parameters = []
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            continue
        if parameter.name == "framework":
            info = copy.copy(parameter.default)
            info.help = f"A framework that trains: {', '.join(fw.name for fw in trainers)} (torch)."
            parameter = parameter.replace(default=info)
        elif parameter.name in ("device", "precision"):
            attribute = f"{parameter.name}s"
            choices = list(dict.fromkeys(c for fw in trainers for c in getattr(fw, attribute)))
            info = copy.copy(parameter.default)
            shown = choices_by_framework(registry, attribute)
            info.help = f"{parameter.name.capitalize()}, by framework: {shown} (auto)."
            parameter = parameter.replace(default=info, annotation=choice(choices))
        parameters.append(parameter)
    declared: set[str] = set()
    for fw in trainers:
        for option in fw.options:
            if option.name in declared:
                continue
            declared.add(option.name)
            help_text = f"{option.help} Framework {fw.name}; default {option.value}."
            parameters.append(
                inspect.Parameter(
                    option.name,
                    inspect.Parameter.KEYWORD_ONLY,
                    default=typer.Option(None, option.flag, help=help_text),
                    annotation=choice(option.choices),
                )
            )

    def command(**values: Any) -> None:
        train_command(**values)

    command.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    command.__doc__ = train_command.__doc__
    return command


def choice(choices: list[str] | tuple[str, ...]) -> Any:
    """A ``Literal`` of ``choices``: the CLI refuses anything else as a usage error."""
    return Literal[tuple(choices)]  # type: ignore[valid-type]


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


def register_train(app: typer.Typer, registry: Any) -> None:
    """Add ``zoo train`` once the frameworks are known (:func:`zoo_core.cli.build_app`)."""
    if not any(info.name == "train" for info in app.registered_commands):
        app.command("train")(train_command_for(registry))


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)
    app.command("predict")(predict_command)
