"""MindSpore training throughput: graph compile time, then steady-state images/s.

    python benchmarks/mindspore_throughput.py --arch se_resnet18 --image-size 64 \\
        --batch-size 32 --threads 2 --steps 20

Runs the trainer's own training step (``nn.WithLossCell`` + ``nn.TrainOneStepCell``, Adam, the
in-graph uint8 → normalised input) on random images, fed as zoo trains (``GeneratorDataset``
batches, ``--feed dataset``) or as ready tensors (``--feed tensors``). Prints one JSON line;
``benchmarks/train_throughput.py`` runs it in a subprocess, so MindSpore's process-wide settings
(oneDNN ISA cap, threads, execution mode) never touch the torch measurement.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from zoo_mindspore import environment  # before mindspore is imported

from zoo_core import epochs
from zoo_core.testing import NoiseSplit

environment.prepare()


def batches(args: argparse.Namespace, split: NoiseSplit):
    """Endless ``(images, labels)`` MindSpore tensors, fed as ``--feed`` says."""
    import mindspore as ms
    from zoo_mindspore import pipeline

    epoch = 0
    while True:
        if args.feed == "tensors":
            for start in range(0, len(split) - args.batch_size + 1, args.batch_size):
                chunk = slice(start, start + args.batch_size)
                labels = split.labels[chunk].astype(np.int32)
                yield ms.Tensor(split.images[chunk]), ms.Tensor(labels)
        else:
            order = epochs.epoch_order(len(split), 0, epoch)
            samples = pipeline.EpochSamples(split, order, args.image_size, strict=True)
            data = pipeline.dataset(samples, args.batch_size, args.workers)
            yield from data.create_tuple_iterator(num_epochs=1)
        epoch += 1


def measure(args: argparse.Namespace) -> dict:
    runtime = environment.configure("cpu", args.mode, threads=args.threads)
    import mindspore as ms
    from zoo_mindspore.network import train_step

    from zoo_core.registry import get_registry

    if args.jit_level:
        ms.set_context(jit_config={"jit_level": args.jit_level})
    registry = get_registry()
    arch = registry.architecture(args.arch)
    ms.set_seed(0)
    model = registry.build(args.arch, "mindspore", args.head, args.classes)
    step = train_step(model, arch.mean, arch.std, lr=1e-3).step
    step.set_train(True)
    split = NoiseSplit(max(4 * args.batch_size, 256), args.image_size, args.classes, seed=0)
    feed = batches(args, split)

    start = time.perf_counter()
    step(*next(feed)).asnumpy()
    first = time.perf_counter() - start
    for _ in range(args.warmup):
        step(*next(feed)).asnumpy()
    start = time.perf_counter()
    for _ in range(args.steps):
        loss = float(step(*next(feed)).asnumpy())
    seconds = (time.perf_counter() - start) / args.steps
    return {
        "framework": "mindspore",
        "mindspore": ms.__version__,
        "arch": args.arch,
        "head": args.head or "linear",
        "image_size": args.image_size,
        "batch_size": args.batch_size,
        "threads": runtime.threads,
        "mode": runtime.mode,
        "jit_level": args.jit_level or "default",
        "feed": args.feed,
        "precision": "fp32",
        "first_step_s": round(first, 3),
        "compile_s": round(max(first - seconds, 0.0), 3),
        "step_s": round(seconds, 4),
        "images_per_s": round(args.batch_size / seconds, 2),
        "loss": round(loss, 4),
    }


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="se_resnet18")
    parser.add_argument("--head", default="", help="hidden widths, e.g. 512,256")
    parser.add_argument("--classes", type=int, default=19)
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=None, help="[all cores]")
    parser.add_argument("--steps", type=int, default=10, help="timed steps")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps after the first")
    parser.add_argument("--mode", choices=environment.MODES, default="graph")
    parser.add_argument("--jit-level", choices=("O0", "O1", "O2"), default=None)
    parser.add_argument("--feed", choices=("dataset", "tensors"), default="dataset")
    parser.add_argument("--workers", type=int, default=2, help="GeneratorDataset threads")
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(json.dumps(measure(parse())))
