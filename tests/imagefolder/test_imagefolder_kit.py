"""zoo's dataset kit on the imagefolder plugin: the same checks a scaffolded plugin runs."""

from __future__ import annotations

from pathlib import Path

from imagefolder_support import write_tree

from zoo_core.testing import DatasetSuite


class TestImageFolder(DatasetSuite):
    plugin = "zoo_imagefolder"
    image_size = 24

    def make_data(self, folder: Path) -> Path:
        return write_tree(folder / "pets", {"cat": 5, "dog": 4, "owl": 3})

    def make_bad_data(self, folder: Path) -> Path:
        root = write_tree(folder / "pets", {"cat": 3, "dog": 3})
        (root / "dog" / "broken.jpg").write_bytes(b"not a JPEG")
        return root
