"""The HaGRID authors' classifier checkpoints (github.com/hukenovs/hagrid), read as zoo ResNets.

v1 (branch ``Hagrid_v1``, ``classifier/utils.py:save_checkpoint``): ``{"state_dict",
"optimizer_state_dict", "epoch", "config"}``; the model (``classifier/models/resnet.py``) wraps
torchvision's ResNet as ``backbone = Sequential(conv1, bn1, relu, maxpool, layer1…4, avgpool)``,
a gesture head ``classifier.0`` and a 2-class ``leading_hand.0`` head. Inputs are only scaled to
[0, 1] (``classifier/preprocess.py``: ``ToTensor``), classes are
``classifier/config/default.yaml``'s ``targets``.

v2 and v2-1M (branches ``Hagrid_v2``, ``Hagrid_v2-1M``, ``custom_utils/train_utils.py:
_save_snapshot``): ``{"MODEL_STATE", "OPTIMIZER_STATE", "SCHEDULER_STATE", "EPOCHS_RUN", "Loss",
"Metric"}``; ``MODEL_STATE`` is torchvision's own ``state_dict`` (``models/__init__.py``).
Classes and mean/std are those of ``configs/ResNet18.yaml`` on each branch; v2 has 18 gestures,
v2-1M 33 and ``no_gesture``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zoo_core.sources import ReadWeights
from zoo_formats import pickles

REPOSITORY = "https://github.com/hukenovs/hagrid"

V1_TARGETS = (
    "call", "dislike", "fist", "four", "like", "mute", "ok", "one", "palm", "peace", "rock",
    "stop", "stop_inverted", "three", "two_up", "two_up_inverted", "three2", "peace_inverted",
    "no_gesture",
)  # fmt: skip
V2_TARGETS = V1_TARGETS[:-1]
V2_1M_TARGETS = (
    "grabbing", "grip", "holy", "point", "call", "three3", "timeout", "xsign", "hand_heart",
    "hand_heart2", "little_finger", "middle_finger", "take_picture", "dislike", "fist", "four",
    "like", "mute", "ok", "one", "palm", "peace", "peace_inverted", "rock", "stop",
    "stop_inverted", "three", "three2", "two_up", "two_up_inverted", "three_gun", "thumb_index",
    "thumb_index2", "no_gesture",
)  # fmt: skip
V2_VARIANTS = {
    len(V2_TARGETS): (
        "HaGRID v2 (branch Hagrid_v2, configs/ResNet18.yaml)",
        V2_TARGETS,
        (0.54, 0.499, 0.473),
        (0.231, 0.232, 0.229),
    ),
    len(V2_1M_TARGETS): (
        "HaGRID v2-1M (branch Hagrid_v2-1M, configs/ResNet18.yaml)",
        V2_1M_TARGETS,
        (0.54, 0.499, 0.474),
        (0.234, 0.235, 0.231),
    ),
}
V1_PREFIXES = {
    "backbone.0.": "conv1.",
    "backbone.1.": "bn1.",
    "backbone.4.": "layer1.",
    "backbone.5.": "layer2.",
    "backbone.6.": "layer3.",
    "backbone.7.": "layer4.",
    "classifier.0.": "fc.",
}
LEADING_HAND = "leading_hand."
INPUT_SIZE = (3, 224, 224)


def checkpoint(path: Path) -> dict[str, Any] | None:
    if not pickles.is_pickle(path):
        return None
    obj = pickles.load(path)
    return obj if isinstance(obj, dict) else None


def detect_v1(path: Path) -> bool:
    found = checkpoint(path)
    state = (found or {}).get("state_dict")
    return isinstance(state, dict) and any(name.startswith("backbone.") for name in state)


def detect_v2(path: Path) -> bool:
    found = checkpoint(path)
    return found is not None and "MODEL_STATE" in found


def v1_name(name: str) -> str | None:
    for old, new in V1_PREFIXES.items():
        if name.startswith(old):
            return new + name[len(old) :]
    return None


def v1_targets(found: dict[str, Any], classes: int) -> tuple[str, ...] | None:
    """The checkpoint's own ``config.dataset.targets`` when it saved them, else the v1 list."""
    config = found.get("config")
    targets = (config.get("dataset") or {}).get("targets") if isinstance(config, dict) else None
    if isinstance(targets, list | tuple) and len(targets) == classes:
        return tuple(str(target) for target in targets)
    return V1_TARGETS if classes == len(V1_TARGETS) else None


def read_v1(path: Path) -> ReadWeights:
    found = checkpoint(path) or {}
    state = pickles.state_dict(path, found["state_dict"])
    tensors, dropped = {}, {}
    for name, array in state.items():
        canonical = v1_name(name)
        if canonical is not None:
            tensors[canonical] = array
        elif name.startswith(LEADING_HAND):
            dropped[name] = "the leading-hand head (right/left) has no place in a zoo classifier"
        else:
            dropped[name] = "no ResNet18 counterpart"
    classes = int(tensors["fc.weight"].shape[0]) if "fc.weight" in tensors else None
    return ReadWeights(
        tensors=tensors,
        file=path,
        label_names=v1_targets(found, classes) if classes else None,
        num_classes=classes,
        input_size=INPUT_SIZE,
        mean=(0.0, 0.0, 0.0),
        std=(1.0, 1.0, 1.0),
        dropped=dropped,
        origin={
            "variant": "HaGRID v1 (branch Hagrid_v1, classifier/models/resnet.py)",
            "repository": REPOSITORY,
            "epoch": plain(found.get("epoch")),
        },
    )


def read_v2(path: Path) -> ReadWeights:
    found = checkpoint(path) or {}
    tensors = pickles.state_dict(path, found["MODEL_STATE"])
    classes = int(tensors["fc.weight"].shape[0]) if "fc.weight" in tensors else None
    variant, labels, mean, std = V2_VARIANTS.get(classes or -1, ("HaGRID v2", None, None, None))
    dropped = {
        key: "training state (optimizer, scheduler), not weights"
        for key in ("OPTIMIZER_STATE", "SCHEDULER_STATE")
        if found.get(key) is not None
    }
    return ReadWeights(
        tensors=tensors,
        file=path,
        label_names=labels,
        num_classes=classes,
        input_size=INPUT_SIZE,
        mean=mean,
        std=std,
        dropped=dropped,
        origin={
            "variant": variant,
            "repository": REPOSITORY,
            "epochs_run": plain(found.get("EPOCHS_RUN")),
        },
    )


def plain(value: Any) -> Any:
    """A JSON-friendly copy of a scalar the checkpoint stored (maybe a 0-d tensor)."""
    if hasattr(value, "item"):
        return value.item()
    return value if isinstance(value, int | float | str) or value is None else str(value)
