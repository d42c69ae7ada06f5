"""The imagefolder plugin on the trees users make: given splits, one tree split by seed,
classes.txt, EXIF orientation, and what is left out and reported (a corrupt image, an empty
class folder, a file that is not an image, a link out of the tree)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from imagefolder_support import copy_crops, run_zoo, write_image, write_tree
from PIL import Image
from zoo_imagefolder.dataset import open_folder
from zoo_imagefolder.layout import detect

from zoo_core.data import BadSample, DataError, DataRequest
from zoo_core.datasets import detect as detect_dataset
from zoo_core.registry import get_registry


def request(root: Path, **fields) -> DataRequest:
    return DataRequest(root=root, mode="full_frame", image_size=16, **fields)


def test_given_train_and_val_folders_are_the_splits(tmp_path: Path) -> None:
    write_tree(tmp_path / "train", {"a": 3, "b": 2})
    write_tree(tmp_path / "val", {"a": 1, "b": 1}, seed=50)
    write_tree(tmp_path / "test", {"b": 2}, seed=70)
    splits = open_folder(request(tmp_path))
    assert splits.classes == ("a", "b")
    assert (len(splits.train), len(splits.val), len(splits.test)) == (5, 2, 2)
    assert [label for _, label in splits.train.items] == [0, 0, 0, 1, 1]
    assert {path.parent.parent.name for path, _ in splits.val.items} == {"val"}
    assert splits.description["split"] == "given train/ val/ splits"
    assert detect(tmp_path).level == detect(tmp_path).LAYOUT


def test_one_tree_is_split_per_class_by_seed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a": 10, "b": 5})
    first, again = open_folder(request(tmp_path)), open_folder(request(tmp_path))
    other = open_folder(request(tmp_path, seed=1))
    val_labels = [label for _, label in first.val.items]
    assert val_labels == [0, 0, 1]  # 20% of 10, 20% of 5
    assert first.val.items == again.val.items and first.val.items != other.val.items
    assert not {p for p, _ in first.train.items} & {p for p, _ in first.val.items}
    quarter = open_folder(request(tmp_path, options={"val_fraction": 0.5}))
    assert [label for _, label in quarter.val.items] == [0] * 5 + [1] * 2
    subset = open_folder(request(tmp_path, per_class=2))
    assert len(subset.train) + len(subset.val) == 4


def test_classes_txt_orders_the_classes(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a": 3, "b": 3, "c": 3})
    (tmp_path / "classes.txt").write_text("# label order\nc\na\n")
    splits = open_folder(request(tmp_path))
    assert splits.classes == ("c", "a")
    assert any(
        "b: not listed in classes.txt: left out" in p for p in splits.description["problems"]
    )
    (tmp_path / "classes.txt").write_text("c\nzebra\n")
    with pytest.raises(DataError, match="lists zebra, which has no folder"):
        open_folder(request(tmp_path))


def test_exif_orientation_is_honoured(tmp_path: Path) -> None:
    """A landscape picture stored with "rotate 90°" in EXIF comes out as a portrait."""
    pixels = np.zeros((20, 40, 3), np.uint8)
    pixels[:, :20] = (255, 0, 0)  # left half red, right half black
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    path = tmp_path / "up" / "photo.jpg"
    path.parent.mkdir()
    Image.fromarray(pixels).save(path, exif=exif, quality=95)
    write_tree(tmp_path, {"other": 2})
    write_image(tmp_path / "up" / "second.png")
    splits = open_folder(request(tmp_path, options={"val_fraction": 0.5}))
    index = next(i for i, (p, _) in enumerate(splits.train.items) if p.name == "photo.jpg")
    image, _ = splits.train[index]
    # upright: the red half is on top, the padding on the left and right
    assert image[2, 8, 0] > 200 and image[13, 8, 0] < 50 and image[8, 1].max() < 10


def test_crop_mode_is_refused_by_name(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a": 2})
    with pytest.raises(DataError, match="mode 'crop' needs hand boxes"):
        open_folder(DataRequest(root=tmp_path, mode="crop"))
    done = run_zoo("train", "resnet18", "--data", str(tmp_path), "--mode", "crop", cwd=tmp_path,
                   check=False)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "zoo: error: dataset 'imagefolder' has no mode 'crop'; it serves: full_frame"
    )


@pytest.fixture
def messy(tmp_path: Path, hagrid_sample: Path) -> Path:
    """Real crops with one corrupt image, an empty class folder, a non-image file and a link out
    of the tree (to a real crop outside it)."""
    root = copy_crops(hagrid_sample, tmp_path / "gestures", ("like", "palm", "peace"), 4)
    (root / "palm" / "palm_broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated JPEG")
    (root / "fist").mkdir()
    (root / "peace" / "notes.txt").write_text("taken on Tuesday")
    (root / "peace" / ".DS_Store").write_bytes(b"\0\0")
    outside = copy_crops(hagrid_sample, tmp_path / "elsewhere", ("ok",), 1)
    os.symlink(next((outside / "ok").iterdir()), root / "like" / "linked.jpg")
    return root


def test_what_is_left_out_is_reported(messy: Path) -> None:
    splits = open_folder(request(messy))
    assert splits.classes == ("like", "palm", "peace")
    problems = splits.description["problems"]
    assert f"{messy / 'fist'}: class folder without images" in problems
    assert any(
        p.startswith(f"{messy / 'like' / 'linked.jpg'}: symbolic link to ") for p in problems
    )
    assert all("linked" not in str(path) for path, _ in splits.train.items + splits.val.items)
    assert splits.description["ignored_files"] == 2  # notes.txt, .DS_Store
    assert "2 left out (see zoo data verify)" in splits.description["summary"]
    everything = splits.train.items + splits.val.items
    bad = []
    for source in (splits.train, splits.val):
        for index in range(len(source)):
            try:
                image, _ = source[index]
                assert image.shape == (16, 16, 3) and image.dtype == np.uint8
            except BadSample as error:
                bad.append(error.path)
    assert bad == [str(messy / "palm" / "palm_broken.jpg")] and len(everything) == 13


def test_zoo_data_verify_lists_every_problem(messy: Path) -> None:
    done = run_zoo("data", "verify", str(messy), cwd=messy, check=False)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == (
        f"{messy}: image folder (one tree), 3 classes, 13 images, 13 decoded, 2 non-image "
        "file(s) ignored: 3 problem(s)"
    )
    problems = sorted(lines[:-1])
    assert problems[0] == f"{messy / 'fist'}: class folder without images"
    assert problems[1].startswith(f"{messy / 'like' / 'linked.jpg'}: symbolic link to ")
    assert problems[2].startswith(f"{messy / 'palm' / 'palm_broken.jpg'}: ")


def test_training_skips_the_corrupt_image_or_stops_with_strict(messy: Path) -> None:
    common = ("train", "resnet18", "--data", str(messy), "--epochs", "1", "--image-size", "32",
              "--batch-size", "4", "--workers", "0")  # fmt: skip
    done = run_zoo(*common, "--out", "runs/skip", cwd=messy.parent)
    config = json.loads((messy.parent / "runs" / "skip" / "config.json").read_text())
    assert config["label_names"] == ["like", "palm", "peace"]
    assert config["dataset"]["dataset"] == "imagefolder"
    assert "palm_broken.jpg" in done.stderr + done.stdout
    strict = run_zoo(*common, "--strict", "--out", "runs/strict", cwd=messy.parent, check=False)
    assert strict.returncode == 1
    assert strict.stderr.strip().splitlines()[-1].startswith("zoo: error: ")
    assert "palm_broken.jpg" in strict.stderr


def test_a_hagrid_release_is_not_read_as_an_image_folder(tmp_path: Path) -> None:
    """A HaGRID v1 release has one folder of images per gesture too: its annotations outrank
    that layout."""
    write_tree(tmp_path, {"like": 2, "palm": 2}, suffix=".jpg")
    (tmp_path / "ann_subsample").mkdir()
    (tmp_path / "ann_subsample" / "like.json").write_text("{}")
    assert detect(tmp_path).matches
    name, recognition = detect_dataset(get_registry(), tmp_path)
    assert name == "hagrid" and "HaGRID v1 annotations" in recognition.reason
