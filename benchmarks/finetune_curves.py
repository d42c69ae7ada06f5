"""Fine-tuning against training from scratch, per epoch, in torch and MindSpore.

A resnet18 is trained in torch on ``stripes-12`` (oriented gratings, 12 orientation classes;
``tests/weights/stripes.py``); then an se_resnet18 is trained on ``stripes-4`` (4 other classes)
once from scratch and once ``--init`` from that run, same seed, in each framework.

``python benchmarks/finetune_curves.py OUT [SOURCE_EPOCHS] [EPOCHS]``
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).resolve().parents[1] / "tests" / "weights" / "finetune_probe.py"


def train(framework: str, arch: str, dataset: str, out: Path, epochs: str, *init: str) -> list:
    done = subprocess.run(
        [sys.executable, str(PROBE), framework, arch, dataset, str(out), epochs, "1e-3", *init],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.splitlines()[-1])["losses"]


def main(argv: list[str]) -> None:
    out = Path(argv[0])
    source_epochs = argv[1] if len(argv) > 1 else "4"
    epochs = argv[2] if len(argv) > 2 else "3"
    source = out / "source"
    curves = {
        "source (torch resnet18, stripes-12)": train(
            "torch", "resnet18", "stripes-12", source, source_epochs
        )
    }
    for framework in ("torch", "mindspore"):
        for name, init in (("scratch", ()), ("init", (str(source),))):
            key = f"{framework} se_resnet18 stripes-4 {name}"
            curves[key] = train(framework, "se_resnet18", "stripes-4", out / key, epochs, *init)
            print(f"{key}: {curves[key]}", flush=True)
    print(json.dumps(curves))


if __name__ == "__main__":
    main(sys.argv[1:])
