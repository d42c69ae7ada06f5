"""``zoo bench``: inference latency and throughput of a run in every installed runtime.

Each framework plugin's backend offers ``bench_variants(loaded, image_size, threads)``: named
:class:`BenchVariant` s, each preparing a zero-argument call of its model on a normalised input
batch. The core times them all the same way, one framework per subprocess (frameworks set
process-wide state: thread pools, oneDNN options), with the same threads, warm-up and inputs,
and gives every result as a ratio against the reference variant measured in the same run.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

Prepare = Callable[[np.ndarray], Callable[[], object]]


@dataclass(frozen=True)
class BenchVariant:
    """One way a framework runs a model: ``prepare(inputs)`` returns the call to time."""

    name: str
    prepare: Prepare
    reference: bool = False
    """The baseline other variants are compared with (a framework's plain fp32 path)."""
    note: str = ""


@dataclass(frozen=True)
class BenchSettings:
    image_size: int
    threads: int = 1
    batch: int = 32
    warmup: int = 5
    iterations: int = 30
    batch_iterations: int = 5


def timings(call: Callable[[], object], warmup: int, iterations: int) -> list[float]:
    for _ in range(warmup):
        call()
    seconds = []
    for _ in range(iterations):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return seconds


def measure(variant: BenchVariant, inputs: np.ndarray, settings: BenchSettings) -> dict[str, Any]:
    """Batch-1 latency (median, p90) and batch-N throughput of one variant."""
    single = np.asarray(timings(variant.prepare(inputs[:1]), settings.warmup, settings.iterations))
    batched = timings(
        variant.prepare(inputs[: settings.batch]),
        max(1, settings.warmup // 2),
        settings.batch_iterations,
    )
    return {
        "name": variant.name,
        "reference": variant.reference,
        "note": variant.note,
        "batch1_median_ms": float(np.median(single) * 1e3),
        "batch1_p90_ms": float(np.percentile(single, 90) * 1e3),
        "batch_images_per_s": float(settings.batch / np.median(batched)),
    }


def bench_framework(source: str, framework: str, settings: BenchSettings) -> list[dict[str, Any]]:
    """Every variant of one framework (in this process)."""
    from zoo_core import checkpoint, deploy

    loaded = checkpoint.load(source, framework)
    if not hasattr(loaded.backend, "bench_variants"):
        return []
    variants = loaded.backend.bench_variants(loaded, settings.image_size, settings.threads)
    size = settings.image_size
    pixels = np.random.default_rng(0).integers(0, 256, (settings.batch, size, size, 3), np.uint8)
    inputs = deploy.normalize(pixels, loaded.config["mean"], loaded.config["std"])
    results = []
    for variant in variants:
        results.append({"framework": framework, **measure(variant, inputs, settings)})
        print(f"zoo: bench {variant.name} done", file=sys.stderr)
    return results


def run_worker(source: str, framework: str, settings: BenchSettings) -> subprocess.CompletedProcess:
    # PYTHONSAFEPATH: the worker imports zoo as installed, never a checkout in the working folder
    # (a stale zoo.egg-info there would hide plugins' entry points).
    env = dict(os.environ, OMP_NUM_THREADS=str(settings.threads), PYTHONUNBUFFERED="1")
    env["PYTHONSAFEPATH"] = "1"
    args = [sys.executable, "-m", "zoo_core.bench", framework, source, json.dumps(asdict(settings))]
    return subprocess.run(args, env=env, capture_output=True, text=True)


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in open("/proc/cpuinfo").read().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform()}


def bench(
    source: str, settings: BenchSettings, frameworks: list[str] | None = None, echo: Any = None
) -> dict[str, Any]:
    """Bench ``source`` in each installed framework (or those named); ratios vs the reference."""
    from zoo_core.registry import get_registry

    registry = get_registry()
    names = frameworks or [
        spec.name for spec in registry.frameworks if registry.framework_available(spec.name)
    ]
    results: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for name in names:
        registry.frameworks[name]  # an unknown name is a clear error
        if echo:
            echo(f"benchmarking {name}…")
        done = run_worker(source, name, settings)
        if done.returncode != 0:
            lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
            skipped.append({"framework": name, "reason": lines[-1] if lines else "failed"})
            continue
        measured = json.loads(done.stdout.strip().splitlines()[-1])
        if not measured:
            skipped.append({"framework": name, "reason": "offers no bench variants"})
        results.extend(measured)
    reference = next((r for r in results if r["reference"]), results[0] if results else None)
    # the baseline first, then the rest of its framework, then the others as measured
    results.sort(key=lambda row: (row is not reference, row["framework"] != reference["framework"]))
    for result in results:
        result["batch1_speedup"] = reference["batch1_median_ms"] / result["batch1_median_ms"]
        result["batch_speedup"] = result["batch_images_per_s"] / reference["batch_images_per_s"]
    return {
        "source": source,
        "settings": asdict(settings),
        "machine": machine(),
        "reference": reference["name"] if reference else None,
        "results": results,
        "skipped": skipped,
    }


def print_table(report: dict[str, Any], console: Any) -> None:
    from rich import box
    from rich.table import Table

    settings = report["settings"]
    table = Table(
        title=(
            f"{settings['image_size']} px · {settings['threads']} thread(s) · "
            f"{report['machine']['cpu']} · ratios vs {report['reference']}"
        ),
        box=box.SIMPLE_HEAD,  # fits 80 columns with the longest runtime name unbroken
    )
    table.add_column("runtime", no_wrap=True)
    for column in ("batch 1 median ms", "p90 ms", f"batch {settings['batch']} img/s"):
        table.add_column(column, justify="right")
    table.add_column("× batch 1", justify="right")
    table.add_column(f"× batch {settings['batch']}", justify="right")
    for row in report["results"]:
        table.add_row(
            row["name"],
            f"{row['batch1_median_ms']:.2f}",
            f"{row['batch1_p90_ms']:.2f}",
            f"{row['batch_images_per_s']:.1f}",
            f"{row['batch1_speedup']:.2f}",
            f"{row['batch_speedup']:.2f}",
        )
    console.print(table)
    for skip in report["skipped"]:
        console.print(f"skipped {skip['framework']}: {skip['reason']}")


if __name__ == "__main__":  # the per-framework worker: FRAMEWORK SOURCE SETTINGS-JSON
    framework_name, run_source, encoded = sys.argv[1:4]
    measured = bench_framework(run_source, framework_name, BenchSettings(**json.loads(encoded)))
    print(json.dumps(measured))
