"""Checkpoints written by the other libraries' own code, and the logits of their own models.

Every checkpoint comes from a randomly initialised model of torchvision or timm, its BatchNorm
statistics randomised too (so that a statistic mapped to the wrong place shows in the logits),
saved the way that library or the HaGRID authors' code saves it. The MindCV checkpoints are
written by ``mindspore.save_checkpoint`` in a subprocess (``ms_probe.py make-mindcv``) from the
tensors of a torchvision / timm model, named as MindCV names them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("timm")
pytest.importorskip("torchvision")

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PROBE = HERE / "ms_probe.py"
IMAGE = 64
V1_TARGETS = [
    "call", "dislike", "fist", "four", "like", "mute", "ok", "one", "palm", "peace", "rock",
    "stop", "stop_inverted", "three", "two_up", "two_up_inverted", "three2", "peace_inverted",
    "no_gesture",
]  # fmt: skip


def randomised(model: torch.nn.Module, seed: int) -> torch.nn.Module:
    generator = torch.Generator().manual_seed(seed)
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            channels = module.num_features
            module.running_mean.copy_(torch.rand(channels, generator=generator) - 0.5)
            module.running_var.copy_(torch.rand(channels, generator=generator) + 0.5)
            module.weight.data.copy_(torch.rand(channels, generator=generator) + 0.5)
            module.bias.data.copy_(torch.rand(channels, generator=generator) - 0.5)
    return model.eval()


class HagridV1ResNet(torch.nn.Module):
    """The HaGRID authors' v1 two-headed ResNet (``classifier/models/resnet.py``, branch
    Hagrid_v1), rebuilt around torchvision's resnet18 exactly as they build it."""

    def __init__(self, num_classes: int) -> None:
        import torchvision

        super().__init__()
        tv = torchvision.models.resnet18()
        self.backbone = torch.nn.Sequential(
            tv.conv1, tv.bn1, tv.relu, tv.maxpool, tv.layer1, tv.layer2, tv.layer3, tv.layer4,
            tv.avgpool,
        )  # fmt: skip
        self.classifier = torch.nn.Sequential(torch.nn.Linear(512, num_classes))
        self.leading_hand = torch.nn.Sequential(torch.nn.Linear(512, 2))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.backbone(images), 1))  # the gesture head


def logits(model: torch.nn.Module, x: torch.Tensor) -> np.ndarray:
    with torch.no_grad():
        return model.eval()(x).numpy()


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS="2", OMP_WAIT_POLICY="PASSIVE", GLOG_v="3", PYTHONUNBUFFERED="1")
    return env


def probe(*args: str, timeout: float = 600) -> dict:
    done = subprocess.run(
        [sys.executable, str(PROBE), *args],
        env=environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise AssertionError(f"ms_probe {args[0]} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def zoo(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """The installed ``zoo`` console script in a subprocess."""
    script = Path(sys.executable).parent / "zoo"
    return subprocess.run(
        [str(script), *args],
        env=environment(),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of foreign checkpoints, ``x.npy`` (the input) and ``refs.npz`` (the source
    models' own logits on it), ``sources.json`` (name → expected format and metadata)."""
    import timm
    import torchvision
    from timm.models import save_for_hf

    folder = tmp_path_factory.mktemp("foreign")
    torch.manual_seed(0)
    x = torch.randn(2, 3, IMAGE, IMAGE)
    np.save(folder / "x.npy", x.numpy())
    refs: dict[str, np.ndarray] = {}
    expected: dict[str, dict] = {}

    tv = randomised(torchvision.models.resnet18(num_classes=5), 1)
    torch.save(tv.state_dict(), folder / "torchvision.pth")
    refs["torchvision.pth"] = logits(tv, x)
    expected["torchvision.pth"] = {"format": "state-dict", "classes": 5}

    timm_r18 = randomised(timm.create_model("resnet18", num_classes=4), 2)
    labels = ["left", "right", "up", "down"]
    save_for_hf(timm_r18, folder / "timm-resnet18", model_config={"label_names": labels})
    refs["timm-resnet18"] = logits(timm_r18, x)
    expected["timm-resnet18"] = {"format": "timm", "classes": 4, "labels": labels}

    timm_se = randomised(timm.create_model("seresnet18", num_classes=3), 3)
    save_for_hf(timm_se, folder / "timm-seresnet18", safe_serialization=True)
    refs["timm-seresnet18"] = logits(timm_se, x)
    expected["timm-seresnet18"] = {"format": "timm", "classes": 3, "architecture": "se_resnet18"}

    v1 = randomised(HagridV1ResNet(len(V1_TARGETS)), 4)
    optimizer = torch.optim.SGD(v1.parameters(), lr=0.005, momentum=0.9)
    config = {"dataset": {"targets": V1_TARGETS}, "model": {"name": "ResNet18"}}
    checkpoint = {
        "state_dict": v1.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "epoch": 7,
        "config": config,
    }
    torch.save(checkpoint, folder / "hagrid_v1.pth")
    refs["hagrid_v1.pth"] = logits(v1, x)
    expected["hagrid_v1.pth"] = {"format": "hagrid-v1", "classes": 19, "labels": V1_TARGETS}

    for name, classes, seed in (("hagrid_v2.pth", 18, 5), ("hagrid_v2_1m.pth", 34, 6)):
        model = randomised(torchvision.models.resnet18(num_classes=classes), seed)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        snapshot = {
            "MODEL_STATE": model.state_dict(),
            "OPTIMIZER_STATE": optimizer.state_dict(),
            "SCHEDULER_STATE": None,
            "EPOCHS_RUN": 3,
            "Loss": 0.42,
            "Metric": {"F1Score": torch.tensor(0.9)},
        }
        torch.save(snapshot, folder / name)
        refs[name] = logits(model, x)
        expected[name] = {"format": "hagrid-v2", "classes": classes}

    # MindCV: the tensors of a torchvision resnet18 and a timm seresnet18, written by MindSpore
    mindcv_r18 = randomised(torchvision.models.resnet18(num_classes=6), 7)
    mindcv_se = randomised(timm.create_model("seresnet18", num_classes=6), 8)
    for name, model in (("mindcv_resnet18", mindcv_r18), ("mindcv_seresnet18", mindcv_se)):
        state = {k: v.numpy() for k, v in model.state_dict().items()}
        np.savez(folder / f"{name}.npz", **state)
        refs[f"{name}.ckpt"] = logits(model, x)
    expected["mindcv_resnet18.ckpt"] = {"format": "mindcv", "classes": 6}
    expected["mindcv_seresnet18.ckpt"] = {
        "format": "mindcv",
        "classes": 6,
        "architecture": "se_resnet18",
    }
    np.savez(folder / "refs.npz", **refs)
    (folder / "sources.json").write_text(json.dumps(expected, indent=2))
    return folder


@pytest.fixture(scope="session")
def mindcv(foreign: Path) -> Path:
    """The two MindCV checkpoints, written by ``mindspore.save_checkpoint``."""
    if importlib.util.find_spec("mindspore") is None:
        pytest.skip("mindspore is not installed")
    probe("make-mindcv", str(foreign))
    return foreign


@pytest.fixture(scope="session")
def synth_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """hagrid-synth in the v1 format (its classes are HaGRID v1's 19): 4 images per class."""
    from zoo_hagrid.synth.params import SynthParams
    from zoo_hagrid.synth.writer import generate

    params = SynthParams(per_class=4, users=6, width=96, height=72, seed=3)
    return generate(params, tmp_path_factory.mktemp("synth") / "release")
