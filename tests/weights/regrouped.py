"""A dataset plugin for the fine-tuning tests: hagrid-synth's images sorted into other classes.

Gesture ``i`` of the synthetic HaGRID release becomes class ``group{i % GROUPS}``, so the task has
other classes (and another class count) than the run it is fine-tuned from, on images of the
same kind. Registered by ``finetune_probe.py`` as the dataset ``synth-groups``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from zoo_core import DatasetSpec, hookimpl
from zoo_core.data import DataRequest, DataSplits
from zoo_core.lazy import resolve

GROUPS = 4


class Regrouped:
    def __init__(self, split: Any) -> None:
        self.split = split

    def __len__(self) -> int:
        return len(self.split)

    def __getitem__(self, index: int):
        image, label = self.split[index]
        return image, int(label) % GROUPS

    def set_epoch(self, epoch: int) -> None:
        self.split.set_epoch(epoch)


def open_groups(request: DataRequest) -> DataSplits:
    from zoo_core.registry import get_registry

    hagrid = resolve(get_registry().datasets["hagrid"].opener)(request)
    classes = tuple(f"group{index}" for index in range(GROUPS))
    test = Regrouped(hagrid.test) if hagrid.test is not None else None
    description = {**hagrid.description, "name": "synth-groups", "classes": GROUPS}
    return replace(
        hagrid,
        classes=classes,
        train=Regrouped(hagrid.train),
        val=Regrouped(hagrid.val),
        test=test,
        description=description,
    )


class RegroupedPlugin:
    @hookimpl
    def zoo_datasets(self) -> list[DatasetSpec]:
        return [
            DatasetSpec(
                name="synth-groups",
                description="hagrid-synth images in 4 other classes (tests only)",
                opener="regrouped:open_groups",
                classes=tuple(f"group{index}" for index in range(GROUPS)),
                synthetic=True,
            )
        ]
