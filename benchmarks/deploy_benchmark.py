"""Deployment targets of a trained run: int8 speed at 224 px and int8 accuracy on val.

    python benchmarks/deploy_benchmark.py runs/se_resnet18-torch
    python benchmarks/deploy_benchmark.py RUN --image-size 224 --threads 1 --iterations 30

1. ``zoo export RUN --format onnx --int8`` (unless the run already has ``model.int8.onnx.json``):
   static int8 calibrated on training images, both files scored on the validation split.
2. ``zoo bench RUN --image-size 224 --json``: batch-1 latency and batch-32 throughput of every
   installed runtime in the same run, each framework in its own process with the same threads.

Targets: ONNX Runtime int8 at least 3× torch eager fp32 at batch 1 (224 px), and int8 macro F1
within 0.01 of fp32. Ratios are measured in the same run, so they hold on a busy machine better
than absolute times do. The last line printed is one JSON object with every number.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ZOO = [sys.executable, "-m", "zoo_core"]
SPEEDUP_TARGET = 3.0
F1_TARGET = 0.01


def zoo(*args: str) -> str:
    done = subprocess.run([*ZOO, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"zoo {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("--image-size", type=int, default=224)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--batch-iterations", type=int, default=3)
    args = parser.parse_args()

    record_path = args.run / "model.int8.onnx.json"
    if not record_path.is_file():
        print(zoo("export", str(args.run), "--format", "onnx", "--int8"), end="")
    record = json.loads(record_path.read_text())
    evaluation = record["evaluation"]

    report = json.loads(
        zoo(
            "bench",
            str(args.run),
            "--json",
            "--image-size",
            str(args.image_size),
            "--threads",
            str(args.threads),
            "--iterations",
            str(args.iterations),
            "--batch-iterations",
            str(args.batch_iterations),
        )
    )
    print(f"{args.image_size} px, {args.threads} thread(s), {report['machine']['cpu']}")
    header = ("b1 median ms", "p90 ms", "b32 img/s", "×b1", "×b32")
    print(f"{'runtime':28} " + " ".join(f"{h:>12}" for h in header))
    for row in report["results"]:
        values = (row["batch1_median_ms"], row["batch1_p90_ms"], row["batch_images_per_s"])
        ratios = (row["batch1_speedup"], row["batch_speedup"])
        print(
            f"{row['name']:28} "
            + " ".join(f"{v:12.1f}" for v in values)
            + " "
            + " ".join(f"{r:12.2f}" for r in ratios)
        )
    int8 = next(row for row in report["results"] if row["name"] == "onnxruntime int8")
    speedup = int8["batch1_speedup"] if report["reference"] == "torch eager fp32" else None
    drop = evaluation["fp32"]["f1"] - evaluation["int8"]["f1"]
    print(
        f"int8 vs torch eager at batch 1: {speedup:.2f}× (target ≥ {SPEEDUP_TARGET}×): "
        f"{'met' if speedup and speedup >= SPEEDUP_TARGET else 'NOT met'}"
    )
    print(
        f"val macro F1 fp32 {evaluation['fp32']['f1']:.4f}, int8 {evaluation['int8']['f1']:.4f}, "
        f"drop {drop:+.4f} on {evaluation['int8']['samples']} images (target ≤ {F1_TARGET}): "
        f"{'met' if drop <= F1_TARGET else 'NOT met'}; files {record['fp32_bytes'] / 1e6:.1f} → "
        f"{record['bytes'] / 1e6:.1f} MB"
    )
    print(json.dumps({"bench": report, "int8": record, "speedup": speedup, "f1_drop": drop}))


if __name__ == "__main__":
    main()
