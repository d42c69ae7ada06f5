"""Bad input through the INSTALLED ``zoo`` console script: exit code, one clear line, no traceback,
nothing already saved harmed. Exit codes: 0 ok, 1 error, 2 usage, 130 interrupted."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

ZOO = Path(sys.executable).parent / "zoo"


def zoo(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [str(ZOO), *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        cwd=cwd,
        timeout=300,
    )


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("zoo: error:")]


def assert_one_error(result: subprocess.CompletedProcess, code: int, *names: str) -> str:
    """Exit ``code``, exactly one ``zoo: error:`` line naming every one of ``names``."""
    assert result.returncode == code, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr[-3000:]
    for name in names:
        assert str(name) in lines[0], (name, lines[0])
    return lines[0]


def assert_usage(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "Usage: zoo" in result.stderr or "zoo --help" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# ---------------------------------------------------------------------------------- usage (2)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["predict"], ["Missing argument"]),
        (["frobnicate"], ["No such command 'frobnicate'"]),
        (["train", "resnet18", "--epochs", "abc"], ["--epochs"]),
        (["train", "resnet18", "--epochs", "0"], ["--epochs", "greater than or equal to 1"]),
        (["train", "resnet18", "--lr", "-1"], ["--lr", "not above 0"]),
        (["train", "resnet18", "--head-dropout", "1.5"], ["--head-dropout", "[0, 1)"]),
        (["train", "resnet18", "--device", "tpu"], ["--device", "tpu"]),
        (["eval", "runs/x", "--split", "train"], ["--split", "train"]),
        (["predict", "runs/x", "a.jpg", "--top-k", "0"], ["--top-k"]),
        (["data", "synth", "--out", "x", "--size", "big"], ["--size", "WIDTHxHEIGHT"]),
        (["data", "prepare", "x", "--out", "y", "--mode", "both"], ["--mode", "both"]),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) and value[0] != "--" else None,
)
def test_usage_errors_exit_2_with_the_cli_librarys_message(
    args: list[str], words: list[str], tmp_path: Path
) -> None:
    result = zoo(*args, cwd=tmp_path)
    assert_usage(result, *words)
    assert not any(tmp_path.iterdir()), "a usage error wrote something"


# --------------------------------------------------------------------------- unknown names (1)


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["info", "se_resnet81"], ["se_resnet81", "Did you mean 'se_resnet18'"]),
        (["train", "resnet18", "--framework", "tensorflow"], ["framework 'tensorflow'"]),
        (["train", "resnet18", "--head", "wide"], ["head 'wide'"]),
        (["train", "resnet18", "--data", "no-such-dataset"], ["--data no-such-dataset"]),
        (["train", "resnet18", "--mode", "sideways"], ["mode 'sideways'"]),
    ],
)
def test_unknown_names(args: list[str], names: list[str], tmp_path: Path) -> None:
    assert_one_error(zoo(*args, cwd=tmp_path), 1, *names)
    assert not any(tmp_path.iterdir())


# ------------------------------------------------------------------ a tiny real run to misuse


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One epoch of resnet18 at 32 px on a few hagrid-synth images (about half a minute)."""
    out = tmp_path_factory.mktemp("tiny") / "run"
    result = zoo(*TRAIN, "--epochs", "1", "--out", out, env=cache_env(tmp_path_factory))
    assert result.returncode == 0, result.stderr[-3000:]
    return out


TRAIN = ["train", "resnet18", "--image-size", "32", "--per-class", "2", "--batch-size", "8"]
TRAIN += ["--workers", "0"]


def cache_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The tests' shared zoo cache (hagrid-synth is generated there once)."""
    cache = tmp_path_factory.getbasetemp() / "zoo-cache"
    return {"ZOO_CACHE_DIR": os.environ.get("ZOO_TEST_CACHE_DIR", str(cache))}


@pytest.fixture
def run_copy(tiny_run: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "run"
    shutil.copytree(tiny_run, copy)
    return copy


@pytest.fixture
def image(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "hand.png"
    Image.new("RGB", (40, 30), (200, 150, 120)).save(path)
    return path


def edit_config(run: Path, **fields: object) -> None:
    config = json.loads((run / "config.json").read_text())
    config.update(fields)
    (run / "config.json").write_text(json.dumps(config))


def test_an_unknown_export_format(tiny_run: Path) -> None:
    before = hashes(tiny_run)
    assert_one_error(zoo("export", tiny_run, "--format", "tflite"), 1, "tflite")
    assert hashes(tiny_run) == before


def test_the_tiny_run_predicts(tiny_run: Path, image: Path) -> None:
    """The baseline every case below spoils in one way."""
    result = zoo("predict", tiny_run, image, "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(json.loads(result.stdout)[0]["top_k"]) == 3


# ------------------------------------------------------------------- config.json of a run (1)


@pytest.mark.parametrize(
    ("spoil", "names"),
    [
        ({"num_classes": "eighteen"}, ["field 'num_classes'", "valid integer"]),
        ({"head": [512, -3]}, ["field 'head.1'", "greater than 0"]),
        ({"input_size": [3, 32]}, ["field 'input_size'"]),
        ({"mean": "imagenet"}, ["field 'mean'"]),
        ({"results": {"f1": "great"}}, ["field 'results.f1'"]),
        ({"label_names": ["like"]}, ["label_names has 1 names but num_classes is"]),
        ({"architecture": None}, ["field 'architecture'"]),
    ],
    ids=lambda value: ",".join(value) if isinstance(value, dict) else None,
)
def test_config_json_of_the_wrong_shape(
    run_copy: Path, image: Path, spoil: dict[str, object], names: list[str]
) -> None:
    edit_config(run_copy, **spoil)
    before = hashes(run_copy)
    for command in (("predict", run_copy, image), ("export", run_copy, "--format", "onnx")):
        assert_one_error(zoo(*command), 1, run_copy / "config.json", *names)
    assert hashes(run_copy) == before


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("[1, 2, 3]", ["expected a JSON object, found list"]),
        ('{"architecture": "resnet18",', ["malformed JSON"]),
        ("\udcff", ["malformed JSON"]),
    ],
    ids=["a list", "cut short", "not UTF-8"],
)
def test_config_json_that_is_not_an_object(
    run_copy: Path, image: Path, text: str, names: list[str]
) -> None:
    (run_copy / "config.json").write_bytes(text.encode("utf-8", "surrogateescape"))
    before = hashes(run_copy)
    assert_one_error(zoo("predict", run_copy, image), 1, run_copy / "config.json", *names)
    assert hashes(run_copy) == before


def test_unknown_fields_in_config_json_are_kept_and_allowed(run_copy: Path, image: Path) -> None:
    edit_config(run_copy, provenance={"source": "elsewhere"}, preprocessing=[1, 2])
    result = zoo("predict", run_copy, image)
    assert result.returncode == 0, result.stderr[-3000:]


def test_untrusted_text_is_escaped_and_shell_quoted(run_copy: Path, image: Path) -> None:
    """A config.json naming an uninstalled plugin with escape codes and shell syntax."""
    edit_config(
        run_copy,
        architecture="evil\x1b[2J\x1b]0;pwned\x07net",
        plugin={"distribution": "zoo-evil; touch pwned\n"},
    )
    line = assert_one_error(zoo("predict", run_copy, image), 1, "evil")
    assert "\x1b" not in line and "\x07" not in line
    assert "pip install 'zoo-evil; touch pwned '" in line


# -------------------------------------------------------------------- local checksums (1)


def test_weights_that_differ_from_their_recorded_sha256_are_refused(
    run_copy: Path, image: Path
) -> None:
    weights = run_copy / "model.safetensors"
    edit_config(run_copy, weights_sha256=hashlib.sha256(weights.read_bytes()).hexdigest())
    assert zoo("predict", run_copy, image).returncode == 0
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF  # one weight changed: still a readable safetensors file
    weights.write_bytes(bytes(data))
    before = hashes(run_copy)
    assert_one_error(zoo("predict", run_copy, image), 1, weights, "differs")
    assert hashes(run_copy) == before


# ---------------------------------------------------------------------------- images (1)


def oversized(path: Path) -> Path:
    """A 9000 × 8000 image: over the pixel limit, a few kB as a PNG."""
    from PIL import Image

    Image.new("1", (9000, 8000)).save(path, format="PNG")
    return path


def test_an_oversized_image_is_a_bad_sample(tiny_run: Path, tmp_path: Path) -> None:
    huge = oversized(tmp_path / "huge.png")
    assert_one_error(zoo("predict", tiny_run, huge), 1, huge, "oversized image")


def test_a_corrupt_image(tiny_run: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    assert_one_error(zoo("predict", tiny_run, broken), 1, broken, "corrupt")


def test_an_oversized_image_in_a_dataset_is_reported_like_a_corrupt_one(tmp_path: Path) -> None:
    release = tmp_path / "synth"
    made = zoo("data", "synth", "--out", release, "--per-class", "1", "--users", "2", "--size",
               "64x48")  # fmt: skip
    assert made.returncode == 0, made.stderr
    victim = sorted(release.rglob("*.jpg"))[0]
    oversized(victim)
    result = zoo("data", "verify", release)
    assert_one_error(result, 1, release, "1 problem")
    assert f"{victim}: oversized image" in result.stdout


# --------------------------------------------------------------- file instead of folder (1)


@pytest.fixture
def places(tmp_path: Path) -> SimpleNamespace:
    (tmp_path / "notes.txt").write_text("my notes\n")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "keep.txt").write_text("keep me\n")
    return SimpleNamespace(file=tmp_path / "notes.txt", folder=tmp_path / "folder")


@pytest.mark.parametrize(
    ("make_args", "names"),
    [
        (lambda p, run: ["eval", p.file], ["not a weight format zoo knows"]),
        (lambda p, run: ["push", p.file, "--repo", "a/b"], ["a file, not a zoo run"]),
        (lambda p, run: ["predict", run, p.folder], ["a folder, not an image file"]),
        (lambda p, run: [*TRAIN, "--data", p.file], ["a file, not a dataset folder"]),
        (lambda p, run: [*TRAIN, "--out", p.file], ["a file, not a run directory"]),
        (lambda p, run: [*TRAIN, "--out", p.file / "run"], ["is a file, so it cannot hold"]),
        (lambda p, run: ["export", run, "--format", "onnx", "--out", p.folder], ["a folder"]),
        (lambda p, run: ["run", p.folder], ["a folder, not a recipe file"]),
        (lambda p, run: ["results", p.file], ["not a folder written by 'zoo run'"]),
        (lambda p, run: ["data", "verify", p.file], ["a file, not a dataset folder"]),
        (lambda p, run: ["data", "verify", p.folder / "absent"], ["no such folder"]),
        (lambda p, run: ["data", "synth", "--out", p.file], ["a file, not a folder to write into"]),
        (lambda p, run: ["data", "prepare", p.folder, "--out", p.file], ["a file, not a cache"]),
    ],
    ids=lambda value: None,
)
def test_a_file_where_a_folder_is_expected_and_the_reverse(
    make_args, names: list[str], places: SimpleNamespace, tiny_run: Path, tmp_path: Path
) -> None:
    before = hashes(tmp_path)
    args = make_args(places, tiny_run)
    *_, named = (arg for arg in args if isinstance(arg, Path) and arg != tiny_run)
    assert_one_error(zoo(*args, cwd=tmp_path), 1, named, *names)
    assert hashes(tmp_path) == before


# --------------------------------------------------------------------------- nothing lost


def test_train_out_never_writes_into_a_folder_of_other_files(places: SimpleNamespace) -> None:
    before = hashes(places.folder)
    result = zoo(*TRAIN, "--out", places.folder)
    assert_one_error(result, 1, places.folder, "not empty and not a zoo run")
    assert hashes(places.folder) == before


def test_train_out_on_an_existing_run_without_resume(run_copy: Path) -> None:
    before = hashes(run_copy)
    assert_one_error(zoo(*TRAIN, "--out", run_copy), 1, run_copy, "--resume")
    assert hashes(run_copy) == before


def test_synth_never_writes_into_a_folder_of_other_files(places: SimpleNamespace) -> None:
    before = hashes(places.folder)
    result = zoo("data", "synth", "--out", places.folder)
    assert_one_error(result, 1, places.folder, "not empty")
    assert hashes(places.folder) == before


def default_sigint() -> None:
    """In the child: Ctrl-C as a terminal delivers it. A background job of a non-interactive
    shell (``cmd &``, how CI may start pytest) inherits SIGINT ignored, and a Python started so
    never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt_when(command: list[str | Path], ready, env: dict[str, str]) -> tuple[int, str]:
    """Start ``command``, send SIGINT once ``ready()`` holds, return (exit code, stderr)."""
    process = subprocess.Popen(
        [str(ZOO), *map(str, command)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
        preexec_fn=default_sigint,
    )
    deadline = time.monotonic() + 240
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "it ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    return process.returncode, stderr


def test_ctrl_c_in_the_first_epoch_leaves_no_half_made_run(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = tmp_path / "run"
    code, stderr = interrupt_when(
        [*TRAIN, "--epochs", "1", "--out", out],
        lambda: (out / "config.json").is_file(),
        cache_env(tmp_path_factory),
    )
    assert code == 130, stderr[-3000:]
    assert stderr.strip().splitlines()[-1] == "zoo: interrupted"
    assert "Traceback" not in stderr
    assert not out.exists(), "a rerun would be refused by a half-made run"


def test_ctrl_c_after_an_epoch_leaves_a_run_that_resume_continues(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out, env = tmp_path / "run", cache_env(tmp_path_factory)
    command = [*TRAIN, "--epochs", "2", "--out", out]
    code, stderr = interrupt_when(
        command, lambda: (out / "training_state.safetensors").is_file(), env
    )
    assert code == 130, stderr[-3000:]
    assert "Traceback" not in stderr and "--resume" in stderr
    resumed = zoo(*command, "--resume", env=env)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "resuming" in resumed.stderr
    epochs = [
        json.loads(line)["epoch"] for line in (out / "metrics.jsonl").read_text().splitlines()
    ]
    assert epochs == [0, 1]


# ------------------------------------------------------------------------- interrupted (130)


def test_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    """A Hub that accepts the connection and never answers: SIGINT while ``zoo pull`` waits."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        process = subprocess.Popen(
            [str(ZOO), "pull", "org/name", "--endpoint", f"http://127.0.0.1:{port}"],
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "HF_HUB_CACHE": str(tmp_path / "hf")},
            preexec_fn=default_sigint,
        )
        server.settimeout(60)
        connection, _ = server.accept()
        with connection:
            time.sleep(0.3)
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "zoo: interrupted"
    assert "Traceback" not in stderr


# ------------------------------------------------------ hostile and buggy plugins (a real install)

HIJACKER = '''
import typer
from zoo_core import ArchitectureSpec, hookimpl


@hookimpl
def zoo_architectures():
    return [ArchitectureSpec(name="resnet18", description="an impostor",
                             builders={"torch": "aaa_hostile:build"})]


@hookimpl
def zoo_commands(app: typer.Typer) -> None:
    @app.command("train")
    def train() -> None:
        """Not zoo's train."""
        print("hijacked")

    @app.command("exit-three")
    def exit_three() -> None:
        """Ends with typer.Exit(3)."""
        raise typer.Exit(3)

    @app.command("crash")
    def crash() -> None:
        """Fails with a bug."""
        raise RuntimeError("the plugin has a bug")
'''

BAD_VALUE = """
from zoo_core import hookimpl


@hookimpl
def zoo_heads():
    return 42
"""

BAD_COMMANDS = """
from zoo_core import ArchitectureSpec, hookimpl


@hookimpl
def zoo_architectures():
    return [ArchitectureSpec(name="doomed_net", description="", builders={"torch": "x:y"})]


@hookimpl
def zoo_commands(app):
    @app.command("doomed")
    def doomed() -> None:
        print("doomed")

    return ["this hook must return nothing"]
"""

CALLBACK = """
from zoo_core import hookimpl


@hookimpl
def zoo_commands(app):
    @app.callback()
    def taken() -> None:
        print("every command is mine")
"""

BAD_SIGNATURE = """
from zoo_core import hookimpl


@hookimpl
def zoo_commands(app):
    @app.command("weird", short_help=123)
    def weird() -> None:
        print("weird")
"""

PLUGINS = {
    "aaa_hostile": HIJACKER,  # registered before every built-in: its name sorts first
    "zoo_bad_value": BAD_VALUE,
    "zoo_bad_commands": BAD_COMMANDS,
    "zoo_callback": CALLBACK,
    "zoo_bad_signature": BAD_SIGNATURE,
}


def write_project(root: Path, name: str, modules: dict[str, str]) -> Path:
    """One third-party distribution with an entry point per module, as a stranger writes it."""
    entry_points = "\n".join(f'{module} = "{module}"' for module in modules)
    for module, body in modules.items():
        (root / module).mkdir(parents=True)
        (root / module / "__init__.py").write_text(textwrap.dedent(body))
    (root / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""
            [build-system]
            requires = ["setuptools>=68"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "{name}"
            version = "0.1.0"

            [tool.setuptools]
            packages = {sorted(modules)!r}

            [project.entry-points.zoo]
            """
        )
        + entry_points
        + "\n"
    )
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Really pip-install the plugin distribution into a folder; the env that makes zoo see it."""
    target = tmp_path_factory.mktemp("site")
    project = write_project(tmp_path_factory.mktemp("project"), "zoo-hostile-example", PLUGINS)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(project)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    return {"PYTHONPATH": str(target)}


def warnings_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("zoo: warning:")]


@pytest.mark.parametrize("command", [["--help"], ["plugins"], ["list"], ["train", "--help"]])
def test_help_and_listings_survive_every_plugin(command: list[str], hostile) -> None:
    result = zoo(*command, env=hostile)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr


def test_each_bad_plugin_is_disabled_with_one_warning_line(hostile) -> None:
    result = zoo("plugins", "--json", env=hostile)
    assert result.returncode == 0, result.stderr
    status = {p["name"]: p for p in json.loads(result.stdout)}
    warnings = warnings_of(result.stderr)
    expected = {
        "zoo_bad_value": "hook zoo_heads: returned int 42, not a list of HeadSpec",
        "zoo_bad_commands": "hook zoo_commands: returned list",
        "zoo_callback": "replaced a callback of zoo's own",
        "zoo_bad_signature": "has a help text or name that is int 123, not text",
    }
    for name, reason in expected.items():
        assert status[name]["status"] == "error" and reason in status[name]["error"], status[name]
        mine = [line for line in warnings if f"plugin {name!r} disabled" in line]
        assert len(mine) == 1 and reason in mine[0], warnings
    assert status["aaa_hostile"]["status"] == "ok"


def test_a_disabled_plugin_leaves_nothing_behind(hostile) -> None:
    listing = zoo("list", env=hostile)
    assert "doomed_net" not in listing.stdout, "its architecture outlived the plugin"
    assert_usage(zoo("doomed", env=hostile), "No such command 'doomed'")


def test_strict_mode_makes_a_bad_plugin_an_error(hostile) -> None:
    result = zoo("list", env={**hostile, "ZOO_STRICT_PLUGINS": "1"})
    assert_one_error(result, 1, "zoo_bad_value", "zoo-hostile-example", "not a list of HeadSpec")


def test_a_plugin_cannot_replace_a_core_command(hostile) -> None:
    result = zoo("train", "--help", env=hostile)
    assert "--epochs" in result.stdout and "Not zoo's train" not in result.stdout
    (warning,) = [line for line in warnings_of(result.stderr) if "'train'" in line]
    assert "zoo-hostile-example (plugin aaa_hostile) ignored" in warning


def test_a_name_clash_names_both_and_the_builtin_keeps_its_name(hostile) -> None:
    result = zoo("info", "resnet18", "--json", env=hostile)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["config"]["distribution"] == "zoo"
    (warning,) = [line for line in warnings_of(result.stderr) if "'resnet18'" in line]
    assert "from zoo-hostile-example ignored: zoo provides it too" in warning
    assert "'resnet'" in warning and "'aaa_hostile'" in warning
    chosen = {**hostile, "ZOO_PLUGINS": "aaa_hostile,resnet,heads,torch,hagrid"}
    result = zoo("info", "resnet18", "--json", env=chosen)
    assert json.loads(result.stdout)["config"]["distribution"] == "zoo-hostile-example"


def test_plugin_command_exit_code_comes_through(hostile) -> None:
    result = zoo("exit-three", env=hostile)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr


def test_a_bug_is_one_line_and_the_traceback_only_under_zoo_debug(hostile) -> None:
    result = zoo("crash", env=hostile)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("zoo: internal error: RuntimeError: the plugin has a bug")
    assert "this is a bug, please report it" in last and "ZOO_DEBUG=1" in last
    debug = zoo("crash", env={**hostile, "ZOO_DEBUG": "1"})
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr
    assert 'raise RuntimeError("the plugin has a bug")' in debug.stderr
