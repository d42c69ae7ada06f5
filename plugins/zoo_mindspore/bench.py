"""``zoo bench`` variant of a MindSpore model: the Cell in GRAPH_MODE, fp32."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from zoo_core.bench import BenchVariant
from zoo_mindspore import environment


def variants(model: Any, threads: int) -> list[BenchVariant]:
    environment.configure(mode="graph", threads=threads)
    import mindspore as ms

    model.set_train(False)

    def prepare(inputs: np.ndarray) -> Callable[[], object]:
        batch = ms.Tensor(inputs)
        return lambda: model(batch).asnumpy()

    return [BenchVariant("mindspore graph fp32", prepare, note="GRAPH_MODE")]


def load_mindir(path: Any) -> Any:
    """An exported MindIR as a callable ``nn.GraphCell``."""
    environment.configure()
    import mindspore as ms

    return ms.nn.GraphCell(ms.load(str(path)))
