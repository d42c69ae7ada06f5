"""Architecture plugin: ResNet18 and SE-ResNet18 (the study's models), for torch and MindSpore."""

from __future__ import annotations

from zoo_core import ArchitectureSpec, hookimpl

HAGRID_V1_GESTURES = (
    "call", "dislike", "fist", "four", "like", "mute", "ok", "one", "palm",
    "peace", "rock", "stop", "stop_inverted", "three", "two_up", "two_up_inverted",
    "three2", "peace_inverted",
)  # fmt: skip


@hookimpl
def zoo_architectures() -> list[ArchitectureSpec]:
    """ResNet18 and SE-ResNet18 with the study's exact SE reduction (r = 16, no rounding)."""
    common = {"label_names": HAGRID_V1_GESTURES, "num_features": 512, "classifier": "fc"}
    return [
        ArchitectureSpec(
            name="resnet18",
            description="ResNet18 (He et al. 2016), the study's baseline",
            builders={
                "torch": "zoo_resnet.torch_models:resnet18",
                "mindspore": "zoo_resnet.mindspore_models:resnet18",
            },
            parameter_shapes="zoo_resnet.shapes:resnet18",
            paper="https://arxiv.org/abs/1512.03385",
            **common,
        ),
        ArchitectureSpec(
            name="se_resnet18",
            description="ResNet18 with a Squeeze-and-Excitation block in every BasicBlock",
            builders={
                "torch": "zoo_resnet.torch_models:se_resnet18",
                "mindspore": "zoo_resnet.mindspore_models:se_resnet18",
            },
            options={"se_ratio": 1 / 16, "se_divisor": 1},
            parameter_shapes="zoo_resnet.shapes:se_resnet18",
            paper="https://arxiv.org/abs/1709.01507",
            **common,
        ),
    ]
