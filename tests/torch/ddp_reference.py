"""The one-process reference of ``test_distributed.py``, in a fresh process of its own: torch
in a pytest process that earlier tests loaded MindSpore into computes a few weights differently
in the last bits. ``python ddp_reference.py JOB.json OUT.npz``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch
from zoo_torch.inputs import normalizer, to_input

from zoo_core import epochs
from zoo_core.framework import TrainJob
from zoo_core.registry import get_registry
from zoo_core.training import open_data

WORLD = 2


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
        plans = [
            epochs.epoch_batches(len(splits.train), job.seed, epoch, job.batch_size, rank, WORLD)
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


if __name__ == "__main__":
    job = TrainJob.from_dict(json.loads(Path(sys.argv[1]).read_text()))
    torch.set_num_threads(1)  # as each of the two processes on two cores
    weights, moments = reference(job)
    np.savez(sys.argv[2], **{f"model/{k}": v for k, v in weights.items()}, **moments)
