"""Training throughput: zoo's torch trainer against a plain eager fp32 loop (and MindSpore).

    python benchmarks/train_throughput.py                      # se_resnet18, 224 px, batch 32
    python benchmarks/train_throughput.py --image-size 64 --steps 10 --data hagrid-synth

Both torch loops train the same model (same initial weights) on the same images in the same
order with the same batch size and threads, and are timed from the end of their first step
(warm-up) to the end of the last one:

* ``zoo``: :class:`zoo_torch.session.TorchSession.train_epoch`, the path ``zoo train`` uses
  (uint8 batches normalized on the device, channels_last, bf16 autocast where the CPU computes
  bf16 natively, AMP on CUDA).
* ``eager``: the loop of the HaGRID authors' classifier trainer: a plain ``DataLoader`` of
  normalized float CHW tensors (ToTensor + Normalize per sample), ``model.train()``, then
  ``optimizer.zero_grad()``, ``loss.backward()``, ``optimizer.step()`` per batch; fp32, NCHW.

When ``benchmarks/mindspore_throughput.py`` is present it runs in a subprocess with the same
model, size, batch and threads (GRAPH_MODE), and the MindSpore/torch ratio is printed too.
The last line printed is one JSON object with every number.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from zoo_core.testing import NoiseSplit

HERE = Path(__file__).resolve().parent
MINDSPORE_SCRIPT = HERE / "mindspore_throughput.py"


class Clock:
    """Timestamps after each step; the rate leaves out the first (warm-up) step."""

    def __init__(self) -> None:
        self.marks: list[tuple[float, int]] = []

    def __call__(self, images: int, loss: float) -> None:
        self.marks.append((time.perf_counter(), images))

    def images_per_s(self) -> float:
        (start, _), *timed = self.marks
        return sum(images for _, images in timed) / (timed[-1][0] - start)


def open_split(args: argparse.Namespace, count: int) -> tuple[Any, tuple[str, ...]]:
    from zoo_core.data import DataRequest
    from zoo_core.lazy import resolve
    from zoo_core.registry import get_registry

    if args.data == "random":
        return NoiseSplit(count, args.image_size, args.classes, seed=0), tuple(
            f"class{i}" for i in range(args.classes)
        )
    registry = get_registry()
    name, root = (
        (args.data, None) if args.data in registry.datasets else ("hagrid", Path(args.data))
    )
    request = DataRequest(root=root, image_size=args.image_size, seed=0)
    splits = resolve(registry.datasets[name].opener)(request)
    if len(splits.train) < count:
        raise SystemExit(f"{args.data}: {len(splits.train)} training images, {count} needed")
    return splits.train, splits.classes


def job_for(args: argparse.Namespace) -> Any:
    from zoo_core.framework import TrainJob
    from zoo_core.specs import HeadConfig

    return TrainJob(
        architecture=args.arch,
        framework="torch",
        head=HeadConfig.parse(args.head),
        batch_size=args.batch_size,
        precision=args.precision,
        device="cpu",
        workers=0,
        seed=0,
    )


def zoo_loop(args: argparse.Namespace, split: Any, classes: tuple[str, ...]) -> float:
    """``TorchSession.train_epoch`` over ``steps + 1`` batches."""
    import torch
    from zoo_torch.runtime import choose_runtime
    from zoo_torch.session import TorchSession

    from zoo_core.data import DataSplits
    from zoo_core.registry import get_registry
    from zoo_core.training import model_builder

    job = job_for(args)
    runtime = choose_runtime("cpu", args.precision, 0)
    torch.set_num_threads(args.threads)
    registry = get_registry()
    splits = DataSplits(classes, Limited(split, (args.steps + 1) * args.batch_size), split)
    build = model_builder(registry, job, splits.num_classes)
    session = TorchSession(job, splits, registry.architecture(args.arch), build, runtime)
    clock = Clock()
    session.train_epoch(0, clock)
    args.zoo_runtime = runtime.describe().replace(
        f"{runtime.threads} threads", f"{args.threads} threads"
    )
    return clock.images_per_s()


class Limited:
    """The first ``count`` samples of a split."""

    def __init__(self, split: Any, count: int) -> None:
        self.split, self.count = split, count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> tuple[np.ndarray, int]:
        return self.split[index]

    def set_epoch(self, epoch: int) -> None:
        self.split.set_epoch(epoch)


class NormalizedTensors:
    """What the authors' Dataset returns: ToTensor (CHW float in [0, 1]) then Normalize."""

    def __init__(self, split: Any, mean: tuple, std: tuple) -> None:
        import torch

        self.split = split
        self.mean = torch.tensor(mean).view(3, 1, 1)
        self.std = torch.tensor(std).view(3, 1, 1)

    def __len__(self) -> int:
        return len(self.split)

    def __getitem__(self, index: int) -> tuple[Any, int]:
        import torch

        image, label = self.split[index]
        tensor = torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1).float().div(255)
        return (tensor - self.mean) / self.std, label


def eager_loop(args: argparse.Namespace, split: Any, classes: tuple[str, ...]) -> float:
    """The HaGRID authors' style: plain DataLoader, fp32, NCHW, zero_grad/backward/step."""
    import torch
    from torch.utils.data import DataLoader
    from zoo_torch.batches import permutation

    from zoo_core.registry import get_registry

    torch.set_num_threads(args.threads)
    registry = get_registry()
    arch = registry.architecture(args.arch)
    job = job_for(args)
    torch.manual_seed(job.seed)
    model = registry.build(args.arch, "torch", job.head, len(classes))
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=job.lr)
    count = (args.steps + 1) * args.batch_size
    order = permutation(count, job.seed, 0).tolist()  # the order zoo's session uses
    dataset = NormalizedTensors(Limited(split, count), arch.mean, arch.std)
    loader = DataLoader(dataset, batch_size=args.batch_size, sampler=order, num_workers=0)
    clock = Clock()
    model.train()
    for images, labels in loader:
        optimizer.zero_grad()
        output = model(images)
        loss = criterion(output, labels)
        loss.backward()
        optimizer.step()
        clock(len(labels), loss.item())
    return clock.images_per_s()


def mindspore(args: argparse.Namespace) -> dict[str, Any] | None:
    """Run ``mindspore_throughput.py`` with the same settings; its last line is JSON."""
    if not MINDSPORE_SCRIPT.is_file() or args.skip_mindspore:
        return None
    command = [
        sys.executable, str(MINDSPORE_SCRIPT), "--arch", args.arch, "--head", args.head,
        "--classes", str(args.classes), "--image-size", str(args.image_size),
        "--batch-size", str(args.batch_size), "--threads", str(args.threads),
        "--steps", str(args.steps),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        print(
            f"mindspore benchmark failed ({done.returncode}):\n{done.stderr[-2000:]}",
            file=sys.stderr,
        )
        return None
    return json.loads(lines[-1])


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="se_resnet18")
    parser.add_argument("--head", default="", help="hidden widths, e.g. 512,256")
    parser.add_argument("--classes", type=int, default=19)
    parser.add_argument("--image-size", type=int, default=224)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=min(os.cpu_count() or 1, 2))
    parser.add_argument("--steps", type=int, default=4, help="timed steps per measurement")
    parser.add_argument("--rounds", type=int, default=2, help="alternating zoo/eager rounds")
    parser.add_argument("--precision", default="auto", help="zoo's precision: auto, fp32, bf16")
    parser.add_argument(
        "--data", default="random", help="random (in memory), a dataset name, or a HaGRID folder"
    )
    parser.add_argument("--skip-mindspore", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse(argv)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    split, classes = open_split(args, (args.steps + 1) * args.batch_size)
    args.classes = len(classes)
    zoo_rates, eager_rates = [], []
    for _ in range(args.rounds):  # alternate, so that a busy machine slows both alike
        zoo_rates.append(zoo_loop(args, split, classes))
        eager_rates.append(eager_loop(args, split, classes))
        print(f"zoo {zoo_rates[-1]:.2f} img/s   eager {eager_rates[-1]:.2f} img/s", file=sys.stderr)
    zoo_rate, eager_rate = max(zoo_rates), max(eager_rates)
    result: dict[str, Any] = {
        "arch": args.arch,
        "head": args.head or "linear",
        "image_size": args.image_size,
        "batch_size": args.batch_size,
        "threads": args.threads,
        "data": args.data,
        "zoo_torch": {"images_per_s": round(zoo_rate, 2), "runtime": args.zoo_runtime},
        "eager_fp32": {"images_per_s": round(eager_rate, 2)},
        "zoo_over_eager": round(zoo_rate / eager_rate, 2),
    }
    print(f"zoo torch ({args.zoo_runtime}): {zoo_rate:.2f} img/s")
    print(f"eager fp32 NCHW (HaGRID authors' loop): {eager_rate:.2f} img/s")
    print(f"zoo / eager: {result['zoo_over_eager']:.2f}×")
    ms = mindspore(args)
    if ms is not None:
        result["mindspore"] = ms
        result["mindspore_over_zoo_torch"] = round(ms["images_per_s"] / zoo_rate, 2)
        result["mindspore_over_eager"] = round(ms["images_per_s"] / eager_rate, 2)
        print(f"mindspore ({ms.get('mode')}): {ms['images_per_s']:.2f} img/s")
        print(f"mindspore / zoo torch: {result['mindspore_over_zoo_torch']:.2f}×")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
