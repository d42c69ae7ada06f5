"""The torch plugin's small parts: runtime choices, sharding, input conversion, job transport."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from zoo_torch.inputs import normalizer, to_input
from zoo_torch.runtime import choose_device, choose_precision, choose_workers

from zoo_core.framework import TrainJob
from zoo_core.specs import IMAGENET_MEAN, IMAGENET_STD, HeadConfig
from zoo_core.testing import NoiseSplit

CPU = torch.device("cpu")


def test_precision_choices() -> None:
    for name in ("fp32", "bf16", "fp16"):
        assert choose_precision(name, CPU) == name
    assert choose_precision("auto", CPU) in ("fp32", "bf16")
    with pytest.raises(ValueError, match="--precision fp64"):
        choose_precision("fp64", CPU)


def test_device_choices() -> None:
    assert choose_device("cpu", 0) == CPU
    with pytest.raises(ValueError, match="--device ascend"):
        choose_device("ascend", 0)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA device"):
            choose_device("cuda", 0)


def test_auto_workers_leave_small_cpus_to_the_compute_threads() -> None:
    assert choose_workers(-1, CPU, 2) == 0
    assert choose_workers(-1, CPU, 16) == 4
    assert choose_workers(3, CPU, 2) == 3
    assert choose_workers(-1, torch.device("cuda", 0), 16) == 8


def test_to_input_normalizes_into_channels_last() -> None:
    images = np.random.default_rng(0).integers(0, 256, (2, 8, 8, 3), dtype=np.uint8)
    result = to_input(images, normalizer(IMAGENET_MEAN, IMAGENET_STD, CPU), CPU)
    mean, std = np.array(IMAGENET_MEAN), np.array(IMAGENET_STD)
    expected = ((images / 255.0 - mean) / std).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(result.numpy(), expected, atol=1e-5)
    assert result.is_contiguous(memory_format=torch.channels_last)
    with pytest.raises(ValueError, match="uint8 images"):
        to_input(images.astype(np.float32), normalizer(IMAGENET_MEAN, IMAGENET_STD, CPU), CPU)


def test_a_job_survives_the_trip_to_torchrun_workers() -> None:
    job = TrainJob(
        "se_resnet18", "torch", HeadConfig((512, 256), 0.1), data=Path("/data/hagrid"),
        out=Path("runs/x"), nproc=2, architecture_options={"se_ratio": 0.125},
    )  # fmt: skip
    assert TrainJob.from_dict(job.to_dict()) == job


@pytest.mark.parametrize("precision", ["bf16", "fp16"])
def test_mixed_precision_trains_and_resumes(precision: str) -> None:
    from zoo_torch.runtime import choose_runtime
    from zoo_torch.session import TorchSession

    from zoo_core.data import DataSplits
    from zoo_core.registry import get_registry
    from zoo_core.training import model_builder

    registry = get_registry()
    job = TrainJob("resnet18", "torch", batch_size=4, precision=precision, workers=0)
    splits = DataSplits(("a", "b", "c"), NoiseSplit(8, 32, 3, 0), NoiseSplit(4, 32, 3, 1))

    def session() -> TorchSession:
        runtime = choose_runtime("cpu", precision, 0)
        build = model_builder(registry, job, splits.num_classes)
        return TorchSession(job, splits, registry.architecture("resnet18"), build, runtime)

    trained = session()
    result = trained.train_epoch(0, lambda images, loss: None)
    assert result.images == 8 and np.isfinite(result.loss)
    assert len(trained.predict(splits.val).y_pred) == 4
    state = trained.training_state()
    assert ("scaler/scale" in state) == (precision == "fp16")
    restored = session()
    restored.restore(trained.weights(), state)
    again = restored.training_state()
    assert again.keys() == state.keys()
    for name, value in state.items():
        np.testing.assert_array_equal(again[name], value, err_msg=name)
