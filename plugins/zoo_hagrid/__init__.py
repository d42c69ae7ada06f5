"""zoo_hagrid: the HaGRID data layer (v1, v2 and v2-1M releases, and hagrid-synth).

Importing this module is cheap: the hooks only name their implementations.
"""

from __future__ import annotations

from collections.abc import Sequence

import typer

from zoo_core import DatasetSpec, hookimpl
from zoo_hagrid.classes import V1_CLASSES

MODES = ("crop", "full_frame")  # as zoo_hagrid.sources.MODES, which imports numpy


@hookimpl
def zoo_datasets() -> Sequence[DatasetSpec]:
    return [
        DatasetSpec(
            name="hagrid",
            description=(
                "HaGRID hand gestures (v1, v2 or v2-1M, detected), or a cache from "
                "'zoo data prepare'; hand crops or full frames"
            ),
            opener="zoo_hagrid.dataset:open_hagrid",
            classes=V1_CLASSES,
            detect="zoo_hagrid.detect:detect_hagrid",
            verify="zoo_hagrid.detect:verify_release",
            modes=MODES,
        ),
        DatasetSpec(
            name="hagrid-synth",
            description=(
                "Procedural HaGRID stand-in in the v1 format (18 gestures + no_gesture), "
                "generated once into the user cache; no download"
            ),
            opener="zoo_hagrid.dataset:open_synth",
            classes=V1_CLASSES,
            synthetic=True,
            # Sized for two CPU cores: minutes, not the study's 20 epochs at 224 px.
            train_defaults={"epochs": 12, "image_size": 64},
            detect="zoo_hagrid.detect:detect_synth",
            verify="zoo_hagrid.detect:verify_release",
            modes=MODES,
            default=True,  # zoo train without --data: no download, minutes on a CPU
        ),
    ]


@hookimpl
def zoo_commands(app: typer.Typer) -> None:
    from zoo_core.cli.data import data_group
    from zoo_hagrid.cli import prepare, synth

    data = data_group(app)
    data.command("prepare")(prepare)
    data.command("synth")(synth)
