"""The core's training flow without training: jobs from what was given, the checks against the
framework's spec (devices, precisions, declared options, inference-only frameworks), the worker's
job file, and the same rules on the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from zoo_core import FrameworkSpec, hookimpl
from zoo_core.framework import TrainJob
from zoo_core.plugins import PluginHost
from zoo_core.registry import Registry, UnknownNameError, get_registry
from zoo_core.train_flow import checked, default_out, new_job, train
from zoo_core.worker import read_job, write_job

ZOO = Path(sys.executable).parent / "zoo"


class ViewerPlugin:
    """A framework that only predicts and exports, as an onnxruntime plugin would."""

    @hookimpl
    def zoo_frameworks(self) -> list[FrameworkSpec]:
        return [FrameworkSpec(name="viewer", description="predicts only", backend="x:y")]


def registry_with_viewer() -> Registry:
    host = PluginHost()
    host.load_entry_points()
    host.register(ViewerPlugin(), name="viewer")
    return Registry(host)


def test_a_dataset_fills_only_the_settings_not_given() -> None:
    registry = get_registry()
    demo = registry.datasets["hagrid-synth"].train_defaults
    assert demo, "hagrid-synth has demo defaults"
    job = new_job("resnet18", "torch", registry, epochs=3, image_size=None, seed=None)
    assert job.epochs == 3
    assert job.image_size == demo.get("image_size", TrainJob.image_size)
    assert job.seed == TrainJob.seed and job.out is None


def test_the_study_defaults_stay_on_a_dataset_without_demo_defaults() -> None:
    job = new_job("resnet18", "torch", get_registry(), dataset="hagrid", epochs=None)
    assert (job.epochs, job.image_size, job.batch_size, job.lr) == (20, 224, 32, 1e-3)


def test_the_default_run_directory_is_numbered(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert default_out("resnet18", "torch", resume=False) == Path("runs/resnet18-torch")
    Path("runs/resnet18-torch").mkdir(parents=True)
    assert default_out("resnet18", "torch", resume=False) == Path("runs/resnet18-torch-2")
    assert default_out("resnet18", "torch", resume=True) == Path("runs/resnet18-torch")


def test_the_framework_fills_its_declared_options() -> None:
    registry = get_registry()
    job = checked(TrainJob("resnet18", "mindspore", out=Path("x")), registry)
    assert job.options == {"ms_mode": "graph"}
    assert checked(TrainJob("resnet18", "torch", out=Path("x")), registry).options == {}


@pytest.mark.parametrize(
    ("job", "message"),
    [
        (TrainJob("resnet18", "torch", device="npu"), "--device npu: framework 'torch' accepts"),
        (TrainJob("resnet18", "mindspore", precision="bf16"), "--precision bf16: framework"),
        (
            TrainJob("resnet18", "torch", options={"ms_mode": "graph"}),
            "--ms-mode is an option of framework 'mindspore', not 'torch'",
        ),
        (
            TrainJob("resnet18", "mindspore", options={"ms_mode": "eager"}),
            "--ms-mode eager: framework 'mindspore' accepts graph, pynative",
        ),
        (TrainJob("resnet18", "torch", nproc=0), "--nproc 0"),
    ],
)
def test_choices_come_from_the_framework_spec(job: TrainJob, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        checked(job, get_registry())


def test_mindspore_accepts_the_devices_it_declares() -> None:
    job = checked(TrainJob("resnet18", "mindspore", device="npu", out=Path("x")), get_registry())
    assert job.device == "npu"


def test_an_inference_only_framework_cannot_train(tmp_path: Path) -> None:
    registry = registry_with_viewer()
    with pytest.raises(
        UnknownNameError, match="'viewer' runs exported models only; it cannot train"
    ):
        train(TrainJob("resnet18", "viewer", out=tmp_path / "run"), registry)
    assert not (tmp_path / "run").exists()


def test_a_job_file_round_trips(tmp_path: Path) -> None:
    job = TrainJob("resnet18", "mindspore", epochs=2, out=tmp_path / "run", options={"a": "b"})
    write_job(job, tmp_path / "job.json")
    assert read_job(tmp_path / "job.json") == job
    (tmp_path / "bad.json").write_text('{"architecture": "resnet18"}')
    with pytest.raises(ValueError, match="bad.json: not a zoo training job"):
        read_job(tmp_path / "bad.json")


def zoo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ZOO), *args], capture_output=True, text=True, timeout=120, cwd=cwd, check=False
    )


def test_zoo_train_refuses_another_frameworks_option_before_anything(tmp_path: Path) -> None:
    result = zoo("train", "resnet18", "--framework", "torch", "--ms-mode", "graph", cwd=tmp_path)
    assert result.returncode == 1
    assert "zoo: error: --ms-mode is an option of framework 'mindspore'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "runs").exists()


def test_the_worker_names_a_bad_job_file(tmp_path: Path) -> None:
    (tmp_path / "job.json").write_text("{")
    result = subprocess.run(
        [sys.executable, "-m", "zoo_core.worker", str(tmp_path / "job.json")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"zoo: error: {tmp_path / 'job.json'}: not a zoo training job")
