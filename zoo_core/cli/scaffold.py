"""``zoo plugin new NAME``: a new plugin distribution whose own tests pass straight away."""

from __future__ import annotations

import importlib.util
import keyword
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import typer

from zoo_core.errors import InvalidValue

DISTRIBUTION = re.compile(r"^[A-Za-z][A-Za-z0-9]*([-_][A-Za-z0-9]+)*$")
FILES = {
    "pyproject.toml.jinja": "pyproject.toml",
    "README.md.jinja": "README.md",
    "__init__.py.jinja": "{package}/__init__.py",
    "shapes.py.jinja": "{package}/shapes.py",
    "torch_models.py.jinja": "{package}/torch_models.py",
    "mindspore_models.py.jinja": "{package}/mindspore_models.py",
    "test_conformance.py.jinja": "tests/test_conformance.py",
}
DATASET_FILES = {
    "pyproject.toml.jinja": "pyproject.toml",
    "README.md.jinja": "README.md",
    "__init__.py.jinja": "{package}/__init__.py",
    "dataset.py.jinja": "{package}/dataset.py",
    "example.py.jinja": "{package}/example.py",
    "test_dataset.py.jinja": "tests/test_dataset.py",
}
KINDS = {"architecture": ("plugin", FILES), "dataset": ("dataset", DATASET_FILES)}


@dataclass(frozen=True)
class PluginNames:
    """The names a new plugin needs, all derived from its distribution name."""

    distribution: str
    package: str
    entry_point: str
    architecture: str
    dataset: str

    @classmethod
    def derive(cls, distribution: str, architecture: str | None = None) -> PluginNames:
        """``zoo-tiny`` → package ``zoo_tiny``, entry point ``tiny``, architecture ``tiny_net``,
        dataset ``tiny``."""
        if not DISTRIBUTION.match(distribution):
            raise InvalidValue(
                f"plugin name {distribution!r}: use letters, digits and single '-' or '_' "
                "between them, starting with a letter (e.g. zoo-mynet)"
            )
        package = distribution.lower().replace("-", "_")
        entry_point = package.removeprefix("zoo_") or package
        architecture = architecture or f"{entry_point}_net"
        if not architecture.isidentifier() or keyword.iskeyword(architecture):
            raise InvalidValue(f"architecture name {architecture!r}: must be a Python identifier")
        if keyword.iskeyword(package):
            raise InvalidValue(f"plugin name {distribution!r}: {package!r} is a Python keyword")
        if importlib.util.find_spec(package) is not None:
            raise InvalidValue(
                f"plugin name {distribution!r}: a module named {package!r} already exists; "
                "choose another name"
            )
        return cls(distribution, package, entry_point, architecture, entry_point.replace("_", "-"))


def render(template: str, names: PluginNames) -> str:
    """Fill a ``.jinja`` template with Jinja2; a placeholder without a value is an error."""
    import jinja2

    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False
    )
    return environment.from_string(template).render(vars(names))


def create_plugin(names: PluginNames, target: Path, kind: str = "architecture") -> list[Path]:
    """Write the plugin's files under ``target`` (new or empty); return their paths."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InvalidValue(f"{target}: already exists and is not empty")
    if kind not in KINDS:
        raise InvalidValue(f"plugin kind {kind!r}: expected one of {', '.join(KINDS)}")
    folder, files = KINDS[kind]
    templates = resources.files("zoo_core") / "templates" / folder
    written = []
    for template, relative in files.items():
        path = target / relative.format(package=names.package)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(templates.joinpath(template).read_text(), names))
        written.append(path)
    return written


def new_command(
    name: str = typer.Argument(..., help="Distribution name of the plugin, e.g. zoo-mynet."),
    directory: Path = typer.Option(None, "--dir", help="Where to create it [./NAME]."),
    architecture: str = typer.Option(
        None, help="Name of its example architecture (default: NAME_net)."
    ),
    kind: str = typer.Option(
        "architecture", "--kind", help="architecture (a small CNN) or dataset (a folder reader)."
    ),
) -> None:
    """Create a plugin distribution whose own tests pass straight away.

    An architecture plugin holds the entry point, the hook, a shape manifest, torch and MindSpore
    builders of a small CNN, and tests that run zoo's conformance kit on it; a dataset plugin
    (--kind dataset) a reader of image folders listed in a labels.csv, with detection,
    verification, an example writer and tests that run zoo's dataset kit on it.
    """
    names = PluginNames.derive(name, architecture)
    target = directory or Path(name)
    create_plugin(names, target, kind)
    provided = names.dataset if kind == "dataset" else names.architecture
    typer.echo(f"created {names.distribution} in {target} ({kind} {provided})")
    typer.echo(f"next: cd {target} && pip install -e . && pytest && zoo list")


def register(app: typer.Typer) -> None:
    plugin_app = typer.Typer(help="Write plugins: 'zoo plugin new NAME'.", no_args_is_help=True)
    plugin_app.command("new")(new_command)
    app.add_typer(plugin_app, name="plugin")
