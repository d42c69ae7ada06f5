"""Run the conformance kit on scaffolded plugins, each with one planted fault, in a process of its
own (MindSpore stays out of the pytest process); print one JSON object of what each check said.

``python kit_probe.py FOLDER``: the plugins are written under FOLDER.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from zoo_core.cli.scaffold import PluginNames, create_plugin
from zoo_core.testing import Conformance, ConformanceError

FAULTS: dict[str, list[tuple[str, str, str]]] = {
    "sound": [],
    "manifest_lies": [("shapes.py", "(width, width_in, 3, 3)", "(width, width_in, 5, 5)")],
    "mindspore_names_differ": [("mindspore_models.py", "self.bn2", "self.norm2")],
    "mindspore_pools_differently": [
        ("mindspore_models.py", "x.mean(axis=(2, 3))", "x.max(axis=(2, 3))")
    ],
    "torch_skips_bn2": [
        ("torch_models.py", "self.relu(self.bn2(self.conv2(x)))", "self.relu(self.conv2(x))")
    ],
}
CHECKS = ("check_forward", "check_manifest", "check_round_trip", "check_training_step")


def plant(folder: Path, fault: str) -> str:
    """A scaffolded plugin ``zoo_probe_<fault>`` with the fault's edits; returns its module."""
    names = PluginNames.derive(f"zoo-probe-{fault.replace('_', '-')}", "probe_net")
    root = folder / names.distribution
    create_plugin(names, root)
    for file, old, new in FAULTS[fault]:
        path = root / names.package / file
        text = path.read_text()
        assert old in text, f"{file} no longer contains {old!r}"
        path.write_text(text.replace(old, new))
    sys.path.insert(0, str(root))
    return names.package


def outcome(check, *args) -> str:
    """``ok``, ``fail: …`` for a :class:`ConformanceError`, ``error: …`` for anything else."""
    try:
        check(*args)
    except ConformanceError as error:
        return f"fail: {error}"
    except Exception as error:  # noqa: BLE001 - reported, and the tests expect none
        return f"error: {type(error).__name__}: {error}"
    return "ok"


def probe(folder: Path) -> dict[str, dict[str, str]]:
    results: dict[str, dict[str, str]] = {}
    for fault in FAULTS:
        kit = Conformance.for_plugin(plant(folder, fault), heads=("",), image_size=32)
        said: dict[str, str] = {}
        for case in kit.cases():
            for check in CHECKS:
                extra = (folder / fault / str(case),) if check == "check_round_trip" else ()
                said[f"{check}:{case.framework}"] = outcome(getattr(kit, check), case, *extra)
        for first, second in kit.pairs():
            said["check_same_weights"] = outcome(kit.check_same_weights, first, second)
        for source, target in kit.directions():
            said[f"check_parity:{source.framework}"] = outcome(kit.check_parity, source, target)
        results[fault] = said
    return results


if __name__ == "__main__":
    print(json.dumps(probe(Path(sys.argv[1]))))
