"""zoo_imagefolder: a folder of images per class (torchvision's ``ImageFolder`` convention).

Importing this module is cheap: the hook only names its implementations.
"""

from __future__ import annotations

from collections.abc import Sequence

from zoo_core import DatasetSpec, hookimpl


@hookimpl
def zoo_datasets() -> Sequence[DatasetSpec]:
    return [
        DatasetSpec(
            name="imagefolder",
            description=(
                "Your own images, one folder per class (torchvision ImageFolder): train/ val/ "
                "(test/) subfolders, or one tree split by seed; optional classes.txt"
            ),
            opener="zoo_imagefolder.dataset:open_folder",
            detect="zoo_imagefolder.layout:detect",
            verify="zoo_imagefolder.verify:verify",
            modes=("full_frame",),  # no hand boxes to crop: each image is used whole
        )
    ]
