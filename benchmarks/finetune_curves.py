"""Fine-tuning against training from scratch, per epoch, in torch and MindSpore.

A resnet18 is trained with ``zoo train`` on a small hagrid-synth release (19 classes); then an
se_resnet18 is trained on the same images sorted into 4 other classes (``synth-groups``, see
``tests/weights/regrouped.py``), once from scratch and once ``--init`` from that run, same seed.

``python benchmarks/finetune_curves.py OUT [SOURCE_EPOCHS] [EPOCHS]``
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROBE = REPO / "tests" / "weights" / "finetune_probe.py"


def main(argv: list[str]) -> None:
    from zoo_hagrid.synth.params import SynthParams
    from zoo_hagrid.synth.writer import generate

    out = Path(argv[0])
    source_epochs = argv[1] if len(argv) > 1 else "8"
    epochs = argv[2] if len(argv) > 2 else "3"
    data = out / "synth"
    if not data.exists():
        generate(SynthParams(per_class=6, users=6, width=160, height=120, seed=3), data)
    source = out / "source"
    if not source.exists():
        zoo = Path(sys.executable).parent / "zoo"
        subprocess.run(
            [str(zoo), "train", "resnet18", "--data", str(data), "--out", str(source),
             "--epochs", source_epochs, "--image-size", "32", "--batch-size", "8", "--seed", "1"],
            check=True,
        )  # fmt: skip
    curves = {}
    for framework in ("torch", "mindspore"):
        for name, init in (("scratch", []), ("init", [str(source)])):
            run = out / f"{framework}-{name}"
            done = subprocess.run(
                [sys.executable, str(PROBE), framework, "se_resnet18", str(data), str(run),
                 epochs, *init],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            curves[f"{framework} {name}"] = json.loads(done.stdout.splitlines()[-1])["losses"]
            print(f"{framework} {name}: {curves[f'{framework} {name}']}", flush=True)
    print(json.dumps(curves))


if __name__ == "__main__":
    main(sys.argv[1:])
