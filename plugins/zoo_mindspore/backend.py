"""The MindSpore :class:`zoo_core.framework.FrameworkBackend`.

Importing this module prepares MindSpore's environment (quiet logs, oneDNN ISA cap, graph
cache) before anything imports ``mindspore``; the registry imports it before building a model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from zoo_core.errors import InvalidValue
from zoo_mindspore import environment

environment.prepare()

PREDICT_BATCH = 64


def normalized(images: np.ndarray, mean: tuple, std: tuple) -> np.ndarray:
    """``uint8 (N, H, W, 3)`` → ``float32 (N, 3, H, W)``, scaled by ImageNet-style mean/std."""
    if images.dtype != np.uint8 or images.ndim != 4 or images.shape[-1] != 3:
        raise InvalidValue(
            f"predict takes uint8 images of shape (N, H, W, 3), got {images.dtype} {images.shape}"
        )
    scaled = images.astype(np.float32) / 255.0
    scaled = (scaled - np.asarray(mean, np.float32)) / np.asarray(std, np.float32)
    return np.ascontiguousarray(scaled.transpose(0, 3, 1, 2))


class MindSporeBackend:
    name = "mindspore"

    def parameter_count(self, model: Any) -> int:
        return sum(int(np.prod(p.shape)) for p in model.trainable_params())

    def state_dict(self, model: Any) -> dict[str, np.ndarray]:
        from zoo_mindspore import weights

        return weights.state_dict(model)

    def load_state_dict(self, model: Any, state: dict[str, np.ndarray]) -> None:
        from zoo_mindspore import weights

        weights.load_state_dict(model, state)

    def predict(self, model: Any, images: np.ndarray, mean: tuple, std: tuple) -> np.ndarray:
        environment.configure()
        import mindspore as ms

        inputs = normalized(np.asarray(images), mean, std)
        model.set_train(False)
        chunks = [
            model(ms.Tensor(inputs[start : start + PREDICT_BATCH])).asnumpy()
            for start in range(0, len(inputs), PREDICT_BATCH)
        ]
        return np.concatenate(chunks) if chunks else np.zeros((0, 0), np.float32)

    def train_step(
        self, model: Any, inputs: np.ndarray, labels: np.ndarray, lr: float
    ) -> tuple[float, float]:
        """One Adam step (``TrainOneStepCell``) on ``inputs``: the loss before and after it."""
        environment.configure()
        import mindspore as ms
        from mindspore import nn

        with_loss = nn.WithLossCell(model, nn.CrossEntropyLoss())
        step = nn.TrainOneStepCell(with_loss, nn.Adam(model.trainable_params(), learning_rate=lr))
        step.set_train(True)
        x = ms.Tensor(inputs)
        y = ms.Tensor(labels.astype(np.int32))
        before = step(x, y)  # TrainOneStepCell returns the loss computed before its update
        after = with_loss(x, y)
        return float(before.asnumpy()), float(after.asnumpy())

    def export(self, model: Any, fmt: str, path: Path, image_size: int) -> Path:
        from zoo_mindspore import export

        environment.configure()
        return export.export(model, fmt, Path(path), image_size)

    def load_file(self, fmt: str, path: Path) -> Any:
        from zoo_mindspore.bench import load_mindir

        if fmt != "mindir":
            raise InvalidValue(f"MindSpore runs MindIR files, not {fmt!r}")
        return load_mindir(path)

    def bench_variants(self, loaded: Any, image_size: int, threads: int) -> list:
        from zoo_mindspore.bench import variants

        return variants(loaded.model, threads)


backend = MindSporeBackend()
