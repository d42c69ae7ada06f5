"""What a framework plugin implements, and the framework-neutral description of a training run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from zoo_core.schedules import OptimizerSettings
from zoo_core.specs import HeadConfig


@dataclass
class TrainJob:
    """Everything ``zoo train`` (or a recipe) asks of a framework's trainer.

    The defaults are the study's; :func:`zoo_core.train_flow.new_job` lets a dataset's
    ``train_defaults`` fill what the user did not give. ``out`` ``None`` is
    ``runs/<architecture>-<framework>[-N]``; ``workers`` ``-1`` is automatic; ``options``
    holds the framework's declared options by name (and ``"data"``: the dataset's).
    """

    architecture: str
    framework: str
    head: HeadConfig = field(default_factory=HeadConfig)
    dataset: str = ""  # the default dataset (``DatasetSpec.default``)
    data: Path | None = None
    mode: str = ""  # the dataset's first mode
    epochs: int = 20
    batch_size: int = 32
    lr: float = 1e-3
    optimizer: str = "adam"
    momentum: float = 0.9
    weight_decay: float = 0.0
    schedule: str = "constant"
    warmup_steps: int = 0
    warmup_factor: float = 0.001
    tensorboard: bool = False
    image_size: int = 224
    seed: int = 0
    out: Path | None = None
    resume: bool = False
    device: str = "auto"
    precision: str = "auto"
    workers: int = -1
    per_class: float | None = None
    strict: bool = False
    nproc: int = 1
    architecture_options: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    init: str | None = None
    """A weight source to start from (``--init``): every tensor whose name and shape fit."""
    freeze_backbone: bool = False

    @property
    def optimizer_settings(self) -> OptimizerSettings:
        return OptimizerSettings(
            self.optimizer,
            self.lr,
            self.momentum,
            self.weight_decay,
            self.schedule,
            self.warmup_steps,
            self.warmup_factor,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["head"] = list(self.head.hidden)
        data["head_dropout"] = self.head.dropout
        data["head_kind"] = self.head.kind
        data["data"] = str(self.data) if self.data else None
        data["out"] = str(self.out) if self.out else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainJob:
        """The inverse of :meth:`to_dict`, for worker processes that receive a job as JSON."""
        fields = dict(data)
        head = HeadConfig(
            tuple(fields.pop("head")), float(fields.pop("head_dropout")), fields.pop("head_kind")
        )
        fields["data"] = Path(fields["data"]) if fields.get("data") else None
        fields["out"] = Path(fields["out"]) if fields.get("out") else None
        return cls(head=head, **fields)


class FrameworkBackend(Protocol):
    """A framework plugin's backend. Weights cross it as numpy arrays under canonical names
    (the torch ``state_dict`` names), so every checkpoint is readable by every framework."""

    name: str

    def parameter_count(self, model: Any) -> int:
        """Trainable parameters of ``model``."""

    def state_dict(self, model: Any) -> dict[str, np.ndarray]:
        """Every weight and buffer of ``model`` under its canonical name."""

    def load_state_dict(self, model: Any, state: dict[str, np.ndarray]) -> None:
        """Load canonical weights into ``model``; raise ``WeightsError`` on any mismatch."""

    def predict(self, model: Any, images: np.ndarray, mean: tuple, std: tuple) -> np.ndarray:
        """Logits ``(N, C)`` for ``uint8`` images ``(N, H, W, 3)``, model in eval mode."""

    def export(self, model: Any, fmt: str, path: Path, image_size: int) -> Path:
        """Export ``model`` to ``fmt`` (one of the spec's ``exporters``) at ``path``."""


class TrainableBackend(FrameworkBackend, Protocol):
    """The backend of a framework that trains (its spec names a ``session``)."""

    def train_step(
        self, model: Any, inputs: np.ndarray, labels: np.ndarray, lr: float
    ) -> tuple[float, float]:
        """Cross-entropy on normalised ``float32 (N, 3, H, W)`` ``inputs`` and ``int64``
        ``labels``, one Adam update, the loss again: ``(loss before, loss after)``, training
        mode. The conformance kit's training check."""


class Launcher(Protocol):
    """How a framework starts ``job.nproc`` data-parallel processes (torchrun, msrun). The core
    refuses a run directory in use, opens the data once, writes the job to a JSON file and runs
    ``command(job, run) + ["-m", "zoo_core.worker", JOB.json]``."""

    name: str
    noise: tuple[str, ...]
    """Line prefixes of the launcher's own output to leave out (nothing when empty: the
    processes then write straight to the terminal)."""

    def inside(self) -> bool:
        """Whether this process is one rank of a run this launcher started."""

    def command(self, job: TrainJob, run: Path) -> list[str]:
        """The command up to the Python interpreter the launcher runs in every process."""

    def environment(self, job: TrainJob) -> dict[str, str]:
        """Variables the launched processes need (added to the current environment)."""

    def logs(self, run: Path) -> Path | None:
        """Where the processes' logs end up, for the error message of a failed run."""
