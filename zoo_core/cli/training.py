"""``zoo train``, ``zoo eval``, ``zoo predict`` and ``zoo export``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from zoo_core.errors import InvalidValue

STUDY_DEFAULTS: dict[str, Any] = {"epochs": 20, "image_size": 224, "batch_size": 32, "lr": 1e-3}
DATA_HELP = (
    "Dataset folder (the installed dataset plugins recognise it) or dataset name "
    "(default: the dataset marked default, see 'zoo list')."
)
DATASET_HELP = "Read --data as this dataset instead of detecting it (see 'zoo list')."
DATA_OPTION_HELP = "Dataset option KEY=VALUE for the dataset plugin (repeatable)."


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
    head_dropout: float = typer.Option(0.0, help="Dropout between head layers."),
    data: str = typer.Option(None, help=DATA_HELP),
    dataset: str = typer.Option(None, help=DATASET_HELP),
    data_option: list[str] = typer.Option(None, "--data-option", "-O", help=DATA_OPTION_HELP),
    mode: str = typer.Option(
        None, help="crop (one hand) or full_frame; the dataset's first mode by default."
    ),
    epochs: int = typer.Option(None, help="Epochs [20; demo default on synthetic data]."),
    batch_size: int = typer.Option(None, help="Batch size [32]."),
    lr: float = typer.Option(None, help="Adam learning rate [1e-3]."),
    image_size: int = typer.Option(None, help="Input size in px [224; demo on synthetic]."),
    per_class: float = typer.Option(None, help="Subset: N images per class, or a fraction."),
    seed: int = typer.Option(0, help="Random seed."),
    out: Path = typer.Option(None, help="Run directory (default: runs/<arch>-<framework>)."),
    resume: bool = typer.Option(False, help="Continue the run in --out where it stopped."),
    device: str = typer.Option("auto", help="auto, cpu, cuda, gpu or ascend."),
    precision: str = typer.Option("auto", help="auto, fp32, bf16 or fp16."),
    workers: int = typer.Option(None, help="Data-loading workers (default: auto)."),
    strict: bool = typer.Option(False, help="Fail on a bad sample instead of skipping it."),
    nproc: int = typer.Option(1, help="Data-parallel processes (torchrun / msrun)."),
    ms_mode: str = typer.Option("graph", help="MindSpore execution mode: graph or pynative."),
    option: list[str] = typer.Option(None, "--option", "-o", help="Architecture KEY=VALUE."),
) -> None:
    """Train an architecture (+ head) in a framework; writes a run directory."""
    from zoo_core.datasets import resolve_mode
    from zoo_core.framework import TrainJob
    from zoo_core.registry import get_registry
    from zoo_core.specs import HeadConfig

    registry = get_registry()
    registry.architecture(architecture)
    registry.frameworks[framework]
    head_config = HeadConfig.parse(head, head_dropout)
    registry.heads[head_config.kind]
    dataset, root = registry.resolve_data(data, dataset)
    mode = resolve_mode(registry.datasets[dataset], mode)
    given = {"epochs": epochs, "image_size": image_size, "batch_size": batch_size, "lr": lr}
    given["per_class"] = per_class
    demo = {
        k: v for k, v in registry.datasets[dataset].train_defaults.items() if given.get(k) is None
    }
    settings = {**STUDY_DEFAULTS, **demo, **{k: v for k, v in given.items() if v is not None}}
    if demo:
        shown = ", ".join(f"{k}={v}" for k, v in demo.items())
        Console(stderr=True).print(
            f"[bold]{dataset}[/]: demo defaults {shown} (synthetic data; the study's 20 epochs "
            "at 224 px stay the default on real HaGRID)"
        )
    job = TrainJob(
        architecture=architecture,
        framework=framework,
        head=head_config,
        dataset=dataset,
        data=root,
        mode=mode,
        seed=seed,
        out=out or default_out(architecture, framework, resume),
        resume=resume,
        device=device,
        precision=precision,
        workers=-1 if workers is None else workers,
        strict=strict,
        nproc=nproc,
        architecture_options=parse_options(option),
        options={"ms_mode": ms_mode, "data": parse_options(data_option)},
        **settings,
    )
    registry.backend(framework).train(job)


def eval_command(
    source: str = typer.Argument(..., help="Run directory, model.safetensors or hf-hub:ORG/NAME."),
    data: str = typer.Option(
        None, help="Dataset folder or name (default: the one config.json records)."
    ),
    dataset: str = typer.Option(None, help=DATASET_HELP),
    data_option: list[str] = typer.Option(None, "--data-option", "-O", help=DATA_OPTION_HELP),
    framework: str = typer.Option("torch", "--framework", "-f"),
    split: str = typer.Option("val", help="val or test."),
    batch_size: int = typer.Option(64),
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
    top_k: int = typer.Option(3, "--top-k", "-k"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Print the top-k gesture classes with probabilities for each image."""
    from zoo_core import evaluation

    results = evaluation.predict_files(source, framework, images, top_k)
    if as_json:
        typer.echo(json.dumps(results, indent=2))
        return
    for result in results:
        ranked = "  ".join(f"{p['label']} {p['probability']:.3f}" for p in result["top_k"])
        typer.echo(f"{result['image']}: {ranked}")


def export_command(
    source: str = typer.Argument(..., help="Run directory, model.safetensors or hf-hub:ORG/NAME."),
    fmt: str = typer.Option(..., "--format", help="onnx, mindir, … (see 'zoo list')."),
    framework: str = typer.Option(
        None, "--framework", "-f", help="(default: one that exports --format)"
    ),
    out: Path = typer.Option(None, help="Output file (default: next to the weights)."),
) -> None:
    """Export a trained model to a deployment format."""
    from zoo_core import checkpoint
    from zoo_core.registry import get_registry

    registry = get_registry()
    if framework is None:
        able = [fw.name for fw in registry.frameworks if fmt in fw.exporters]
        if not able:
            raise InvalidValue(f"no installed framework exports {fmt!r}")
        framework = able[0]
    if fmt not in registry.frameworks[framework].exporters:
        raise InvalidValue(f"framework {framework!r} cannot export {fmt!r}")
    loaded = checkpoint.load(source, framework, registry)
    target = out or loaded.path / f"model.{fmt}"
    size = int(loaded.config["input_size"][-1])
    written = loaded.backend.export(loaded.model, fmt, target, size)
    typer.echo(f"exported {written}")


def register(app: typer.Typer) -> None:
    app.command("train")(train_command)
    app.command("eval")(eval_command)
    app.command("predict")(predict_command)
    app.command("export")(export_command)
