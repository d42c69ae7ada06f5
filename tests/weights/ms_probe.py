"""What the weight-format tests measure in a process of their own (MindSpore's settings are per
process, and the pytest process never imports it); each command prints one JSON line.

``python ms_probe.py make-mindcv DIR``  write DIR/mindcv_*.ckpt with ``mindspore.save_checkpoint``
                                       under MindCV's names, from DIR/mindcv_*.npz (torch names)
``python ms_probe.py parity DIR``       max |Δ logit| of every source in DIR/sources.json loaded
                                       in MindSpore (and MindCV's in torch too) vs DIR/refs.npz
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

BN_LEAVES = {
    "weight": "gamma",
    "bias": "beta",
    "running_mean": "moving_mean",
    "running_var": "moving_variance",
}


def is_batch_norm(module_path: str) -> bool:
    return module_path.rpartition(".")[2] in ("bn1", "bn2") or module_path.endswith("downsample.1")


def mindcv_name(name: str, senet: bool) -> str:
    """torchvision/timm name → the name MindCV's resnet.py / senet.py gives the same tensor."""
    module, _, leaf = name.rpartition(".")
    if is_batch_norm(module):
        leaf = BN_LEAVES[leaf]
    if senet:
        module = {"conv1": "layer0.0", "bn1": "layer0.1"}.get(module, module)
        module = module.replace(".se.fc1", ".se_module.conv_reduce")
        module = module.replace(".se.fc2", ".se_module.conv_expand")
    else:
        module = module.replace(".downsample.", ".down_sample.").replace(
            ".downsample", ".down_sample"
        )
    if module == "fc":
        module = "classifier"
    return f"{module}.{leaf}"


def make_mindcv(folder: Path) -> dict:
    from zoo_core.registry import get_registry

    get_registry().backend("mindspore")  # MindSpore's process environment first
    import mindspore as ms

    written = {}
    for name in ("mindcv_resnet18", "mindcv_seresnet18"):
        senet = "seresnet" in name
        state = dict(np.load(folder / f"{name}.npz"))
        entries = []
        for key, value in state.items():
            if key.endswith("num_batches_tracked"):
                continue
            if senet and ".se.fc" in key and key.endswith(".weight"):
                value = value.reshape(value.shape[:2])  # SqueezeExciteV2's nn.Dense
            entries.append({"name": mindcv_name(key, senet), "data": ms.Tensor(value)})
        # what MindCV's training leaves beside the weights (Momentum's moments, counters)
        entries.append({"name": "moments.conv1.weight", "data": ms.Tensor(state["conv1.weight"])})
        entries.append({"name": "global_step", "data": ms.Tensor(np.array([100], np.int32))})
        entries.append({"name": "learning_rate", "data": ms.Tensor(np.array([0.1], np.float32))})
        ms.save_checkpoint(entries, str(folder / f"{name}.ckpt"))
        written[name] = [entry["name"] for entry in entries]
    return written


def parity(folder: Path) -> dict:
    from zoo_core import checkpoint

    x = np.load(folder / "x.npy")
    refs = dict(np.load(folder / "refs.npz"))
    expected = json.loads((folder / "sources.json").read_text())
    report = {}
    for name in expected:
        entry: dict = {}
        frameworks = ("mindspore", "torch")
        for framework in frameworks:
            loaded = checkpoint.load(str(folder / name), framework)
            entry[framework] = float(np.abs(run(loaded, framework, x) - refs[name]).max())
            source = loaded.config.get("source") or {}
            entry.update(
                format=source.get("format"),
                architecture=loaded.config["architecture"],
                options=loaded.config["architecture_options"],
                labels=loaded.config["label_names"],
                dropped=sorted(source.get("dropped") or {}),
            )
        report[name] = entry
    return report


def run(loaded, framework: str, x: np.ndarray) -> np.ndarray:
    if framework == "torch":
        import torch

        with torch.no_grad():
            return loaded.model.eval()(torch.from_numpy(x)).numpy()
    import mindspore as ms

    loaded.model.set_train(False)
    return loaded.model(ms.Tensor(x)).asnumpy()


def main(argv: list[str]) -> None:
    command, folder = argv[0], Path(argv[1])
    result = {"make-mindcv": make_mindcv, "parity": parity}[command](folder)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
