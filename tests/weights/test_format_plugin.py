"""A weight format from a third-party plugin: the ``zoo_weight_formats`` hook is all it takes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from zoo_core import WeightFormatSpec, hookimpl
from zoo_core.plugins import PluginHost
from zoo_core.registry import Registry, get_registry
from zoo_core.rundir import WeightsError
from zoo_core.sources import ReadWeights, open_source


def detect_npz(path: Path) -> bool:
    return path.is_file() and path.suffix == ".npz"


def read_npz(path: Path) -> ReadWeights:
    arrays = dict(np.load(path))
    labels = tuple(str(name) for name in arrays.pop("__labels__"))
    return ReadWeights(tensors=arrays, file=path, label_names=labels, input_size=(3, 48, 48))


class NpzFormat:
    @hookimpl
    def zoo_weight_formats(self) -> list[WeightFormatSpec]:
        return [
            WeightFormatSpec(
                name="npz",
                description="numpy .npz of canonical names",
                detect=f"{__name__}:detect_npz",
                read=f"{__name__}:read_npz",
            )
        ]


@pytest.fixture
def registry() -> Registry:
    host = PluginHost()
    host.load_entry_points()
    host.register(NpzFormat(), "npz", "zoo-npz", "0.1")
    return Registry(host)


def test_a_plugin_format_is_read_and_its_metadata_used(registry: Registry, tmp_path: Path) -> None:
    model = registry.build("resnet18", "torch", None, 3)
    state = registry.backend("torch").state_dict(model)
    np.savez(tmp_path / "w.npz", **state, __labels__=np.array(["a", "b", "c"]))
    opened = open_source(str(tmp_path / "w.npz"), registry)
    assert opened.format.name == "npz" and opened.format.distribution == "zoo-npz"
    assert opened.config["architecture"] == "resnet18"  # inferred from the shape manifest
    assert opened.config["label_names"] == ["a", "b", "c"]
    assert opened.config["input_size"] == [3, 48, 48]
    assert opened.config["source"]["format"] == "npz"


def test_without_the_plugin_the_file_is_no_known_format(tmp_path: Path) -> None:
    (tmp_path / "w.npz").write_bytes(b"")
    with pytest.raises(WeightsError, match="not a weight format zoo knows"):
        open_source(str(tmp_path / "w.npz"), get_registry())
