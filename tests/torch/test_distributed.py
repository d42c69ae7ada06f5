"""Data-parallel training: ``zoo train --nproc 2`` on the CPU (gloo) against one process doing
the same arithmetic on the same global batch.

DDP keeps BatchNorm statistics per process (SyncBatchNorm is GPU-only), so the one-process
reference computes each rank's half of the global batch through the model separately, averages
the two gradients as DDP's all-reduce does and keeps rank 0's BatchNorm running statistics (DDP
broadcasts them from rank 0). Both use one thread per process and fp32; the stated tolerance is
1e-6 absolute on every weight and Adam moment (in practice they agree to the bit).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from zoo_torch import batches
from zoo_torch.inputs import normalizer, to_input

from zoo_core.framework import TrainJob
from zoo_core.registry import get_registry
from zoo_core.rundir import STATE, RunDir, load_tensors
from zoo_core.training import open_data

WORLD = 2
TOLERANCE = 1e-6


def reference(job: TrainJob) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Weights and Adam moments after ``job`` trained data-parallel, computed in one process."""
    registry = get_registry()
    splits = open_data(registry, job)
    arch = registry.architecture(job.architecture)
    torch.manual_seed(job.seed)
    model = registry.build(job.architecture, "torch", job.head, splits.num_classes)
    model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=job.lr)
    norm = normalizer(arch.mean, arch.std, torch.device("cpu"))
    model.train()
    for epoch in range(job.epochs):
        splits.train.set_epoch(epoch)
        order = batches.permutation(len(splits.train), job.seed, epoch)
        plans = [
            batches.in_batches(batches.shard(order, rank, WORLD), job.batch_size)
            for rank in range(WORLD)
        ]
        for step in zip(*plans, strict=True):
            gradients, rank0_buffers = [], None
            for rank, indices in enumerate(step):
                samples = [splits.train[i] for i in indices]
                images = np.stack([image for image, _ in samples])
                labels = torch.tensor([label for _, label in samples])
                model.zero_grad(set_to_none=True)
                loss = torch.nn.functional.cross_entropy(
                    model(to_input(images, norm, norm[0].device)), labels
                )
                loss.backward()
                gradients.append([p.grad.clone() for p in model.parameters()])
                if rank == 0:
                    rank0_buffers = {n: b.clone() for n, b in model.named_buffers()}
            for parameter, *per_rank in zip(model.parameters(), *gradients, strict=True):
                parameter.grad = sum(g / WORLD for g in per_rank)
            for name, buffer in model.named_buffers():
                buffer.copy_(rank0_buffers[name])
            optimizer.step()
    weights = {n: t.detach().numpy() for n, t in model.state_dict().items()}
    moments = {
        f"optimizer/{name}/{key}": value.numpy()
        for name, parameter in model.named_parameters()
        for key, value in optimizer.state[parameter].items()
    }
    return weights, moments


def test_two_processes_match_one_on_the_same_global_batch(
    synth_release: Path, tmp_path: Path
) -> None:
    from .conftest import run_zoo

    out = tmp_path / "ddp"
    job = TrainJob(
        "resnet18", "torch", dataset="hagrid", data=synth_release, out=out, epochs=1,
        image_size=32, batch_size=4, per_class=2, seed=1, precision="fp32",
    )  # fmt: skip
    run_zoo(
        "train", "resnet18", "--nproc", str(WORLD), "--precision", "fp32", "--epochs", "1",
        "--image-size", "32", "--batch-size", "4", "--per-class", "2", "--seed", "1",
        "--data", str(synth_release), "--out", str(out),
    )  # fmt: skip
    run = RunDir(out)
    config = run.read_config()
    assert config["training"]["nproc"] == WORLD
    (row,) = run.read_metrics()
    splits = open_data(get_registry(), job)
    assert row["samples"] == len(splits.val)  # predictions gathered from both ranks

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as each of the two processes on two cores
    try:
        weights, moments = reference(job)
    finally:
        torch.set_num_threads(threads)
    saved = load_tensors(out / STATE)[0]
    for name, value in {**{f"model/{k}": v for k, v in weights.items()}, **moments}.items():
        np.testing.assert_allclose(
            saved[name].reshape(value.shape), value, rtol=0, atol=TOLERANCE, err_msg=name
        )
    worst = max(
        float(np.max(np.abs(saved[f"model/{k}"].reshape(v.shape) - v), initial=0))
        for k, v in weights.items()
    )
    print(f"largest weight difference, DDP vs one process: {worst:.3g}")
