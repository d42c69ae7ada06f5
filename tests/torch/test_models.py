"""Every registered architecture × head in torch: shapes, parameter counts, canonical names,
and a save/load round trip through a run directory's safetensors."""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pytest
import torch

from zoo_core.lazy import resolve
from zoo_core.registry import get_registry, parameter_count
from zoo_core.rundir import RunDir
from zoo_core.specs import HeadConfig

HEADS = [(), (512,), (512, 256)]
CLASSES = 18


def torch_architectures() -> list[str]:
    return [arch.name for arch in get_registry().architectures if "torch" in arch.builders]


def manifest(architecture: str, hidden: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    registry = get_registry()
    arch = registry.architecture(architecture)
    head = registry.heads["mlp"]
    shapes = dict(resolve(arch.parameter_shapes)(**arch.options))
    head_shapes = resolve(head.parameter_shapes)(arch.num_features, CLASSES, hidden)
    shapes.update({f"{arch.classifier}.{name}": shape for name, shape in head_shapes.items()})
    return shapes


def build(architecture: str, hidden: tuple[int, ...]) -> torch.nn.Module:
    torch.manual_seed(0)
    return get_registry().build(architecture, "torch", HeadConfig(hidden), CLASSES)


def images(count: int = 3, size: int = 32) -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, (count, size, size, 3), dtype=np.uint8)


@pytest.fixture(params=torch_architectures())
def architecture(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.mark.parametrize("hidden", HEADS, ids=lambda h: ",".join(map(str, h)) or "linear")
def test_architecture_conforms(architecture: str, hidden: tuple[int, ...], tmp_path) -> None:
    registry = get_registry()
    backend = registry.backend("torch")
    arch = registry.architecture(architecture)
    model = build(architecture, hidden)

    trainable = {n: tuple(p.shape) for n, p in model.named_parameters() if p.requires_grad}
    assert trainable == manifest(architecture, hidden)
    expected_count = parameter_count(registry, architecture, HeadConfig(hidden), CLASSES)
    assert (
        backend.parameter_count(model) == expected_count == sum(map(math.prod, trainable.values()))
    )

    batch = images()
    logits = backend.predict(model, batch, arch.mean, arch.std)
    assert logits.shape == (len(batch), CLASSES) and logits.dtype == np.float32

    state = backend.state_dict(model)
    assert set(state) == set(model.state_dict())  # parameters and BatchNorm buffers
    assert {"bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked"} <= set(state)
    run = RunDir(tmp_path)
    run.save_weights(state, {"epoch": "0"})
    fresh = build(architecture, hidden)
    torch.manual_seed(1)
    for parameter in fresh.parameters():  # make sure loading, not the seed, gives equal logits
        torch.nn.init.normal_(parameter)
    backend.load_state_dict(fresh, run.load_weights())
    np.testing.assert_array_equal(backend.predict(fresh, batch, arch.mean, arch.std), logits)


def test_study_parameter_counts() -> None:
    backend = get_registry().backend("torch")
    expected = {
        ("resnet18", ()): 11_185_746,
        ("se_resnet18", ()): 11_274_826,
        ("se_resnet18", (512,)): 11_537_482,
        ("se_resnet18", (512, 256)): 11_664_202,
    }
    for (architecture, hidden), count in expected.items():
        assert backend.parameter_count(build(architecture, hidden)) == count


def test_se_block_sits_after_bn2_before_the_residual_add() -> None:
    """Recompute one SE BasicBlock by hand from its layers, in the study's order."""
    block = build("se_resnet18", ()).layer2[0].eval()
    x = torch.randn(2, 64, 16, 16)
    with torch.no_grad():
        body = block.bn2(block.conv2(torch.relu(block.bn1(block.conv1(x)))))
        squeeze = body.mean((2, 3), keepdim=True)
        excite = torch.sigmoid(block.se.fc2(torch.relu(block.se.fc1(squeeze))))
        expected = torch.relu(body * excite + block.downsample(x))
        torch.testing.assert_close(block(x), expected)
    assert block.se.fc1.out_channels == 128 // 16  # r = 16 exactly, no rounding to 8


def test_se_ratio_and_divisor_options() -> None:
    registry = get_registry()
    make = partial(registry.build, "se_resnet18", "torch", HeadConfig(()), CLASSES)
    assert make(se_ratio=1 / 32).layer1[0].se.fc1.out_channels == 2
    assert make(se_divisor=8).layer1[0].se.fc1.out_channels == 8  # timm's seresnet18 rounding
    with pytest.raises(ValueError, match="se_ratio"):
        make(se_ratio=0)
    with pytest.raises(ValueError, match="resnet option"):
        make(no_such_option=1)


def test_mlp_head_layers_and_dropout() -> None:
    head = resolve(get_registry().heads["mlp"].builders["torch"])
    assert isinstance(head(512, 18), torch.nn.Linear)
    mlp = head(512, 18, hidden=(64, 32), dropout=0.5)
    assert [tuple(layer.weight.shape) for layer in mlp.hidden] == [(64, 512), (32, 64)]
    features = torch.randn(4, 512)
    mlp.eval()
    with torch.no_grad():
        expected = mlp.out(torch.relu(mlp.hidden[1](torch.relu(mlp.hidden[0](features)))))
        torch.testing.assert_close(mlp(features), expected)
    mlp.train()
    torch.manual_seed(0)
    assert not torch.equal(mlp(features), expected)  # dropout is active in training
    with pytest.raises(ValueError, match="dropout"):
        head(512, 18, hidden=(64,), dropout=1.0)


def test_mlp_hidden_layers_start_he_initialised() -> None:
    head = resolve(get_registry().heads["mlp"].builders["torch"])
    torch.manual_seed(0)
    mlp = head(512, 19, hidden=(512, 256))
    for layer, fan_in in zip(mlp.hidden, (512, 512), strict=True):
        he = math.sqrt(2 / fan_in)
        assert abs(float(layer.weight.detach().std()) - he) < 0.05 * he
        assert not layer.bias.detach().any()
    default = 1 / math.sqrt(3 * 256)  # the output layer keeps nn.Linear's own init
    assert abs(float(mlp.out.weight.detach().std()) - default) < 0.1 * default
