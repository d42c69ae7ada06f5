"""zoo plugin: CBAM-ResNet18, ResNet18 with a CBAM block where SE-ResNet18 has its SE block."""

from __future__ import annotations

from zoo_resnet import HAGRID_V1_GESTURES

from zoo_core import ArchitectureSpec, hookimpl


@hookimpl
def zoo_architectures() -> list[ArchitectureSpec]:
    return [
        ArchitectureSpec(
            name="cbam_resnet18",
            description="ResNet18 with CBAM (channel, then spatial attention) in every BasicBlock",
            builders={
                "torch": "zoo_cbam.torch_models:cbam_resnet18",
                "mindspore": "zoo_cbam.mindspore_models:cbam_resnet18",
            },
            options={"cbam_ratio": 1 / 16, "cbam_kernel": 7},
            parameter_shapes="zoo_cbam.shapes:cbam_resnet18",
            label_names=HAGRID_V1_GESTURES,
            num_features=512,
            classifier="fc",
            paper="https://arxiv.org/abs/1807.06521",
        )
    ]
