"""What the ranks of a data-parallel MindSpore run share (started by :mod:`zoo_mindspore.launch`).

Each worker joins the cluster (:func:`join`), trains its share of every epoch with gradients
averaged by ``TrainOneStepCell``'s reducer (``DATA_PARALLEL``), and sums its metrics with the
others' (:func:`all_reduce_sum`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class World:
    """This process's place among the data-parallel ranks."""

    rank: int = 0
    size: int = 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def join() -> World:
    """Join msrun's cluster and switch to data parallelism. The scheduler process msrun also
    starts on this script never returns from ``init()``."""
    import mindspore as ms
    from mindspore.communication import get_group_size, get_rank, init

    init()
    ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL, gradients_mean=True)
    return World(get_rank(), get_group_size())


def all_reduce_sum(values: np.ndarray, world: World) -> np.ndarray:
    """The element-wise sum of ``values`` over all ranks (float32 on the wire)."""
    if world.size == 1:
        return values
    import mindspore as ms
    from mindspore import ops

    summed = ops.AllReduce()(ms.Tensor(np.ascontiguousarray(values, np.float32))).asnumpy()
    if not np.issubdtype(values.dtype, np.floating):
        summed = np.rint(summed)
    return summed.astype(values.dtype)
