"""Framework plugin: PyTorch (models via timm)."""

from __future__ import annotations

from zoo_core import FrameworkSpec, hookimpl


@hookimpl
def zoo_frameworks() -> list[FrameworkSpec]:
    """PyTorch: trainer, canonical-name weights, ONNX export."""
    return [
        FrameworkSpec(
            name="torch",
            description="PyTorch + timm; channels_last + bf16 autocast on CPU, AMP on CUDA, DDP",
            backend="zoo_torch.backend:backend",
            requires=("torch", "timm"),
            exporters=("onnx", "torchscript"),
            runs=("torchscript",),
        )
    ]
