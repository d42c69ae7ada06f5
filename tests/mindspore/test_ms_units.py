"""The parts of the MindSpore plugin that need no MindSpore: epoch order, the sample source,
name mapping, weight checks, job files and the graph-cache key (run in the pytest process)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest
from zoo_mindspore import environment, pipeline, weights

from zoo_core.data import BadSample, DataError
from zoo_core.framework import TrainJob
from zoo_core.rundir import WeightsError
from zoo_core.specs import HeadConfig
from zoo_core.worker import read_job, write_job


class Split:
    """Sample ``i`` is an image filled with ``i``; indices in ``bad`` raise BadSample."""

    def __init__(self, length: int, bad: set[int] = frozenset()) -> None:
        self.length, self.bad = length, set(bad)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> tuple[np.ndarray, int]:
        if index in self.bad:
            raise BadSample(f"img{index}.jpg", "corrupt image")
        return np.full((4, 4, 3), index, np.uint8), index % 3

    def set_epoch(self, epoch: int) -> None:
        pass


def test_a_bad_sample_is_counted_and_replaced_by_the_next_good_one() -> None:
    order = np.array([4, 2, 7, 1])
    samples = pipeline.EpochSamples(Split(8, bad={2, 7}), order, image_size=4, strict=False)
    image, label = samples[1]
    assert image[0, 0, 0] == 1 and label.dtype == np.int32 and label == 1
    assert sorted(samples.bad) == [2, 7]
    assert "img2.jpg: corrupt image" in samples.bad[2]
    samples.raise_failure()  # nothing to raise when not strict


def test_strict_mode_keeps_the_first_bad_sample_for_the_training_loop() -> None:
    samples = pipeline.EpochSamples(Split(3, bad={1}), np.arange(3), image_size=4, strict=True)
    image, _ = samples[1]
    assert image.shape == (4, 4, 3)  # a placeholder, so the pipeline runs on until the raise
    with pytest.raises(BadSample, match="img1.jpg"):
        samples.raise_failure()


def test_a_split_of_bad_samples_only_is_a_data_error() -> None:
    samples = pipeline.EpochSamples(Split(2, bad={0, 1}), np.arange(2), image_size=4, strict=False)
    samples[0]
    with pytest.raises(DataError, match="every sample"):
        samples.raise_failure()


@pytest.mark.parametrize(
    ("mindspore", "torch"),
    [
        ("layer1.0.bn1.gamma", "layer1.0.bn1.weight"),
        ("bn1.beta", "bn1.bias"),
        ("layer2.0.downsample.1.moving_mean", "layer2.0.downsample.1.running_mean"),
        ("layer2.0.downsample.1.moving_variance", "layer2.0.downsample.1.running_var"),
        ("layer1.0.se.fc1.weight", "layer1.0.se.fc1.weight"),
        ("fc.hidden.0.bias", "fc.hidden.0.bias"),
        ("gamma", "weight"),
    ],
)
def test_canonical_names(mindspore: str, torch: str) -> None:
    assert weights.canonical_name(mindspore) == torch


def test_check_fit_names_every_fault() -> None:
    expected = {"a.weight": (2, 3), "b.bias": (3,), "c.weight": (1,)}
    state = {"a.weight": np.zeros((3, 2)), "b.bias": np.zeros(3), "z.weight": np.zeros(1)}
    with pytest.raises(WeightsError) as error:
        weights.check_fit(expected, {"b.num_batches_tracked"}, state)
    message = str(error.value)
    assert "missing: c.weight" in message
    assert "unexpected: z.weight" in message
    assert "shape mismatch: a.weight (3, 2) (model (2, 3))" in message
    weights.check_fit(expected, {"b.num_batches_tracked"}, {
        "a.weight": np.zeros((2, 3)), "b.bias": np.zeros(3), "c.weight": np.zeros(1),
        "b.num_batches_tracked": np.array(5),
    })  # fmt: skip


def test_job_file_round_trip(tmp_path: Path) -> None:
    job = TrainJob(
        "se_resnet18",
        "mindspore",
        head=HeadConfig((512, 256), 0.1),
        data=tmp_path / "data",
        out=tmp_path / "run",
        nproc=2,
        architecture_options={"se_ratio": 0.125},
        options={"ms_mode": "graph"},
    )
    write_job(job, tmp_path / "job.json")
    assert read_job(tmp_path / "job.json") == job


def test_graph_cache_has_a_folder_per_configuration(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ZOO_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MS_COMPILER_CACHE_ENABLE", raising=False)
    monkeypatch.delitem(sys.modules, "mindspore", raising=False)
    monkeypatch.setenv("MS_COMPILER_CACHE_PATH", "unset")
    first = environment.enable_graph_cache({"image_size": 64}, ["zoo_resnet.mindspore_models"])
    again = environment.enable_graph_cache({"image_size": 64}, ["zoo_resnet.mindspore_models"])
    other = environment.enable_graph_cache({"image_size": 32}, ["zoo_resnet.mindspore_models"])
    assert first == again != other
    assert first is not None and first.parent == tmp_path / "mindspore-graphs"
    assert Path(os.environ["MS_COMPILER_CACHE_PATH"]) == other


def test_graph_cache_stays_off_once_mindspore_is_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mindspore", object())
    assert environment.enable_graph_cache({}, []) is None
    monkeypatch.delitem(sys.modules, "mindspore")
    monkeypatch.setenv("MS_COMPILER_CACHE_ENABLE", "0")
    assert environment.enable_graph_cache({}, []) is None


def test_mlp_hidden_layers_start_he_initialised_as_in_torch() -> None:
    from zoo_heads.mindspore_heads import mlp

    head = mlp(512, 19, (512, 256))
    for layer, fan_in in zip(head.hidden, (512, 512), strict=True):
        he = (2 / fan_in) ** 0.5
        assert abs(float(layer.weight.asnumpy().std()) - he) < 0.05 * he
        assert not layer.bias.asnumpy().any()
