"""``DatasetSuite``: the dataset kit's checks as pytest tests.

A dataset plugin's tests subclass it, name the plugin module and write a small dataset::

    from zoo_core.testing import DatasetSuite

    class TestDataset(DatasetSuite):
        plugin = "zoo_mydata"

        def make_data(self, folder):
            ...  # write a few samples under folder
            return folder
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from zoo_core.testing.datasets import DatasetConformance

KITS: dict[type, DatasetConformance] = {}


class DatasetSuite:
    """Subclass as ``Test…``, set ``plugin`` and override :meth:`make_data` (and
    :meth:`make_bad_data` to check bad samples)."""

    plugin: ClassVar[str] = ""
    dataset: ClassVar[str] = ""
    options: ClassVar[dict[str, Any]] = {}
    image_size: ClassVar[int] = 32
    seed: ClassVar[int] = 0

    def make_data(self, folder: Path) -> Path | None:
        """Write a small dataset into ``folder`` and return its root; ``None``: the dataset is
        opened without a folder (generated data)."""
        return None

    def make_bad_data(self, folder: Path) -> Path | None:
        """Write a dataset holding one bad sample (a corrupt image…); ``None`` skips that test."""
        return None

    @pytest.fixture(scope="class")
    @classmethod
    def kit(cls, tmp_path_factory: pytest.TempPathFactory) -> DatasetConformance:
        if cls not in KITS:
            if not cls.plugin:
                raise TypeError(f"{cls.__name__}: set plugin = 'your_plugin_module'")
            root = cls().make_data(tmp_path_factory.mktemp("dataset"))
            KITS[cls] = DatasetConformance.for_plugin(
                cls.plugin,
                cls.dataset,
                root=root,
                options=cls.options,
                image_size=cls.image_size,
                seed=cls.seed,
            )
        return KITS[cls]

    def test_classes(self, kit: DatasetConformance) -> None:
        kit.check_classes()

    def test_split_lengths(self, kit: DatasetConformance) -> None:
        kit.check_lengths()

    def test_images_are_uint8_hwc_at_the_size(self, kit: DatasetConformance) -> None:
        kit.check_images()

    def test_labels_are_in_range(self, kit: DatasetConformance) -> None:
        kit.check_labels()

    def test_same_seed_and_epoch_give_the_same_samples(self, kit: DatasetConformance) -> None:
        kit.check_deterministic()

    def test_description(self, kit: DatasetConformance) -> None:
        kit.check_description()

    def test_bad_samples_raise_bad_sample(self, kit: DatasetConformance, tmp_path: Path) -> None:
        root = self.make_bad_data(tmp_path)
        if root is None:
            pytest.skip("make_bad_data writes no dataset with a bad sample")
        kit.check_bad_sample(root)

    def test_its_folder_is_detected(self, kit: DatasetConformance) -> None:
        if kit.root is None or not kit.spec.detect:
            pytest.skip(f"dataset {kit.spec.name!r} has no folder or no detect function")
        kit.check_detected()
