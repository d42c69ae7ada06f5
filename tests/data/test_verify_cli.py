"""``zoo data verify`` on every kind of bad input; ``zoo data synth`` and ``prepare`` commands."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from typer.testing import CliRunner

runner = CliRunner()


@functools.cache
def zoo_app() -> typer.Typer:
    """The real ``zoo`` app with every plugin's commands (built once)."""
    from zoo_core.cli import build_app

    return build_app()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(zoo_app(), ["data", *args])
    return result.exit_code, result.output


@pytest.fixture
def broken(kit: SimpleNamespace, tmp_path: Path) -> Path:
    entry = kit.entry
    layout = {
        "ann_subsample": {
            "like": {
                "fine": entry(["like", "no_gesture"], "u1"),
                "gone": entry(["like"], "u1"),
                "garbage": entry(["like"], "u2"),
                "cut": entry(["like"], "u2"),
                "wavy": entry(["wave"], "u3"),
                "outside": entry(["like"], "u3", [[0.8, 0.5, 0.4, 0.2]]),
                "flat": entry(["like"], "u3", [[0.2, 0.5, 0.3, 0.0]]),
            },
            "fist": {"f1": entry(["fist"], "u4")},
        }
    }
    root = kit.write_release(tmp_path / "hagrid", layout)
    (root / "like" / "gone.jpg").unlink()
    (root / "like" / "garbage.jpg").write_bytes(b"this is not a JPEG at all")
    whole = kit.write_jpeg(root / "like" / "cut.jpg", (320, 240)).read_bytes()
    (root / "like" / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    (root / "ann_subsample" / "ok.json").write_text('{"x": {"bboxes": [[0.1, 0.1, 0.2')
    return root


def test_verify_reports_every_problem_with_file_and_reason(broken: Path) -> None:
    code, output = invoke("verify", str(broken))
    assert code == 1, output
    ann = broken / "ann_subsample"
    expected = [
        (broken / "like" / "gone.jpg", "missing image"),
        (broken / "like" / "garbage.jpg", "corrupt image"),
        (broken / "like" / "cut.jpg", "truncated"),
        (ann / "like.json", "image 'wavy': unknown label 'wave'"),
        (ann / "like.json", "image 'outside'"),
        (ann / "like.json", "image 'flat': empty box"),
        (ann / "ok.json", "malformed JSON"),
    ]
    lines = output.splitlines()
    for path, reason in expected:
        assert any(line.startswith(f"{path}: ") and reason in line for line in lines), (
            path,
            reason,
            output,
        )
    assert any("image 'outside'" in line and "out of range" in line for line in lines)
    assert not any("fine" in line or "f1" in line for line in lines)
    assert "7 problem(s)" in lines[-1]


def test_verify_clean_release(kit: SimpleNamespace, tmp_path: Path) -> None:
    layout = {
        "ann_subsample": {
            "like": {"a": kit.entry(["like", "no_gesture"], "u1")},
            "fist": {"b": kit.entry(["fist"], "u2")},
        }
    }
    root = kit.write_release(tmp_path, layout)
    code, output = invoke("verify", str(root))
    assert code == 0, output
    assert (
        output.strip()
        .splitlines()[-1]
        .endswith(
            "HaGRID v1, 2 annotation files, 2 images, 3 boxes, 2 users, 2 image files decoded: OK"
        )
    )


def test_verify_without_annotations(tmp_path: Path) -> None:
    """No plugin recognises an empty folder: one error line saying what each looks for; named
    as HaGRID, HaGRID's own report says what is missing."""
    zoo = Path(sys.executable).parent / "zoo"
    result = subprocess.run([zoo, "data", "verify", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"zoo: error: {tmp_path}: no installed dataset recognises")
    assert "no HaGRID annotations found" in line and "imagefolder: one folder of images" in line
    code, output = invoke("verify", str(tmp_path), "--dataset", "hagrid")
    assert code == 1 and "no HaGRID annotations found" in output


def test_synth_and_prepare_commands(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    code, output = invoke(
        "synth",
        "--out",
        str(out),
        "--per-class",
        "2",
        "--users",
        "3",
        "--size",
        "96x72",
        "--seed",
        "2",
    )
    assert code == 0, output
    assert len(list(out.rglob("*.jpg"))) == 36 and (out / "ann_subsample" / "call.json").is_file()
    code, output = invoke("verify", str(out))
    assert code == 0 and output.strip().endswith(": OK"), output
    code, output = invoke(
        "prepare",
        str(out),
        "--out",
        str(tmp_path / "cache"),
        "--size",
        "32",
        "--mode",
        "full_frame",
    )
    assert code == 0, output
    assert json.loads((tmp_path / "cache" / "zoo-cache.json").read_text())["mode"] == "full_frame"
    refused = runner.invoke(zoo_app(), ["data", "synth", "--out", str(out)])  # an error: exit 1
    assert refused.exit_code == 1 and "not empty" in str(refused.exception)
    code, output = invoke("synth", "--out", str(tmp_path / "x"), "--size", "big")
    assert code == 2 and "WIDTHxHEIGHT" in output
