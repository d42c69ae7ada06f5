"""The MindSpore :class:`zoo_core.training.FrameworkSession`: GRAPH_MODE training with
``nn.WithLossCell`` + ``nn.TrainOneStepCell`` and the job's optimizer, fed by ``GeneratorDataset``.

Imported only once :mod:`zoo_mindspore.environment` has prepared the process.
"""

from __future__ import annotations

import hashlib
import sys
import time
import zlib
from collections.abc import Callable
from typing import Any

import mindspore as ms
import numpy as np

from zoo_core import epochs, finetune
from zoo_core.data import DataError, DataSplits, SampleSource
from zoo_core.errors import InvalidValue
from zoo_core.framework import TrainJob
from zoo_core.rundir import WeightsError
from zoo_core.specs import ArchitectureSpec
from zoo_core.training import EpochResult, Prediction, Progress, TrainingError
from zoo_mindspore import optim, pipeline, weights
from zoo_mindspore.distributed import World, all_reduce_sum
from zoo_mindspore.environment import Runtime
from zoo_mindspore.network import running_statistics, train_step

OPTIMIZER = "optimizer/"
NOT_RESUMED = ("learning_rate",)  # set before every step from the job's schedule
STEPS = "schedule/steps"
PRECISIONS = ("auto", "fp32")


def epoch_seed(seed: int, epoch: int) -> int:
    return zlib.crc32(f"{seed}/{epoch}".encode())


def dataset_threads(workers: int) -> int:
    """``GeneratorDataset`` threads for ``--workers``: auto (-1) is 2, so that reading the next
    batch overlaps the training step; 0 is one thread."""
    return 2 if workers < 0 else max(1, workers)


class MindSporeSession:
    """One process's model, optimizer and data for :func:`zoo_core.training.run_training`."""

    def __init__(
        self,
        job: TrainJob,
        splits: DataSplits,
        arch: ArchitectureSpec,
        build_model: Callable[[], Any],
        runtime: Runtime,
        world: World,
    ) -> None:
        if job.precision not in PRECISIONS:
            raise InvalidValue(
                f"--precision {job.precision}: the MindSpore trainer runs in fp32 "
                f"(choose {' or '.join(PRECISIONS)})"
            )
        self.job, self.splits, self.runtime, self.world = job, splits, runtime, world
        self.is_main = world.is_main
        ms.set_seed(job.seed)
        self.model = build_model()
        finetune.freeze_backbone(job, arch, ((p.name, p) for p in self.model.get_parameters()))
        optimizer = optim.build(job.optimizer_settings, self.model.trainable_params())
        step = train_step(self.model, arch.mean, arch.std, optimizer=optimizer)
        self.rates, self.steps_per_epoch = epochs.schedule(job, len(splits.train), world.size)
        self.steps = 0
        self.network, self.optimizer, self.train_step = step.network, step.optimizer, step.step
        self.workers = dataset_threads(job.workers)

    # -- what run_training asks ------------------------------------------------------------

    def describe(self) -> str:
        processes = f" · {self.world.size} processes (msrun)" if self.world.size > 1 else ""
        return f"{self.runtime.describe()} · fp32{processes}"

    def versions(self) -> dict[str, str]:
        return {"mindspore": ms.__version__}

    def close(self) -> None:
        """msrun ends the cluster when the workers exit."""

    def parameter_count(self) -> int:
        return sum(int(np.prod(p.shape)) for p in self.model.trainable_params())

    def train_epoch(self, epoch: int, progress: Progress) -> EpochResult:
        ms.set_seed(epoch_seed(self.job.seed, epoch))
        split = self.splits.train
        order = epochs.epoch_order(
            len(split), self.job.seed, epoch, self.world.rank, self.world.size
        )
        if len(order) == 0:
            raise DataError(f"the training split has {len(split)} sample(s), too few to train on")
        samples = pipeline.EpochSamples(split, order, self.job.image_size, self.job.strict)
        size = epochs.batch_size(len(order), self.job.batch_size)
        batches = pipeline.dataset(samples, size, self.workers)
        self.train_step.set_train(True)
        loss_sum, images, start, rates = 0.0, 0, time.perf_counter(), []
        for index, (inputs, labels) in enumerate(batches.create_tuple_iterator(num_epochs=1)):
            samples.raise_failure()
            rate = self.rates[epoch * self.steps_per_epoch + index]
            rates.append(optim.set_rate(self.optimizer, rate))
            self.steps += 1
            loss = float(self.train_step(inputs, labels).asnumpy())
            count = int(inputs.shape[0])
            loss_sum += loss * count
            images += count
            progress(count * self.world.size, loss)
        samples.raise_failure()
        seconds = time.perf_counter() - start
        self.average_running_statistics()
        self.check_in_sync(epoch)
        loss_sum, images = all_reduce_sum(np.array([loss_sum, images], np.float64), self.world)
        bad = self.bad_samples(split, samples.bad)
        return EpochResult(float(loss_sum / max(images, 1)), int(images), seconds, bad, rates)

    def predict(self, split: SampleSource) -> Prediction:
        classes = self.splits.num_classes
        confusion = np.zeros((classes, classes), np.int64)
        bad: dict[int, str] = {}
        size = self.job.batch_size
        self.network.set_train(False)
        indices = range(self.world.rank, len(split), self.world.size)
        for images, labels in batched(split, indices, size, bad):
            padded = np.zeros((size, *images.shape[1:]), np.uint8)
            padded[: len(images)] = images  # one graph shape for every batch
            logits = self.network(ms.Tensor(padded)).asnumpy()[: len(images)]
            np.add.at(confusion, (labels, logits.argmax(axis=1)), 1)
        confusion = all_reduce_sum(confusion, self.world)
        y_true, y_pred = np.nonzero(confusion)
        counts = confusion[y_true, y_pred]
        return Prediction(
            np.repeat(y_true, counts), np.repeat(y_pred, counts), self.bad_samples(split, bad)
        )

    def weights(self) -> dict[str, np.ndarray]:
        return weights.state_dict(self.model, batches_tracked=self.steps)

    def training_state(self) -> dict[str, np.ndarray]:
        state = {
            OPTIMIZER + p.name: p.asnumpy().reshape(tuple(p.shape)) for p in self.optimizer_state()
        }
        return {**state, STEPS: np.array(self.steps, np.int64)}

    def restore(self, weights_: dict[str, np.ndarray], state: dict[str, np.ndarray]) -> None:
        weights.load_state_dict(self.model, weights_)
        params = {OPTIMIZER + p.name: p for p in self.optimizer_state()}
        missing = sorted(set(params) - set(state) | {STEPS} - set(state))
        misshapen = [
            name
            for name, p in params.items()
            if name in state and state[name].size != int(np.prod(p.shape))
        ]
        if missing or misshapen:
            raise WeightsError(
                f"{self.job.out}: the saved optimizer state does not fit this model — "
                f"missing {weights.listed(missing)}; shape mismatch {weights.listed(misshapen)}"
            )
        for name, p in params.items():
            value = state[name].reshape(tuple(p.shape)).astype(ms.dtype_to_nptype(p.dtype))
            p.set_data(ms.Tensor(value))
        self.steps = int(state[STEPS].reshape(-1)[0])

    # -- helpers -------------------------------------------------------------------------------

    def optimizer_state(self) -> list[Any]:
        """The optimizer's moments, momentum and step counter (not the model's own parameters)."""
        own = {id(p) for p in self.model.get_parameters()}
        return [
            p
            for p in self.optimizer.get_parameters()
            if id(p) not in own and not p.name.startswith(NOT_RESUMED)
        ]

    def average_running_statistics(self) -> None:
        """BatchNorm statistics are per rank; average them so every rank ends the epoch equal."""
        if self.world.size == 1:
            return
        stats = running_statistics(self.model)
        flat = np.concatenate([p.asnumpy().ravel() for p in stats])
        mean = all_reduce_sum(flat, self.world) / self.world.size
        offset = 0
        for p in stats:
            size = int(np.prod(p.shape))
            p.set_data(ms.Tensor(mean[offset : offset + size].reshape(p.shape)))
            offset += size

    def check_in_sync(self, epoch: int) -> None:
        """Every rank must hold the same weights after an epoch; say so in each rank's log."""
        if self.world.size == 1:
            return
        digest = hashlib.sha256()
        for name, value in sorted(weights.state_dict(self.model).items()):
            digest.update(name.encode() + value.tobytes())
        # Two 20-bit pieces of the digest: a float32 sum over up to 16 ranks stays exact.
        mine = np.frombuffer(digest.digest()[:8], np.uint32).astype(np.float64) % 2**20
        total = all_reduce_sum(mine, self.world)
        print(
            f"rank {self.world.rank}/{self.world.size} epoch {epoch + 1}: "
            f"weights sha256 {digest.hexdigest()[:16]}",
            file=sys.stderr,
            flush=True,
        )
        if not np.array_equal(total, mine * self.world.size):
            raise TrainingError(f"rank {self.world.rank}: weights differ between ranks")

    def bad_samples(self, split: SampleSource, seen: dict[int, str]) -> list[str]:
        """Every rank's bad samples, by split index; messages read again where another rank saw
        them (bad samples are rare)."""
        if self.world.size == 1:
            return [seen[index] for index in sorted(seen)]
        mask = np.zeros(len(split), np.float32)
        mask[list(seen)] = 1
        indices = np.flatnonzero(all_reduce_sum(mask, self.world))
        return [seen.get(int(index)) or message_of(split, int(index)) for index in indices]


def batched(split: SampleSource, indices: range, size: int, bad: dict[int, str]):
    """``(uint8 images, labels)`` batches of ``split`` at ``indices``; bad samples go to ``bad``."""
    from zoo_core.data import BadSample

    images: list[np.ndarray] = []
    labels: list[int] = []
    for index in indices:
        try:
            image, label = split[index]
        except BadSample as error:
            bad[index] = str(error)
            continue
        images.append(image)
        labels.append(int(label))
        if len(images) == size:
            yield np.stack(images), np.asarray(labels)
            images, labels = [], []
    if images:
        yield np.stack(images), np.asarray(labels)


def message_of(split: SampleSource, index: int) -> str:
    from zoo_core.data import BadSample

    try:
        split[index]
    except BadSample as error:
        return str(error)
    return f"sample {index}: unreadable on another rank"
