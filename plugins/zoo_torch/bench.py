"""``zoo bench`` variants of a torch model: eager fp32 (the reference) and channels_last."""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np
import torch

from zoo_core.bench import BenchVariant


def runner(model: torch.nn.Module, channels_last: bool) -> Callable:
    model = copy.deepcopy(model).eval()
    layout = torch.channels_last if channels_last else torch.contiguous_format
    model = model.to(memory_format=layout)

    def prepare(inputs: np.ndarray) -> Callable[[], object]:
        batch = torch.from_numpy(inputs).contiguous(memory_format=layout)

        def call() -> object:
            with torch.inference_mode():
                return model(batch)

        return call

    return prepare


def variants(model: torch.nn.Module, threads: int) -> list[BenchVariant]:
    torch.set_num_threads(threads)
    return [
        BenchVariant("torch eager fp32", runner(model, False), reference=True, note="NCHW"),
        BenchVariant("torch channels_last fp32", runner(model, True)),
    ]
