"""Head plugin: the MLP classification heads of the study's depth search, for any architecture."""

from __future__ import annotations

from zoo_core import HeadSpec, hookimpl


@hookimpl
def zoo_heads() -> list[HeadSpec]:
    """``mlp``: Linear → ReLU (→ Dropout) per hidden width (He-initialised), then
    Linear(num_classes)."""
    return [
        HeadSpec(
            name="mlp",
            description="--head 512,256: Linear(512)→ReLU→Linear(256)→ReLU→Linear(classes); "
            "--head '' is the plain linear classifier",
            builders={
                "torch": "zoo_heads.torch_heads:mlp",
                "mindspore": "zoo_heads.mindspore_heads:mlp",
            },
            parameter_shapes="zoo_heads.shapes:mlp",
        )
    ]
