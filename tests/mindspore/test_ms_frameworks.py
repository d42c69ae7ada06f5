"""The MindSpore models against the canonical manifest and the torch models: parameter counts,
names, layouts, and the same eval-mode logits from the same weights in both directions."""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import pytest

from zoo_core.registry import get_registry, parameter_count
from zoo_core.specs import HeadConfig

# The study's models with HaGRID v1's 18 gestures (the torch models give the same counts).
EXPECTED_PARAMETERS = {
    "resnet18[]": 11_185_746,
    "resnet18[512]": 11_448_402,
    "resnet18[512,256]": 11_575_122,
    "resnet18[512,256,128]": 11_605_714,
    "se_resnet18[]": 11_274_826,
    "se_resnet18[512]": 11_537_482,
    "se_resnet18[512,256]": 11_664_202,
    "se_resnet18[512,256,128]": 11_694_794,
}
CASES = list(EXPECTED_PARAMETERS)
TOLERANCE = 1e-4
BATCH_NORM_BUFFERS = ("running_mean", "running_var", "num_batches_tracked")


@pytest.fixture(scope="module")
def measured(ms: SimpleNamespace) -> dict[str, Any]:
    return ms.probe("frameworks")


def split_case(case: str) -> tuple[str, HeadConfig]:
    arch, head = case.rstrip("]").split("[")
    return arch, HeadConfig.parse(head)


def manifest(case: str) -> dict[str, tuple[int, ...]]:
    from zoo_core.lazy import resolve

    registry = get_registry()
    arch_name, head = split_case(case)
    arch = registry.architecture(arch_name)
    shapes = dict(resolve(arch.parameter_shapes)(**arch.options))
    head_shapes = resolve(registry.heads["mlp"].parameter_shapes)(512, 18, head.hidden)
    shapes.update({f"fc.{name}": shape for name, shape in head_shapes.items()})
    return shapes


@pytest.mark.parametrize("case", CASES)
def test_parameter_count(measured: dict[str, Any], case: str) -> None:
    arch, head = split_case(case)
    assert measured["models"][case]["count"] == EXPECTED_PARAMETERS[case]
    assert parameter_count(get_registry(), arch, head, 18) == EXPECTED_PARAMETERS[case]
    assert sum(math.prod(shape) for shape in manifest(case).values()) == EXPECTED_PARAMETERS[case]


@pytest.mark.parametrize("case", CASES)
def test_canonical_names_and_shapes(measured: dict[str, Any], case: str) -> None:
    state = {name: tuple(shape) for name, (shape, _) in measured["models"][case]["state"].items()}
    trainable = {n: s for n, s in state.items() if not n.endswith(BATCH_NORM_BUFFERS)}
    assert trainable == manifest(case)
    norms = {name.rsplit(".", 1)[0] for name in state if name.endswith("running_mean")}
    assert len(norms) == 1 + 4 * 2 * 2 + 3  # stem, two per block, three downsamples
    for norm in norms:
        assert {f"{norm}.weight", f"{norm}.bias"} <= set(trainable)
        assert state[f"{norm}.running_var"] == state[f"{norm}.weight"]
        assert state[f"{norm}.num_batches_tracked"] == ()


def test_mindspore_names_follow_attribute_paths(measured: dict[str, Any]) -> None:
    names = set(measured["models"]["se_resnet18[512,256]"]["mindspore_names"])
    for name in (
        "conv1.weight",
        "bn1.gamma",
        "layer1.0.bn1.gamma",
        "layer1.0.bn1.moving_variance",
        "layer1.0.se.fc1.weight",
        "layer4.1.se.fc2.bias",
        "layer2.0.downsample.0.weight",
        "layer2.0.downsample.1.beta",
        "fc.hidden.0.weight",
        "fc.hidden.1.bias",
        "fc.out.weight",
    ):
        assert name in names
    assert {"fc.weight", "fc.bias"} <= set(measured["models"]["resnet18[]"]["mindspore_names"])


@pytest.mark.usefixtures("torch_required")
@pytest.mark.parametrize("case", CASES)
def test_same_layout_as_torch(measured: dict[str, Any], case: str) -> None:
    entry = measured["models"][case]
    assert entry["state"] == entry["torch_state"]
    assert entry["count"] == entry["torch_count"]


@pytest.mark.usefixtures("torch_required")
@pytest.mark.parametrize("direction", ["torch->mindspore", "mindspore->torch"])
@pytest.mark.parametrize("case", CASES)
def test_logit_parity(measured: dict[str, Any], case: str, direction: str) -> None:
    entry = measured["parity"][case]
    assert entry[direction] <= TOLERANCE
    # Not a vacuous pass: logits spread, and the BatchNorm statistics change them.
    assert entry["logit_std"] > 0.05
    assert entry["statistics_effect"] > 100 * TOLERANCE


@pytest.mark.usefixtures("torch_required")
@pytest.mark.parametrize("case", ["resnet18[]", "se_resnet18[]"])
def test_graph_mode_gives_the_pynative_logits(measured: dict[str, Any], case: str) -> None:
    assert measured["parity"][case]["graph_mode_vs_pynative"] <= TOLERANCE
