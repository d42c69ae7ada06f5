"""The torch :class:`zoo_core.training.FrameworkSession`: model, optimizer, batching and steps."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from zoo_core import epochs, finetune
from zoo_core.data import BadSample, DataSplits, SampleSource
from zoo_core.framework import TrainJob
from zoo_core.specs import ArchitectureSpec
from zoo_core.training import EpochResult, Prediction, Progress, SessionContext
from zoo_torch import batches, distributed, optim, weights
from zoo_torch.inputs import normalizer, to_input
from zoo_torch.runtime import Runtime, choose_runtime, no_grad_eval

OPTIMIZER = "optimizer/"
SCALER = "scaler/"
MIN_TRAIN_BATCH = 2  # BatchNorm in training mode needs two values per channel


def open_session(context: SessionContext) -> TorchSession:
    """The session factory the torch spec names: this process's runtime (device, precision,
    threads), the process group under torchrun, then the session."""
    job = context.job
    runtime = choose_runtime(job.device, job.precision, job.workers)
    if runtime.distributed:
        distributed.start(runtime.device)
    return TorchSession(job, context.splits, context.arch, context.build_model, runtime)


class TorchSession:
    """Trains ``job`` on ``splits`` with its optimizer and cross-entropy (data-parallel under
    torchrun)."""

    def __init__(
        self,
        job: TrainJob,
        splits: DataSplits,
        arch: ArchitectureSpec,
        build_model: Callable[[], torch.nn.Module],
        runtime: Runtime,
    ) -> None:
        self.job = job
        self.splits = splits
        self.runtime = runtime
        self.is_main = runtime.is_main
        torch.manual_seed(job.seed)  # the same initial weights on every rank and every run
        model = build_model()
        finetune.freeze_backbone(job, arch, model.named_parameters())
        self.model = model.to(runtime.device, memory_format=torch.channels_last)
        self.step_model: torch.nn.Module = self.model
        if runtime.distributed:
            from torch.nn.parallel import DistributedDataParallel

            ids = [runtime.device.index] if runtime.device.type == "cuda" else None
            self.step_model = DistributedDataParallel(self.model, device_ids=ids)
        self.optimizer = optim.build(job.optimizer_settings, self.model.named_parameters())
        self.rates, self.steps_per_epoch = epochs.schedule(
            job, len(splits.train), runtime.world_size
        )
        self.loss = torch.nn.CrossEntropyLoss()
        self.scaler = torch.amp.GradScaler(runtime.device.type, enabled=runtime.precision == "fp16")
        self.norm = normalizer(arch.mean, arch.std, runtime.device)
        self.pin_memory = runtime.device.type == "cuda"

    def describe(self) -> str:
        return self.runtime.describe()

    def close(self) -> None:
        if self.runtime.distributed:
            distributed.stop()

    def versions(self) -> dict[str, str]:
        import timm

        return {"torch": torch.__version__, "timm": timm.__version__}

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.model.parameters() if p.requires_grad)

    def skipped(self, bad: list[tuple[str, str]]) -> list[str]:
        if bad and self.job.strict:
            raise BadSample(*bad[0])
        return [f"{path}: {reason}" for path, reason in bad]

    def train_epoch(self, epoch: int, progress: Progress) -> EpochResult:
        runtime = self.runtime
        torch.manual_seed(batches.epoch_seed(self.job.seed, epoch))
        plan = epochs.epoch_batches(
            len(self.splits.train),
            self.job.seed,
            epoch,
            self.job.batch_size,
            runtime.rank,
            runtime.world_size,
        )
        self.model.train()
        loss_sum, images, bad, rates = 0.0, 0, [], []
        started = time.perf_counter()
        loader = batches.loader(self.splits.train, plan, runtime.workers, self.pin_memory)
        for index, batch in enumerate(loader):
            bad.extend(self.skipped(batch.bad))
            count = len(batch.labels)
            if self.steps_together(count) < MIN_TRAIN_BATCH:
                continue
            rate = self.rates[epoch * self.steps_per_epoch + index]
            rates.append(optim.set_rate(self.optimizer, rate))
            loss = self.step(batch)
            loss_sum += loss * count
            images += count
            progress(count * runtime.world_size, loss)
        loss_sum, images = distributed.sum_all([loss_sum, float(images)], runtime.device)
        seconds = time.perf_counter() - started
        if runtime.distributed:
            distributed.check_replicas(self.model)
        all_bad = [item for rank_bad in distributed.gather_objects(bad) for item in rank_bad]
        return EpochResult(loss_sum / max(images, 1), int(images), seconds, all_bad, rates)

    def steps_together(self, count: int) -> int:
        """The smallest batch over all ranks: they step together or not at all."""
        return distributed.min_all(count, self.runtime.device)

    def step(self, batch: batches.Batch) -> float:
        device = self.runtime.device
        inputs = to_input(batch.images, self.norm, device)
        labels = batch.labels.to(device, non_blocking=True)
        self.optimizer.zero_grad(set_to_none=True)
        with self.runtime.autocast():
            loss = self.loss(self.step_model(inputs), labels)
        self.scaler.scale(loss).backward()
        self.scaler.step(self.optimizer)
        self.scaler.update()
        return float(loss.detach())

    def predict(self, split: SampleSource) -> Prediction:
        runtime = self.runtime
        mine = np.arange(len(split))[runtime.rank :: runtime.world_size]
        plan = batches.in_batches(mine, max(self.job.batch_size, 64))
        found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        bad: list[str] = []
        with no_grad_eval(self.model):
            for batch in batches.loader(split, plan, runtime.workers, self.pin_memory):
                bad.extend(self.skipped(batch.bad))
                if len(batch.labels) == 0:
                    continue
                # fp32, not autocast: the scores are those of the fp32 weights that are saved,
                # which `zoo eval` (or any other framework) reproduces
                logits = self.model(to_input(batch.images, self.norm, runtime.device))
                predicted = logits.argmax(dim=1).cpu().numpy()
                found.append((batch.indices.numpy(), batch.labels.numpy(), predicted))
        merged = [part for rank_parts in distributed.gather_objects(found) for part in rank_parts]
        all_bad = [item for rank_bad in distributed.gather_objects(bad) for item in rank_bad]
        if not merged:
            empty = np.empty(0, dtype=np.int64)
            return Prediction(empty, empty, all_bad)
        indices, y_true, y_pred = (np.concatenate(column) for column in zip(*merged, strict=True))
        order = np.argsort(indices, kind="stable")
        return Prediction(y_true[order], y_pred[order], all_bad)

    def weights(self) -> dict[str, np.ndarray]:
        return weights.to_numpy(self.model)

    def training_state(self) -> dict[str, np.ndarray]:
        """The optimizer state per parameter name (and the fp16 loss scale)."""
        state: dict[str, np.ndarray] = {}
        for name, parameter in self.model.named_parameters():
            for key, value in self.optimizer.state.get(parameter, {}).items():
                array = value.detach().cpu().numpy() if torch.is_tensor(value) else value
                state[f"{OPTIMIZER}{name}/{key}"] = np.array(array, copy=True)
        if self.scaler.is_enabled():
            for key, value in self.scaler.state_dict().items():
                if isinstance(value, (int, float)):
                    state[f"{SCALER}{key}"] = np.array(value)
        return state

    def restore(self, weights_: dict[str, np.ndarray], state: dict[str, np.ndarray]) -> None:
        weights.load_numpy(self.model, weights_)
        # the optimizer's parameters, in its order (a frozen backbone is not among them)
        names = [name for name, p in self.model.named_parameters() if p.requires_grad]
        per_parameter: dict[int, dict[str, Any]] = {}
        for key, array in state.items():
            if not key.startswith(OPTIMIZER):
                continue
            name, _, field = key[len(OPTIMIZER) :].rpartition("/")
            if name not in names:
                raise weights.WeightsError(f"training state: {key} names no parameter")
            value = torch.from_numpy(np.array(array))
            if field == "step":  # a scalar, which safetensors may hand back as shape (1,)
                value = value.reshape(())
            per_parameter.setdefault(names.index(name), {})[field] = value
        saved = self.optimizer.state_dict()
        self.optimizer.load_state_dict(
            {"state": per_parameter, "param_groups": saved["param_groups"]}
        )
        scale = {k[len(SCALER) :]: v.item() for k, v in state.items() if k.startswith(SCALER)}
        if scale and self.scaler.is_enabled():
            self.scaler.load_state_dict(scale)
