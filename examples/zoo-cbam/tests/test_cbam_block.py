"""The torch CBAM-ResNet18 is the described model: a numpy CBAM computes what timm's module does,
and the block applies it after conv2 + bn2, before the residual add. (The MindSpore model equals
the torch one by the conformance kit's parity check.)"""

from __future__ import annotations

import numpy as np
import pytest
from zoo_cbam.shapes import cbam_resnet18 as cbam_shapes

torch = pytest.importorskip("torch")
pytest.importorskip("timm")


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def conv(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    """Stride-1, same-padded convolution of ``x (C, H, W)``, in float64."""
    out_channels, in_channels, k, _ = weight.shape
    pad = k // 2
    padded = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    height, width = x.shape[1:]
    out = np.zeros((out_channels, height, width))
    for dy in range(k):
        for dx in range(k):
            window = padded[:, dy : dy + height, dx : dx + width]
            out += np.einsum("oi,ihw->ohw", weight[:, :, dy, dx], window)
    return out + (bias[:, None, None] if bias is not None else 0.0)


def reference_cbam(x: np.ndarray, w: dict[str, np.ndarray], eps: float = 1e-5) -> np.ndarray:
    """CBAM (Woo et al. 2018) in eval mode on one image ``x (C, H, W)``."""

    def mlp(descriptor: np.ndarray) -> np.ndarray:
        hidden = np.maximum(conv(descriptor, w["channel.fc1.weight"], w["channel.fc1.bias"]), 0)
        return conv(hidden, w["channel.fc2.weight"], w["channel.fc2.bias"])

    average = x.mean(axis=(1, 2), keepdims=True)
    peak = x.max(axis=(1, 2), keepdims=True)
    x = x * sigmoid(mlp(average) + mlp(peak))
    pooled = np.concatenate([x.mean(axis=0, keepdims=True), x.max(axis=0, keepdims=True)])
    attention = conv(pooled, w["spatial.conv.conv.weight"])
    scale = w["spatial.conv.bn.weight"] / np.sqrt(w["spatial.conv.bn.running_var"] + eps)
    attention = (attention - w["spatial.conv.bn.running_mean"][:, None, None]) * scale[
        :, None, None
    ] + w["spatial.conv.bn.bias"][:, None, None]
    return x * sigmoid(attention)


@pytest.fixture(scope="module")
def model():
    from zoo_cbam.torch_models import cbam_resnet18

    torch.manual_seed(0)
    net = cbam_resnet18(lambda features: torch.nn.Linear(features, 3)).eval()
    with torch.no_grad():  # no zero-initialised gammas or default running statistics
        for name, tensor in net.state_dict().items():
            if tensor.is_floating_point():
                low = 0.5 if name.endswith(("running_var", "bn.weight")) else -0.5
                tensor.uniform_(low, low + 1.0)
    return net


def test_the_attention_module_computes_cbam(model) -> None:
    block = model.layer2[1].se
    weights = {name: value.double().numpy() for name, value in block.state_dict().items()}
    x = torch.randn(1, 128, 6, 5, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        got = block(x)[0].double().numpy()
    expected = reference_cbam(x[0].double().numpy(), weights)
    assert np.abs(got - expected).max() < 1e-4


def test_cbam_sits_after_bn2_before_the_residual_add(model) -> None:
    block = model.layer1[0]
    x = torch.randn(2, 64, 8, 8, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        branch = block.bn2(block.conv2(torch.relu(block.bn1(block.conv1(x)))))
        expected = torch.relu(block.se(branch) + x)
        assert torch.allclose(block(x), expected, atol=1e-6)
        assert not torch.allclose(block.se(branch), branch, atol=1e-3)


def test_every_block_has_the_manifests_cbam() -> None:
    shapes = cbam_shapes()
    blocks = {name.split(".se.")[0] for name in shapes if ".se." in name}
    assert blocks == {f"layer{stage}.{block}" for stage in range(1, 5) for block in range(2)}
    assert shapes["layer4.1.se.channel.fc1.weight"] == (32, 512, 1, 1)
    assert shapes["layer1.0.se.spatial.conv.conv.weight"] == (1, 2, 7, 7)


@pytest.mark.parametrize(
    ("options", "problem"),
    [({"cbam_ratio": 0}, "cbam_ratio"), ({"cbam_kernel": 4}, "cbam_kernel")],
)
def test_bad_options_are_named(options: dict, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        cbam_shapes(**options)
