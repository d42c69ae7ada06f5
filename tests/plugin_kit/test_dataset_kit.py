"""The dataset kit catches what it claims to: scaffolded dataset plugins, each with one planted
fault, fail exactly the check for that fault; the sound one passes every check."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from zoo_core.cli.scaffold import PluginNames, create_plugin
from zoo_core.testing import ConformanceError, DatasetConformance

IMAGE = "        return whole_image(path, self.image_size), label\n"
FAULTS: dict[str, tuple[str, str, str]] = {
    "float_images": (IMAGE, IMAGE.replace("), label", ").astype(np.float32), label"), "images"),
    "wrong_size": (IMAGE, IMAGE.replace("self.image_size)", "self.image_size + 1)"), "images"),
    "labels_shifted": (
        'label[row["label"]]))',
        'label[row["label"]] + 1))',
        "labels",
    ),
    "order_per_open": (
        "        self.items = items\n",
        "        self.items = sorted(items, key=lambda item: hash((id(self), str(item[0]))))\n",
        "deterministic",
    ),
    "bad_sample_hidden": (
        IMAGE,
        "        try:\n    " + IMAGE + "        except BadSample:\n"
        "            return np.zeros((self.image_size,) * 2 + (3,), np.uint8), label\n",
        "bad_sample",
    ),
    "detects_nothing": (
        'return Recognition.own_files(f"{INDEX} lists its images")',
        'return Recognition.no("nothing")',
        "detected",
    ),
    "no_summary": ('        "summary": f"', '        "note": f"', "description"),
}
CHECKS = ("classes", "lengths", "images", "labels", "deterministic", "description", "detected")


def kit_for(folder: Path, fault: str) -> tuple[DatasetConformance, Path]:
    names = PluginNames.derive(f"zoo-kit-{fault.replace('_', '-')}")
    plugin = folder / names.distribution
    create_plugin(names, plugin, "dataset")
    if fault != "sound":
        old, new, _ = FAULTS[fault]
        module = plugin / names.package / "dataset.py"
        text = module.read_text()
        assert old in text, f"{fault}: {old!r} not in the template"
        module.write_text(text.replace(old, new))
    sys.path.insert(0, str(plugin))
    example = __import__(f"{names.package}.example", fromlist=["write_example"])
    data = example.write_example(folder / f"{fault}-data")
    bad = example.write_example(folder / f"{fault}-bad")
    (bad / "images" / "square_1.png").write_bytes(b"broken")
    return DatasetConformance.for_plugin(names.package, root=data), bad


def failures(kit: DatasetConformance, bad: Path) -> dict[str, str]:
    found = {}
    for check in (*CHECKS, "bad_sample"):
        try:
            if check == "bad_sample":
                kit.check_bad_sample(bad)
            else:
                getattr(kit, f"check_{check}")()
        except ConformanceError as error:
            found[check] = str(error)
    return found


@pytest.mark.parametrize("fault", ["sound", *FAULTS])
def test_each_planted_fault_fails_its_check_only(fault: str, tmp_path: Path) -> None:
    kit, bad = kit_for(tmp_path, fault)
    found = failures(kit, bad)
    expected = set() if fault == "sound" else {FAULTS[fault][2]}
    assert set(found) == expected, found
