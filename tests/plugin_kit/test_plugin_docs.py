"""docs/plugins.md stays true: every code block is a tested kind, the tutorial's files are the
example plugin's, every hook and spec field is documented exactly, and every hook is exercised."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
from pathlib import Path

import pytest
from plugin_kit_support import DOCS, EXAMPLE, REPO, blocks_tagged, doc_blocks

from zoo_core import data, hookspecs, specs
from zoo_core.framework import FrameworkBackend

TESTED_KINDS = {
    ("toml", "file"): "written into the tutorial's package (test_plugin_tutorial)",
    ("python", "file"): "written into the tutorial's package (test_plugin_tutorial)",
    ("text", "layout"): "the tutorial's files (test_layout_lists_the_tutorial_files)",
    ("bash", ""): "run in a fresh venv (test_plugin_tutorial)",
    ("bash", "ci"): "run by examples/zoo-cbam/ci.sh (test_ci_block_is_what_ci_runs)",
    ("bash", "scaffold"): "run by test_plugin_scaffold",
    ("bash", "dataset"): "run in a fresh venv by test_dataset_tutorial",
    ("python", "source"): "an excerpt of zoo's own file (test_source_blocks_are_excerpts)",
    ("python", "hook"): "a hook's signature (test_every_hook_is_documented_with_its_signature)",
}


def hook_names() -> list[str]:
    return [name for name, obj in vars(hookspecs).items() if hasattr(obj, "zoo_spec")]


def signature_line(name: str) -> str:
    """``def zoo_commands(app: typer.Typer) -> None:`` from the hookspec itself."""
    signature = inspect.signature(getattr(hookspecs, name))
    parameters = ", ".join(f"{p.name}: {p.annotation}" for p in signature.parameters.values())
    return f"def {name}({parameters}) -> {signature.return_annotation}:"


def section(heading: str) -> str:
    """The text under a ``#### heading`` up to the next heading of any level."""
    text = DOCS.read_text()
    start = text.index(f"#### `{heading}`\n")
    rest = text[start:].split("\n", 1)[1]
    match = re.search(r"^#{1,4} ", rest, flags=re.M)
    return rest[: match.start()] if match else rest


def table_rows(text: str) -> list[list[str]]:
    """The cells of a markdown table's body rows; ``\\|`` is a literal ``|`` inside a cell."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [
        [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", row.strip("|"))]
        for row in rows[2:]
    ]


def test_every_code_block_is_of_a_tested_kind() -> None:
    untested = []
    for block in doc_blocks():
        kind = (block.language, "file" if block.file else " ".join(block.info))
        if block.source:
            kind = (block.language, "source")
        if kind not in TESTED_KINDS:
            untested.append(f"```{block.language} {' '.join(block.info)}: {block.lines()[:1]}")
    assert not untested, f"code blocks no test exercises: {untested}"


def test_file_blocks_are_the_example_plugin_file_for_file() -> None:
    files = [block for block in doc_blocks() if block.file]
    assert {b.file for b in files} >= {"pyproject.toml", "zoo_cbam/__init__.py"}
    for block in files:
        example = EXAMPLE / block.file
        assert example.is_file(), f"docs show {block.file}, examples/zoo-cbam has no such file"
        assert block.text == example.read_text(), f"docs and examples/zoo-cbam/{block.file} differ"


def test_layout_lists_the_tutorial_files() -> None:
    (layout,) = blocks_tagged("text", "layout")
    root, *listed = layout.lines()
    assert root == "zoo-cbam/"
    assert sorted(line.strip() for line in listed) == sorted(b.file for b in doc_blocks() if b.file)


def test_ci_block_is_what_ci_runs() -> None:
    ci_lines = {line.strip() for line in (EXAMPLE / "ci.sh").read_text().splitlines()}
    (block,) = blocks_tagged("bash", "ci")
    missing = [line for line in block.lines() if line not in ci_lines]
    assert not missing, f"tutorial steps that examples/zoo-cbam/ci.sh does not run: {missing}"


@pytest.mark.parametrize("name", hook_names())
def test_every_hook_is_documented_with_its_signature(name: str) -> None:
    documented = [b.text for b in blocks_tagged("python", "hook") if f"def {name}(" in b.text]
    assert len(documented) == 1, f"hook {name} needs exactly one ```python hook block"
    assert "@hookimpl\n" in documented[0]
    assert signature_line(name) in documented[0]
    assert f"#### `{name}`" in DOCS.read_text()


def test_no_documented_hook_is_missing_from_hookspecs() -> None:
    documented = {re.search(r"def (\w+)\(", b.text)[1] for b in blocks_tagged("python", "hook")}
    assert documented == set(hook_names())


@pytest.mark.parametrize("name", hook_names())
def test_every_hook_is_exercised_by_a_test(name: str) -> None:
    this = Path(__file__).resolve()
    users = [
        path
        for path in (REPO / "tests").rglob("*.py")
        if path.resolve() != this and re.search(rf"\b{name}\b", path.read_text())
    ]
    assert users, f"no test under tests/ uses the hook {name}"


def default_text(field: dataclasses.Field) -> str:
    if field.default is not dataclasses.MISSING:
        return f"`{field.default!r}`"
    if field.default_factory is not dataclasses.MISSING:
        return f"`{field.default_factory()!r}`"
    return "required"


SPECS = (
    specs.ArchitectureSpec,
    specs.HeadSpec,
    specs.FrameworkSpec,
    specs.DatasetSpec,
    specs.WeightFormatSpec,
)
DATA_CONTRACT = (data.DataRequest, data.DataSplits, data.Recognition)


@pytest.mark.parametrize(
    "spec", [*SPECS, specs.HeadConfig, *DATA_CONTRACT], ids=lambda spec: spec.__name__
)
def test_spec_tables_match_the_dataclasses(spec: type) -> None:
    rows = table_rows(section(spec.__name__))
    documented = [(name, kind, default) for name, kind, default, _ in rows]
    expected = [(f"`{f.name}`", f"`{f.type}`", default_text(f)) for f in dataclasses.fields(spec)]
    assert documented == expected
    assert all(meaning for *_, meaning in rows), f"{spec.__name__}: a field without a meaning"


def test_backend_table_lists_the_protocol() -> None:
    protocol = sorted(
        name
        for name, member in vars(FrameworkBackend).items()
        if callable(member) and not name.startswith("_")
    )
    documented = sorted(
        re.match(r"`(\w+)\(", method)[1] for method, _ in table_rows(section("zoo_frameworks"))
    )
    assert documented == protocol


def function_parameters(module_path: Path, name: str) -> list[str]:
    """The parameter names of a top-level function, read without importing its module."""
    for node in ast.parse(module_path.read_text()).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return [argument.arg for argument in node.args.args]
    raise AssertionError(f"{module_path} has no {name}")


@pytest.mark.parametrize(
    ("module", "name", "parameters"),
    [
        ("zoo_resnet/shapes.py", "resnet18", ["se_ratio", "se_divisor"]),
        ("zoo_resnet/torch_models.py", "build_resnet", ["make_head", "block_args", "options"]),
        (
            "zoo_resnet/mindspore_models.py",
            "conv",
            ["in_channels", "out_channels", "kernel", "stride", "bias"],
        ),
        ("zoo_resnet/mindspore_models.py", "batch_norm", ["channels", "zero_gamma"]),
    ],
)
def test_documented_building_blocks_exist(module: str, name: str, parameters: list[str]) -> None:
    assert function_parameters(REPO / "plugins" / module, name) == parameters
    assert f"`{name}(" in DOCS.read_text()


def test_the_conformance_table_lists_every_check_of_the_suite() -> None:
    from zoo_core.testing import ConformanceSuite

    text = DOCS.read_text().split("## The conformance kit", 1)[1].split("\n## ", 1)[0]
    documented = [row[0].strip("`") for row in table_rows(text)]
    assert documented == [name for name in vars(ConformanceSuite) if name.startswith("test_")]


def test_source_blocks_are_excerpts_of_the_files_they_name() -> None:
    blocks = [block for block in doc_blocks() if block.source]
    assert blocks, "the worked example shows no source"
    for block in blocks:
        assert block.text in (REPO / block.source).read_text(), f"not an excerpt: {block.source}"


def test_the_dataset_kit_table_lists_every_check_of_its_suite() -> None:
    from zoo_core.testing import DatasetSuite

    text = DOCS.read_text().split("### The dataset kit", 1)[1].split("\n### ", 1)[0]
    documented = [row[0].strip("`") for row in table_rows(text)]
    assert documented == [name for name in vars(DatasetSuite) if name.startswith("test_")]
