"""Framework plugin: PyTorch (models via timm)."""

from __future__ import annotations

from zoo_core import FrameworkSpec, hookimpl

DEVICES = ("auto", "cpu", "cuda", "gpu")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")


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
            session="zoo_torch.session:open_session",
            launcher="zoo_torch.launch:torchrun",
            devices=DEVICES,
            precisions=PRECISIONS,
            runs=("torchscript",),
        )
    ]
