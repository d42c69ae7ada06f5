"""Plugin discovery, isolation and validation, each test on a fresh PluginHost."""

from __future__ import annotations

import importlib.metadata
import sys
import types
from pathlib import Path

import pytest

from zoo_core import ArchitectureSpec, DatasetSpec, HeadSpec, hookimpl
from zoo_core.plugins import PluginError, PluginHost
from zoo_core.registry import Registry, UnknownNameError


def architecture_plugin(name: str = "tiny") -> object:
    class Plugin:
        @hookimpl
        def zoo_architectures(self) -> list[ArchitectureSpec]:
            return [ArchitectureSpec(name=name, description="test", builders={"torch": "x:y"})]

    return Plugin()


class FakeDistribution(importlib.metadata.Distribution):
    """A distribution that exists only in memory, the way pluggy tests fake them."""

    def __init__(self, name: str, entry_points: str) -> None:
        self.files_ = {
            "METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2.3\n",
            "entry_points.txt": entry_points,
        }

    def read_text(self, filename: str) -> str | None:
        return self.files_.get(filename)

    def locate_file(self, path: str) -> Path:  # pragma: no cover - unused
        return Path(path)


@pytest.fixture
def fake_module(monkeypatch: pytest.MonkeyPatch):
    """Put a module object into sys.modules for an entry point to load."""

    def make(name: str, **attributes: object) -> types.ModuleType:
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        monkeypatch.setitem(sys.modules, name, module)
        return module

    return make


def entry_points_of(*distributions: FakeDistribution) -> list[importlib.metadata.EntryPoint]:
    return [ep for dist in distributions for ep in dist.entry_points if ep.group == "zoo"]


def test_entry_point_discovery_with_faked_distribution(fake_module) -> None:
    plugin = architecture_plugin("fake_net")
    fake_module("zoo_fake_plugin", zoo_architectures=plugin.zoo_architectures)
    dist = FakeDistribution("zoo-fake", "[zoo]\nfake = zoo_fake_plugin\n")
    host = PluginHost(strict=True)
    host.load_entry_points(entry_points_of(dist))
    registry = Registry(host)
    assert registry.architectures.names() == ["fake_net"]
    assert registry.architecture("fake_net").distribution == "zoo-fake"
    info = host.infos["fake"]
    assert (info.distribution, info.version, info.hooks) == (
        "zoo-fake",
        "1.2.3",
        ["zoo_architectures"],
    )


def test_entry_points_found_through_importlib_metadata(monkeypatch, fake_module) -> None:
    plugin = architecture_plugin("via_metadata")
    fake_module("zoo_meta_plugin", zoo_architectures=plugin.zoo_architectures)
    dist = FakeDistribution("zoo-meta", "[zoo]\nmeta = zoo_meta_plugin\n")
    monkeypatch.setattr(importlib.metadata, "distributions", lambda **_: iter([dist]))
    host = PluginHost(strict=True)
    host.load_entry_points()
    assert "via_metadata" in Registry(host).architectures


def test_plugin_that_fails_to_import_is_one_warning(capsys, fake_module) -> None:
    fake_module("zoo_good_plugin", zoo_architectures=architecture_plugin("good").zoo_architectures)
    dist = FakeDistribution(
        "zoo-mixed", "[zoo]\nbroken = zoo_missing_module_xyz\ngood = zoo_good_plugin\n"
    )
    host = PluginHost(strict=False)
    host.load_entry_points(entry_points_of(dist))
    warnings = capsys.readouterr().err.strip().splitlines()
    assert len(warnings) == 1
    assert "'broken'" in warnings[0] and "zoo_missing_module_xyz" in warnings[0]
    assert host.infos["broken"].status == "error"
    assert Registry(host).architectures.names() == ["good"]


def test_plugin_that_fails_to_import_is_fatal_in_strict_mode(monkeypatch) -> None:
    monkeypatch.setenv("ZOO_STRICT_PLUGINS", "1")
    dist = FakeDistribution("zoo-broken", "[zoo]\nbroken = zoo_missing_module_xyz\n")
    host = PluginHost()
    with pytest.raises(PluginError, match="broken"):
        host.load_entry_points(entry_points_of(dist))


def test_plugin_raising_inside_a_hook_is_isolated(capsys) -> None:
    class Raises:
        @hookimpl
        def zoo_heads(self) -> list[HeadSpec]:
            raise RuntimeError("boom")

    class Fine:
        @hookimpl
        def zoo_heads(self) -> list[HeadSpec]:
            return [HeadSpec(name="fine", description="", builders={})]

    host = PluginHost(strict=False)
    host.register(Raises(), "raises")
    host.register(Fine(), "fine")
    registry = Registry(host)
    assert registry.heads.names() == ["fine"]
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'raises'" in err and "RuntimeError: boom" in err
    assert host.infos["raises"].status == "error"


def test_plugin_raising_inside_a_hook_is_fatal_in_strict_mode() -> None:
    class Raises:
        @hookimpl
        def zoo_datasets(self) -> list[DatasetSpec]:
            raise RuntimeError("boom")

    host = PluginHost(strict=True)
    host.register(Raises(), "raises")
    with pytest.raises(PluginError, match="zoo_datasets raised"):
        Registry(host)


def test_misspelt_hook_is_caught_by_check_pending(capsys) -> None:
    class Misspelt:
        @hookimpl
        def zoo_architecture(self) -> list[ArchitectureSpec]:  # missing the final "s"
            return []

    host = PluginHost(strict=False)
    plugin = Misspelt()
    assert not host.register(plugin, "misspelt")
    assert "zoo_architecture" in capsys.readouterr().err
    assert not host.pm.is_registered(plugin)
    with pytest.raises(PluginError, match="zoo_architecture"):
        PluginHost(strict=True).register(Misspelt(), "misspelt")


def test_zoo_plugins_selects_plugins(monkeypatch, fake_module) -> None:
    fake_module("zoo_one", zoo_architectures=architecture_plugin("one").zoo_architectures)
    fake_module("zoo_two", zoo_architectures=architecture_plugin("two").zoo_architectures)
    dist = FakeDistribution("zoo-both", "[zoo]\none = zoo_one\ntwo = zoo_two\n")
    monkeypatch.setenv("ZOO_PLUGINS", "two")
    host = PluginHost(strict=True)
    host.load_entry_points(entry_points_of(dist))
    assert Registry(host).architectures.names() == ["two"]


def test_duplicate_names_keep_the_first_and_warn(capsys) -> None:
    host = PluginHost(strict=True)
    host.register(architecture_plugin("same"), "first", "dist-a")
    host.register(architecture_plugin("same"), "second", "dist-b")
    registry = Registry(host)
    assert registry.architecture("same").distribution == "dist-a"
    assert "dist-b ignored" in capsys.readouterr().err


def test_unknown_name_suggests_the_close_one() -> None:
    host = PluginHost(strict=True)
    host.register(architecture_plugin("se_resnet18"), "p")
    with pytest.raises(UnknownNameError, match="Did you mean 'se_resnet18'"):
        Registry(host).architecture("se_resnet81")
