"""``zoo export`` and ``zoo bench``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

SOURCE_HELP = "Run directory, model.safetensors or hf-hub:ORG/NAME."


def export_command(
    source: str = typer.Argument(..., help=SOURCE_HELP),
    fmt: str = typer.Option(..., "--format", help="onnx, mindir, torchscript (see 'zoo list')."),
    framework: str = typer.Option(
        None, "--framework", "-f", help="Exporting framework (default: the run's own)."
    ),
    out: Path = typer.Option(None, help="Output file (default: model.FORMAT in the run)."),
    int8: bool = typer.Option(
        False, "--int8", help="Also write a static int8 model, scored on the val split."
    ),
    calibration: int = typer.Option(64, min=1, help="Training images to calibrate int8 on."),
    seed: int = typer.Option(0, min=0, help="Seed choosing the calibration images."),
    data: str = typer.Option(None, help="Dataset for verification/calibration (default: run's)."),
) -> None:
    """Export a trained model, verify it against the framework, optionally quantize it."""
    from zoo_core.exporting import export_run
    from zoo_core.paths import file_to_write

    if out is not None:
        file_to_write(out, f"file for the {fmt} export")
    export_run(
        source,
        fmt,
        framework,
        out,
        int8=int8,
        calibration=calibration,
        seed=seed,
        data=data,
        echo=typer.echo,
    )


def bench_command(
    source: str = typer.Argument(..., help=SOURCE_HELP),
    framework: list[str] = typer.Option(
        None, "--framework", "-f", help="Only these frameworks (default: every installed one)."
    ),
    image_size: int = typer.Option(None, min=16, help="Input size in px (default: the run's)."),
    threads: int = typer.Option(1, min=1, help="Compute threads for every runtime."),
    batch_size: int = typer.Option(32, min=1, help="Batch size of the throughput measurement."),
    warmup: int = typer.Option(5, min=0, help="Untimed calls before timing."),
    iterations: int = typer.Option(30, min=1, help="Timed batch-1 calls."),
    batch_iterations: int = typer.Option(5, min=1, help="Timed batch calls."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Batch-1 latency and batch throughput of a run in every installed runtime."""
    from rich.console import Console

    from zoo_core import bench, checkpoint
    from zoo_core.errors import InvalidValue
    from zoo_core.rundir import RunDir

    size = image_size or int(RunDir(checkpoint.locate(source)).read_config()["input_size"][-1])
    settings = bench.BenchSettings(size, threads, batch_size, warmup, iterations, batch_iterations)
    err = Console(stderr=True)
    report = bench.bench(source, settings, framework or None, echo=err.print)
    if not report["results"]:
        reasons = "; ".join(f"{s['framework']}: {s['reason']}" for s in report["skipped"])
        raise InvalidValue(f"{source}: no runtime could be benchmarked ({reasons or 'none'})")
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    bench.print_table(report, Console())


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)
    app.command("bench")(bench_command)
