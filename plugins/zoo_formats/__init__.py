"""Weight-format plugin: the checkpoints zoo reads besides its own — timm, torchvision, the
HaGRID authors' v1 and v2 / v2-1M classifiers, MindCV (see docs/weights.md)."""

from __future__ import annotations

from zoo_core import WeightFormatSpec, hookimpl


@hookimpl
def zoo_weight_formats() -> list[WeightFormatSpec]:
    """timm folders/repos, plain state dicts, HaGRID v1 and v2, MindCV .ckpt (zoo's own run
    directories are read by the core)."""
    return [
        WeightFormatSpec(
            name="timm",
            description="a folder or Hub repo written by timm's save_for_hf / push_to_hf_hub "
            "(config.json with pretrained_cfg; model.safetensors or pytorch_model.bin)",
            detect="zoo_formats.timm_hub:detect",
            read="zoo_formats.timm_hub:read",
            suffixes=(".safetensors", ".bin"),
            reference="https://huggingface.co/docs/timm/hf_hub",
        ),
        WeightFormatSpec(
            name="state-dict",
            description="a plain PyTorch state_dict (torchvision, timm) saved with torch.save "
            "or as a bare .safetensors file",
            detect="zoo_formats.state_dict:detect",
            read="zoo_formats.state_dict:read",
            suffixes=(".pth", ".pt", ".bin", ".safetensors"),
        ),
        WeightFormatSpec(
            name="hagrid-v1",
            description="the HaGRID authors' v1 classifier checkpoint {'state_dict': …} "
            "(backbone.*, classifier.0, leading_hand.0)",
            detect="zoo_formats.hagrid:detect_v1",
            read="zoo_formats.hagrid:read_v1",
            suffixes=(".pth",),
            reference="https://github.com/hukenovs/hagrid/tree/Hagrid_v1",
        ),
        WeightFormatSpec(
            name="hagrid-v2",
            description="the HaGRID authors' v2 / v2-1M snapshot {'MODEL_STATE': …, "
            "'OPTIMIZER_STATE': …, 'EPOCHS_RUN': …}",
            detect="zoo_formats.hagrid:detect_v2",
            read="zoo_formats.hagrid:read_v2",
            suffixes=(".pth",),
            reference="https://github.com/hukenovs/hagrid",
        ),
        WeightFormatSpec(
            name="mindcv",
            description="a MindCV checkpoint (.ckpt; MindSpore names, down_sample, classifier, "
            "SE-ResNet se_module)",
            detect="zoo_formats.mindcv:detect",
            read="zoo_formats.mindcv:read",
            framework="mindspore",
            suffixes=(".ckpt",),
            reference="https://github.com/mindspore-lab/mindcv",
        ),
    ]
