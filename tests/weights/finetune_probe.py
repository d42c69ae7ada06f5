"""One training run on the dataset ``synth-groups`` (other classes than hagrid-synth's), from
scratch or ``--init SOURCE``, in a process of its own; prints the per-epoch losses as JSON.

``python finetune_probe.py FRAMEWORK ARCH DATA OUT EPOCHS [SOURCE [freeze]]``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str]) -> None:
    from regrouped import RegroupedPlugin

    import zoo_core.registry as registry_module
    from zoo_core.framework import TrainJob
    from zoo_core.registry import Registry, get_registry
    from zoo_core.rundir import RunDir

    framework, architecture, data, out, epochs = argv[:5]
    source = argv[5] if len(argv) > 5 else None
    host = get_registry().host
    host.register(RegroupedPlugin(), "regrouped", "zoo-tests", "0")
    registry_module._default = Registry(host)
    job = TrainJob(
        architecture=architecture,
        framework=framework,
        dataset="synth-groups",
        data=Path(data),
        epochs=int(epochs),
        batch_size=8,
        image_size=32,
        seed=1,
        out=Path(out),
        workers=0,
        init=source,
        freeze_backbone=len(argv) > 6,
    )
    registry_module._default.backend(framework).train(job)
    run = RunDir(out)
    config = run.read_config()
    losses = [row["train_loss"] for row in run.read_metrics()]
    print(
        json.dumps({"losses": losses, "init": config.get("init"), "params": config["parameters"]})
    )


if __name__ == "__main__":
    main(sys.argv[1:])
