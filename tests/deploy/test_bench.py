"""``zoo bench --json``: every runtime asked for is timed, with ratios against torch eager."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import zoo


def test_bench_json_structure(exported: Path) -> None:
    # onnxruntime asked first: the table still starts with the reference and its framework
    args = ["bench", str(exported), "--json", "-f", "onnxruntime", "-f", "torch"]
    args += ["--iterations", "3", "--batch-iterations", "1", "--warmup", "1", "--batch-size", "4"]
    report = json.loads(zoo(*args).stdout)
    assert report["settings"]["image_size"] == 32 and report["settings"]["threads"] == 1
    names = [row["name"] for row in report["results"]]
    assert names == [
        "torch eager fp32",
        "torch channels_last fp32",
        "onnxruntime fp32",
        "onnxruntime int8",
    ]
    assert report["reference"] == "torch eager fp32" and report["skipped"] == []
    for row in report["results"]:
        assert 0 < row["batch1_median_ms"] <= row["batch1_p90_ms"]
        assert row["batch_images_per_s"] > 0 and row["batch1_speedup"] > 0
    assert report["results"][0]["batch1_speedup"] == 1.0
    assert report["machine"]["cores"] >= 1


def test_bench_table(exported: Path) -> None:
    args = ["bench", str(exported), "-f", "onnxruntime", "--iterations", "2"]
    args += ["--batch-iterations", "1", "--warmup", "1", "--batch-size", "2"]
    table = zoo(*args).stdout
    assert "onnxruntime int8" in table and "ratios vs onnxruntime fp32" in table
