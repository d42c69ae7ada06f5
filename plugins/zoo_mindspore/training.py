"""``backend.train``: one process through the shared loop, or ``--nproc`` workers under msrun."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from zoo_core.data import DataSplits
from zoo_core.framework import TrainJob
from zoo_core.registry import Registry, get_registry
from zoo_core.specs import ArchitectureSpec
from zoo_core.training import run_training
from zoo_mindspore import distributed, environment


def graph_settings(job: TrainJob, splits: DataSplits, arch: ArchitectureSpec) -> dict:
    """Everything that shapes the compiled training and evaluation graphs."""
    return {
        "architecture": arch.name,
        "options": {**arch.options, **job.architecture_options},
        "head": [job.head.kind, list(job.head.hidden), job.head.dropout],
        "classes": splits.num_classes,
        "image_size": job.image_size,
        "batch_size": job.batch_size,
        "train_samples": len(splits.train),
        "mode": job.options.get("ms_mode", "graph"),
        "device": job.device,
        "nproc": job.nproc,
        "freeze_backbone": job.freeze_backbone,
        "optimizer": [job.optimizer, job.momentum, job.weight_decay],
    }


def train(job: TrainJob, registry: Registry | None = None) -> Path:
    """Train ``job``; a job with ``nproc > 1`` started outside msrun launches msrun."""
    registry = registry or get_registry()
    workers = 1
    if job.nproc > 1:
        if not distributed.under_msrun():
            return distributed.launch(job, registry)
        workers = job.nproc
        # The launcher refused an existing run unless resuming; rank 0 writes config.json before
        # the other ranks look for it, and that is then this very run.
        job = dataclasses.replace(job, resume=True)

    def make_session(job: TrainJob, splits: DataSplits, arch: ArchitectureSpec):
        modules = [arch.builders["mindspore"], registry.heads[job.head.kind].builders["mindspore"]]
        environment.enable_graph_cache(graph_settings(job, splits, arch), [__name__, *modules])
        from zoo_mindspore.session import MindSporeSession  # imports mindspore

        mode = job.options.get("ms_mode", "graph")
        runtime = environment.configure(job.device, mode, workers)
        world = distributed.join() if workers > 1 else distributed.World()
        return MindSporeSession(job, splits, arch, registry, runtime, world)

    return run_training(job, registry, make_session)
