"""One training run on a ``stripes`` dataset (``stripes.py``), from scratch or from ``SOURCE``,
in a process of its own; prints the per-epoch losses, the init report and the parameter count.

``python finetune_probe.py FRAMEWORK ARCH DATASET OUT EPOCHS LR [SOURCE [freeze]]``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str]) -> None:
    from stripes import StripesPlugin

    import zoo_core.registry as registry_module
    from zoo_core.framework import TrainJob
    from zoo_core.registry import Registry, get_registry
    from zoo_core.rundir import RunDir
    from zoo_core.train_flow import train

    framework, architecture, dataset, out, epochs, lr = argv[:6]
    source = argv[6] if len(argv) > 6 else None
    host = get_registry().host
    host.register(StripesPlugin(), "stripes", "zoo-tests", "0")
    registry_module._default = Registry(host)
    job = TrainJob(
        architecture=architecture,
        framework=framework,
        dataset=dataset,
        epochs=int(epochs),
        batch_size=16,
        image_size=32,
        lr=float(lr),
        seed=1,
        out=Path(out),
        workers=0,
        init=source,
        freeze_backbone=len(argv) > 7,
    )
    train(job, registry_module._default)
    run = RunDir(out)
    config = run.read_config()
    losses = [row["train_loss"] for row in run.read_metrics()]
    print(
        json.dumps({"losses": losses, "init": config.get("init"), "params": config["parameters"]})
    )


if __name__ == "__main__":
    main(sys.argv[1:])
