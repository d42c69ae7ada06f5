"""MindCV checkpoints (``.ckpt``, github.com/mindspore-lab/mindcv), read with MindSpore's own
``mindspore.load_checkpoint``.

``mindcv/models/resnet.py``: MindSpore BatchNorm names (``gamma``, ``beta``, ``moving_mean``,
``moving_variance``), ``layerN.i.down_sample``, the classifier ``classifier``.
``mindcv/models/senet.py`` (``seresnet18``): the stem ``layer0.0`` / ``layer0.1``, blocks with
``downsample`` and ``se_module.conv_reduce`` / ``conv_expand`` — ``nn.Dense`` cells of
``SqueezeExciteV2`` (1×1 convolutions in ``SqueezeExcite``), which become zoo's ``se.fc1`` /
``se.fc2`` 1×1 convolutions. MindCV's SE width is ``make_divisible(C / 16, 8)``, zoo's
``se_resnet18`` with ``se_divisor=8``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from zoo_core.rundir import WeightsError
from zoo_core.sources import ReadWeights

REPOSITORY = "https://github.com/mindspore-lab/mindcv"
LEAVES = {
    "gamma": "weight",
    "beta": "bias",
    "moving_mean": "running_mean",
    "moving_variance": "running_var",
}
PREFIXES = {"layer0.0.": "conv1.", "layer0.1.": "bn1.", "classifier.": "fc."}
PARTS = {
    ".down_sample.": ".downsample.",
    ".se_module.conv_reduce.": ".se.fc1.",
    ".se_module.conv_expand.": ".se.fc2.",
}
TRAINING_STATE = (
    "moments.", "accum.", "adam_m.", "adam_v.", "mean_grad.", "mean_square.", "ema.",
    "global_step", "learning_rate", "momentum", "beta1_power", "beta2_power", "scale_sense",
    "current_iterator_step", "last_overflow_iterator_step", "epoch_num", "step_num",
)  # fmt: skip
SE_OPTIONS = {"se_ratio": 1 / 16, "se_divisor": 8}


def detect(path: Path) -> bool:
    return path.is_file() and path.suffix == ".ckpt"


def canonical(name: str) -> str:
    for old, new in PREFIXES.items():
        if name.startswith(old):
            name = new + name[len(old) :]
    for old, new in PARTS.items():
        name = name.replace(old, new)
    prefix, _, leaf = name.rpartition(".")
    return f"{prefix}.{LEAVES.get(leaf, leaf)}" if prefix else name


def load_checkpoint(path: Path) -> dict[str, np.ndarray]:
    """Every parameter of the file as numpy, read by MindSpore."""
    from zoo_core.registry import get_registry

    get_registry().backend("mindspore")  # prepares MindSpore's environment, or says to install it
    import mindspore

    try:
        parameters = mindspore.load_checkpoint(str(path))
    except Exception as error:  # noqa: BLE001 - MindSpore raises ValueError/RuntimeError/…
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise WeightsError(f"{path}: not a readable MindSpore checkpoint ({first})") from None
    return {name: np.asarray(value.asnumpy()).copy() for name, value in parameters.items()}


def read(path: Path) -> ReadWeights:
    tensors, dropped, renamed = {}, {}, {}
    for name, array in load_checkpoint(path).items():
        if name.startswith(TRAINING_STATE):
            dropped[name] = "optimizer or training state, not weights"
            continue
        target = canonical(name)
        if ".se." in target and target.endswith(".weight") and array.ndim == 2:
            array = array.reshape(*array.shape, 1, 1)  # Dense (out, in) → 1×1 conv
        tensors[target] = array
        if target != name:
            renamed[name] = target
    se = any(".se.fc1." in name for name in tensors)
    classes = int(tensors["fc.weight"].shape[0]) if "fc.weight" in tensors else None
    return ReadWeights(
        tensors=tensors,
        file=path,
        num_classes=classes,
        architecture="se_resnet18" if se else None,
        architecture_options=SE_OPTIONS if se else {},
        dropped=dropped,
        origin={"repository": REPOSITORY, "renamed": len(renamed)},
    )
