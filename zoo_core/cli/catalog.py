"""``zoo list``, ``zoo info`` and ``zoo plugins``: what is installed. No framework is imported."""

from __future__ import annotations

import dataclasses
import json

import typer
from rich.console import Console
from rich.table import Table

from zoo_core.safe_text import for_rich

STUDY_HEADS = ((), (512,), (512, 256), (512, 256, 128))


def list_command() -> None:
    """List architectures × frameworks, heads, frameworks and datasets."""
    from zoo_core.registry import get_registry

    registry = get_registry()
    console = Console()
    frameworks = registry.frameworks.names()
    table = Table(title="Architectures")
    for column in ("architecture", *frameworks, "plugin"):
        table.add_column(column)
    for arch in registry.architectures:
        marks = ["✓" if fw in arch.builders else "–" for fw in frameworks]
        table.add_row(for_rich(arch.name), *marks, for_rich(arch.distribution))
    console.print(table)

    heads = Table(title="Heads (--head)")
    for column in ("head", "frameworks", "description", "plugin"):
        heads.add_column(column)
    for head in registry.heads:
        cells = (head.name, ", ".join(head.builders), head.description, head.distribution)
        heads.add_row(*map(for_rich, cells))
    console.print(heads)

    fws = Table(title="Frameworks (--framework)")
    for column in ("framework", "installed", "exports", "description", "plugin"):
        fws.add_column(column)
    for fw in registry.frameworks:
        installed = "yes" if registry.framework_available(fw.name) else f"no: zoo[{fw.name}]"
        cells = (fw.name, installed, ", ".join(fw.exporters), fw.description, fw.distribution)
        fws.add_row(*map(for_rich, cells))
    console.print(fws)

    datasets = Table(title="Datasets (--data)")
    for column in ("dataset", "classes", "description", "plugin"):
        datasets.add_column(column)
    for ds in registry.datasets:
        name = f"{ds.name} (default)" if ds.default else ds.name
        classes = str(len(ds.classes)) if ds.classes else "from the folder"
        datasets.add_row(*map(for_rich, (name, classes, ds.description, ds.distribution)))
    console.print(datasets)


def info_command(
    architecture: str = typer.Argument(..., help="Architecture name, e.g. se_resnet18."),
    num_classes: int = typer.Option(None, help="Classes (default: the architecture's labels)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show an architecture's config, parameter counts per head and framework, and its plugin."""
    from zoo_core.registry import get_registry, parameter_count
    from zoo_core.specs import HeadConfig

    registry = get_registry()
    arch = registry.architecture(architecture)
    classes = num_classes or len(arch.label_names)
    counts = {
        str(HeadConfig(hidden)): parameter_count(registry, arch.name, HeadConfig(hidden), classes)
        for hidden in STUDY_HEADS
    }
    config = dataclasses.asdict(arch)
    if as_json:
        typer.echo(json.dumps({"config": config, "num_classes": classes, "parameters": counts}))
        return
    console = Console()
    table = Table(title=f"{arch.name} — {arch.description}", show_header=False)
    for key in ("input_size", "mean", "std", "options", "classifier", "num_features", "paper"):
        table.add_row(key, str(config[key]))
    table.add_row("frameworks", ", ".join(arch.frameworks))
    table.add_row("labels", f"{len(arch.label_names)}: {', '.join(arch.label_names)}")
    table.add_row("plugin", arch.distribution)
    console.print(table)
    params = Table(title=f"Trainable parameters ({classes} classes)")
    params.add_column("head")
    for fw in arch.frameworks:
        params.add_column(fw, justify="right")
    for head, count in counts.items():
        params.add_row(head, *[f"{count:,}" if count else "?" for _ in arch.frameworks])
    console.print(params)


def plugins_command(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show every plugin: distribution, version, hooks implemented, status."""
    from zoo_core.registry import get_registry

    infos = get_registry().plugins
    if as_json:
        typer.echo(json.dumps([dataclasses.asdict(info) for info in infos], indent=2))
        return
    table = Table(title="Plugins")
    for column in ("plugin", "distribution", "version", "hooks", "status"):
        table.add_column(column)
    for info in infos:
        status = "ok" if info.ok else f"[red]{for_rich(info.error)}[/]"
        cells = (info.name, info.distribution, info.version, ", ".join(info.hooks))
        table.add_row(*map(for_rich, cells), status)
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.command("list")(list_command)
    app.command("info")(info_command)
    app.command("plugins")(plugins_command)
