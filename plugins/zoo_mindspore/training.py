"""The session factory the MindSpore spec names: the process set up, then the session.

MindSpore reads its environment once, when first imported; so the graph cache is switched on
and the device, threads and execution mode are chosen here, before the model is built (which
imports ``mindspore``), and a worker that msrun started joins its cluster.
"""

from __future__ import annotations

from typing import Any

from zoo_core.data import DataSplits
from zoo_core.framework import TrainJob
from zoo_core.specs import ArchitectureSpec
from zoo_core.training import SessionContext
from zoo_mindspore import distributed, environment
from zoo_mindspore.launch import msrun


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


def open_session(context: SessionContext) -> Any:
    """A :class:`zoo_mindspore.session.MindSporeSession` for this process (one msrun rank of a
    data-parallel run, or the only process)."""
    environment.prepare()
    job = context.job
    settings = graph_settings(job, context.splits, context.arch)
    environment.enable_graph_cache(settings, [__name__, *context.model_modules])
    from zoo_mindspore.session import MindSporeSession  # imports mindspore

    workers = job.nproc if job.nproc > 1 and msrun.inside() else 1
    runtime = environment.configure(job.device, job.options.get("ms_mode", "graph"), workers)
    world = distributed.join() if workers > 1 else distributed.World()
    return MindSporeSession(job, context.splits, context.arch, context.build_model, runtime, world)
