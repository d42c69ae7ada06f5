"""How much faster is zoo's decoding than the naive path, on real full-HD (1920x1080) JPEGs?

Makes a few full-HD frames with the hagrid-synth generator, then times, in one run and on the
same samples (same boxes, same random crop scales in [1, 2]):

* naive: decode the whole frame, crop the square around the hand, resize to 224;
* zoo, direct: JPEG draft mode (decode at 1/2, 1/4 or 1/8 scale when the crop will be shrunk);
* zoo, prepared: ``zoo data prepare`` once, then every epoch reads the small cached crop;
* full frame: naive full decode + letterbox vs zoo's draft decode + letterbox.

    python benchmarks/decode_benchmark.py [--images 6] [--repeat 3] [--size 224]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image
from zoo_hagrid.geometry import crop_region
from zoo_hagrid.prepare import prepare
from zoo_hagrid.records import Entry, Hand
from zoo_hagrid.sources import crop_hand, full_frame
from zoo_hagrid.synth.poses import POSES
from zoo_hagrid.synth.scene import make_user, render

from zoo_core.images import letterbox, load_rgb, open_image, render_region


def make_frames(folder: Path, count: int) -> list[Entry]:
    """``count`` full-HD synthetic frames as v1 files, one gesture hand (+ idle hand) each."""
    import json

    entries, records = [], {}
    gestures = list(POSES)
    for i in range(count):
        rng = np.random.default_rng((7, i))
        user = make_user(rng)
        frame = render(gestures[i % len(gestures)], user, (1920, 1080), rng, idle=True)
        path = folder / "palm" / f"frame{i}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.image.save(path, quality=90)
        hands = tuple(
            Hand(label, tuple(box)) for label, box in zip(frame.labels, frame.boxes, strict=True)
        )  # type: ignore[arg-type]
        entries.append(
            Entry(f"frame{i}", path, "palm", hands, f"user{i}", "subsample", "palm.json")
        )
        records[f"frame{i}"] = {
            "bboxes": frame.boxes,
            "labels": ["palm", *frame.labels[1:]],
            "user_id": f"user{i}",
        }
    (folder / "ann_subsample").mkdir()
    (folder / "ann_subsample" / "palm.json").write_text(json.dumps(records))
    return entries


def naive_crop(entry: Entry, hand: Hand, scale: float, size: int) -> np.ndarray:
    image = Image.open(entry.path).convert("RGB")  # full-size decode
    width, height = image.size
    x, y, w, h = hand.box
    box = (x * width, y * height, w * width, h * height)
    return render_region(image, crop_region(box, scale), size)


def naive_frame(entry: Entry, size: int) -> np.ndarray:
    return letterbox(Image.open(entry.path).convert("RGB"), size)


def timed(paths: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Best time of each path, the paths taking turns so that they share the machine's load."""
    best = dict.fromkeys(paths, float("inf"))
    for _ in range(repeat):
        for name, work in paths.items():
            start = time.perf_counter()
            work()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", type=int, default=224)
    args = parser.parse_args()
    size = args.size
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "hd"
        entries = make_frames(folder, args.images)
        rng = np.random.default_rng(0)
        samples = [
            (e, h, float(rng.uniform(1, 2))) for e in entries for h in e.hands for _ in range(4)
        ]
        sides = [max(h.box[2] * 1920, h.box[3] * 1080) * s for _, h, s in samples]
        print(
            f"{len(entries)} frames 1920x1080, {len(samples)} hand crops (side {min(sides):.0f}-"
            f"{max(sides):.0f} px) -> {size}x{size}, best of {args.repeat}"
        )

        start = time.perf_counter()
        prepare(folder, Path(tmp) / "cache", size=size, mode="crop", workers=1)
        prep = time.perf_counter() - start
        from zoo_hagrid.cache import read_cache

        cached = {e.image_id: e for e in read_cache(Path(tmp) / "cache")[0].entries}
        cached_samples = [
            (cached[e.image_id], cached[e.image_id].hands[e.hands.index(h)], s)
            for e, h, s in samples
        ]

        n, m = len(samples), len(entries)
        best = timed(
            {
                "naive": lambda: [naive_crop(e, h, s, size) for e, h, s in samples],
                "direct": lambda: [crop_hand(e, h, s, size) for e, h, s in samples],
                "ready": lambda: [crop_hand(e, h, s, size) for e, h, s in cached_samples],
                "frames_naive": lambda: [naive_frame(e, size) for e in entries],
                "frames_zoo": lambda: [full_frame(e, size) for e in entries],
                "full": lambda: [load_rgb(open_image(e.path), e.path) for e in entries],
            },
            args.repeat,
        )
        naive, direct, ready = best["naive"] / n, best["direct"] / n, best["ready"] / n
        frames_naive, frames_zoo, full = (
            best[k] / m for k in ("frames_naive", "frames_zoo", "full")
        )
        rows = [
            ("full-HD decode alone", full, None),
            ("crop, naive (full decode+crop+resize)", naive, None),
            ("crop, zoo direct (JPEG draft)", direct, naive),
            ("crop, zoo prepared cache", ready, naive),
            ("full frame, naive", frames_naive, None),
            ("full frame, zoo direct (JPEG draft)", frames_zoo, frames_naive),
        ]
        for name, seconds, baseline in rows:
            ratio = f"{baseline / seconds:6.1f}x" if baseline else ""
            print(f"{name:40s} {seconds * 1e3:8.2f} ms {ratio}")
        print(f"(prepare, once: {prep / len(entries) * 1e3:.1f} ms per frame)")
        print(
            f"RESULT crop_direct={naive / direct:.1f}x crop_prepared={naive / ready:.1f}x "
            f"full_frame_direct={frames_naive / frames_zoo:.1f}x"
        )


if __name__ == "__main__":
    main()
