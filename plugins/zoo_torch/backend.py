"""The torch :class:`zoo_core.framework.FrameworkBackend`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from zoo_core.errors import InvalidValue
from zoo_torch import weights
from zoo_torch.inputs import normalizer, to_input
from zoo_torch.runtime import no_grad_eval

PREDICT_BATCH = 64


class TorchBackend:
    name = "torch"

    def parameter_count(self, model: torch.nn.Module) -> int:
        return sum(p.numel() for p in model.parameters() if p.requires_grad)

    def state_dict(self, model: torch.nn.Module) -> dict[str, np.ndarray]:
        return weights.to_numpy(model)

    def load_state_dict(self, model: torch.nn.Module, state: dict[str, np.ndarray]) -> None:
        weights.load_numpy(model, state)

    def predict(
        self, model: torch.nn.Module, images: np.ndarray, mean: tuple, std: tuple
    ) -> np.ndarray:
        """fp32 logits, in batches of 64, on the device the model is on."""
        device = next(model.parameters()).device
        norm = normalizer(mean, std, device)
        outputs = []
        with no_grad_eval(model):
            for start in range(0, len(images), PREDICT_BATCH):
                chunk = images[start : start + PREDICT_BATCH]
                outputs.append(model(to_input(chunk, norm, device)).float().cpu().numpy())
        if not outputs:
            return np.empty((0, 0), dtype=np.float32)
        return np.concatenate(outputs)

    def train_step(
        self, model: torch.nn.Module, inputs: np.ndarray, labels: np.ndarray, lr: float
    ) -> tuple[float, float]:
        """One Adam step on ``inputs``: the cross-entropy before and after it."""
        from torch.nn.functional import cross_entropy

        device = next(model.parameters()).device
        x = torch.from_numpy(inputs).to(device)
        y = torch.from_numpy(labels).to(device)
        model.train()
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        loss = cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            after = cross_entropy(model(x), y)
        return loss.item(), after.item()

    def export(self, model: torch.nn.Module, fmt: str, path: Path, image_size: int) -> Path:
        from zoo_torch.export import export

        return export(model, fmt, path, image_size)

    def load_file(self, fmt: str, path: Path) -> torch.nn.Module:
        """A TorchScript export, loaded back on the CPU."""
        if fmt != "torchscript":
            raise InvalidValue(f"torch runs TorchScript files, not {fmt!r}")
        return torch.jit.load(str(path), map_location="cpu")

    def bench_variants(self, loaded: object, image_size: int, threads: int) -> list:
        from zoo_torch.bench import variants

        return variants(loaded.model, threads)


backend = TorchBackend()
