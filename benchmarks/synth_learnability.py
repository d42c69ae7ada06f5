"""Is ``hagrid-synth`` learnable but not trivial?

Trains a ResNet18 (timm, from scratch, torch on CPU; Adam with a one-cycle learning rate
peaking at 2e-3, batch 32, 8 epochs) on 112 px hand crops of the synthetic dataset and evaluates
macro F1 on the user-disjoint validation split, next to a linear classifier (scikit-learn
``LogisticRegression``) on the raw pixels of the same crops. The targets: ResNet18 macro F1 >= 0.9
within a few CPU minutes, the linear model < 0.5.

    python benchmarks/synth_learnability.py                 # the default synthetic dataset
    python benchmarks/synth_learnability.py --per-class 60 --epochs 4
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np  # noqa: E402
from zoo_hagrid.dataset import open_synth  # noqa: E402
from zoo_hagrid.synth.params import SynthParams  # noqa: E402

from zoo_core.data import DataRequest, SampleSource  # noqa: E402

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def arrays(source: SampleSource, epoch: int = 0) -> tuple[np.ndarray, np.ndarray]:
    source.set_epoch(epoch)
    images, labels = zip(*(source[i] for i in range(len(source))), strict=True)
    return np.stack(images), np.array(labels)


def macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, average="macro"))


def linear_baseline(
    train: SampleSource, x_val: np.ndarray, y_val: np.ndarray, pixels: int
) -> float:
    """Logistic regression on raw pixels, downsampled to ``pixels`` px."""
    from PIL import Image
    from sklearn.linear_model import LogisticRegression

    def features(images: np.ndarray) -> np.ndarray:
        small = [
            np.asarray(Image.fromarray(im).resize((pixels, pixels), Image.Resampling.BOX))
            for im in images
        ]
        return np.stack(small).reshape(len(images), -1).astype(np.float32) / 255.0

    x_train, y_train = arrays(train)
    model = LogisticRegression(max_iter=300)
    model.fit(features(x_train), y_train)
    return macro_f1(y_val, model.predict(features(x_val)))


def resnet18(
    train: SampleSource, x_val: np.ndarray, y_val: np.ndarray, args: argparse.Namespace
) -> float:
    import timm
    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    model = timm.create_model(
        "resnet18", num_classes=int(y_val.max()) + 1 if args.classes == 0 else args.classes
    )
    model = model.to(memory_format=torch.channels_last)
    steps = args.epochs * ((len(train) + args.batch - 1) // args.batch)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, args.lr, total_steps=steps, pct_start=0.2
    )
    rng = np.random.default_rng(args.seed)

    def tensor(images: np.ndarray) -> torch.Tensor:
        x = (images.astype(np.float32) / 255.0 - MEAN) / STD
        return torch.from_numpy(x).permute(0, 3, 1, 2).contiguous(memory_format=torch.channels_last)

    def evaluate() -> float:
        model.eval()
        with torch.no_grad():
            logits = torch.cat(
                [model(tensor(x_val[i : i + 128])) for i in range(0, len(x_val), 128)]
            )
        model.train()
        return macro_f1(y_val, logits.argmax(1).numpy())

    start, cpu = time.perf_counter(), time.process_time()
    score = 0.0
    for epoch in range(args.epochs):
        x_train, y_train = arrays(train, epoch)
        order = rng.permutation(len(x_train))
        for i in range(0, len(order), args.batch):
            batch = order[i : i + args.batch]
            loss = torch.nn.functional.cross_entropy(
                model(tensor(x_train[batch])), torch.from_numpy(y_train[batch])
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
        score = evaluate()
        print(
            f"  epoch {epoch + 1}: val macro F1 {score:.3f} ({time.perf_counter() - start:.0f} s "
            f"wall, {time.process_time() - cpu:.0f} s CPU)",
            flush=True,
        )
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    defaults = SynthParams()
    parser.add_argument("--root", type=Path, help="an existing hagrid-synth folder")
    parser.add_argument("--per-class", type=int, default=defaults.per_class)
    parser.add_argument("--users", type=int, default=defaults.users)
    parser.add_argument("--size", default=f"{defaults.width}x{defaults.height}")
    parser.add_argument("--image-size", type=int, default=112)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--classes", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--linear-pixels", type=int, default=32)
    parser.add_argument("--skip-cnn", action="store_true")
    args = parser.parse_args()

    options = {
        "synth_per_class": args.per_class,
        "synth_users": args.users,
        "synth_size": args.size,
    }
    start = time.perf_counter()
    request = DataRequest(
        root=args.root, image_size=args.image_size, seed=args.seed, options=options
    )
    splits = open_synth(request)
    print(splits.description["summary"], f"(ready in {time.perf_counter() - start:.0f} s)")
    x_val, y_val = arrays(splits.val)
    args.classes = splits.num_classes

    start = time.perf_counter()
    linear = linear_baseline(splits.train, x_val, y_val, args.linear_pixels)
    print(
        f"linear (LogisticRegression on raw {args.linear_pixels}px pixels): "
        f"val macro F1 {linear:.3f} ({time.perf_counter() - start:.0f} s)",
        flush=True,
    )
    if args.skip_cnn:
        return
    start = time.perf_counter()
    cnn = resnet18(splits.train, x_val, y_val, args)
    minutes = (time.perf_counter() - start) / 60
    print(
        f"resnet18 ({args.image_size}px crops, {args.epochs} epochs, {args.threads} threads): "
        f"val macro F1 {cnn:.3f} in {minutes:.1f} minutes (wall clock)"
    )
    print(f"RESULT resnet18_f1={cnn:.3f} linear_f1={linear:.3f} minutes={minutes:.1f}")


if __name__ == "__main__":
    main()
