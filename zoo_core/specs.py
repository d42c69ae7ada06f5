"""What plugins contribute: one frozen dataclass per kind of thing.

Heavy code is never imported here. Specs name their implementations as lazy references,
``"package.module:attribute"`` strings, resolved with :func:`zoo_core.lazy.resolve` only when a
command needs them, so that ``zoo list`` stays instant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zoo_core.errors import InvalidValue

IMAGENET_MEAN: tuple[float, float, float] = (0.485, 0.456, 0.406)
IMAGENET_STD: tuple[float, float, float] = (0.229, 0.224, 0.225)


@dataclass(frozen=True)
class ArchitectureSpec:
    """A model architecture, with one builder per framework that implements it.

    A builder is called as ``build(make_head, **options)``: ``make_head(in_features)`` returns the
    classifier module of the same framework, which the builder installs under ``classifier``.
    ``parameter_shapes`` names a pure-Python ``shapes(**options) -> {name: shape}`` of the
    trainable parameters without the classifier, so counts need no framework import.
    """

    name: str
    description: str
    builders: dict[str, str]
    options: dict[str, Any] = field(default_factory=dict)
    input_size: tuple[int, int, int] = (3, 224, 224)
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD
    classifier: str = "fc"
    num_features: int = 512
    label_names: tuple[str, ...] = ()
    parameter_shapes: str = ""
    paper: str = ""
    distribution: str = ""

    @property
    def frameworks(self) -> tuple[str, ...]:
        return tuple(self.builders)


@dataclass(frozen=True)
class HeadSpec:
    """A classification-head kind, with one builder per framework.

    A builder is called as ``build(in_features, num_classes, hidden, dropout)``;
    ``parameter_shapes`` names a pure-Python ``shapes(in_features, num_classes, hidden)``.
    """

    name: str
    description: str
    builders: dict[str, str]
    parameter_shapes: str = ""
    distribution: str = ""


@dataclass(frozen=True)
class FrameworkOption:
    """A framework-specific ``zoo train`` option (``--ms-mode``), recorded in the job's
    ``options`` under ``name``; ``choices[0]`` unless ``default`` says otherwise."""

    name: str
    choices: tuple[str, ...]
    help: str = ""
    default: str = ""

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def value(self) -> str:
        """The value used when the option is not given."""
        return self.default or self.choices[0]


@dataclass(frozen=True)
class FrameworkSpec:
    """A deep-learning framework: ``backend`` names an object implementing
    :class:`zoo_core.framework.FrameworkBackend`; ``requires`` are the import names it needs;
    ``runs`` are the exported-file formats its backend loads with ``load_file`` (to verify an
    export, evaluate it, benchmark it).

    A framework that trains names a ``session`` factory (``open(context: SessionContext) ->
    FrameworkSession``, see :mod:`zoo_core.training`) and declares the ``devices``,
    ``precisions`` and extra ``options`` its trainer accepts; ``launcher`` names a
    :class:`zoo_core.framework.Launcher` that starts data-parallel processes. A framework
    without a ``session`` only predicts and exports.
    """

    name: str
    description: str
    backend: str
    requires: tuple[str, ...] = ()
    exporters: tuple[str, ...] = ()
    session: str = ""
    launcher: str = ""
    devices: tuple[str, ...] = ("auto",)
    precisions: tuple[str, ...] = ("auto",)
    options: tuple[FrameworkOption, ...] = ()
    distribution: str = ""
    runs: tuple[str, ...] = ()

    @property
    def trains(self) -> bool:
        return bool(self.session)


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset: ``opener`` names a callable ``open(request: DataRequest) -> DataSplits``;
    ``train_defaults`` overrides the study's training defaults (epochs, image_size, per_class…)
    when the user does not set them, e.g. for small synthetic demo data.

    ``detect`` names ``detect(root: Path) -> Recognition``, which ``zoo train --data PATH`` asks
    to find the dataset of a folder; ``verify`` names ``verify(root, options, check_images,
    workers, progress) -> VerifyReport`` for ``zoo data verify``. ``modes`` are the sample modes
    the dataset serves, the first being the default; ``default`` marks the dataset ``zoo train``
    uses without ``--data``.
    """

    name: str
    description: str
    opener: str
    classes: tuple[str, ...] = ()
    synthetic: bool = False
    train_defaults: dict[str, Any] = field(default_factory=dict)
    detect: str = ""
    verify: str = ""
    modes: tuple[str, ...] = ("full_frame",)
    default: bool = False
    distribution: str = ""


@dataclass(frozen=True)
class WeightFormatSpec:
    """A weight format zoo can read: a checkpoint some other code wrote.

    ``detect`` names ``detect(path: Path) -> bool``: whether the local file or folder ``path`` is
    in this format (cheap; it may raise :class:`zoo_core.rundir.WeightsError` for a file it
    recognises but refuses). ``read`` names ``read(path: Path) -> zoo_core.sources.ReadWeights``:
    the tensors as numpy arrays under canonical (torch ``state_dict``) names, with the metadata
    the checkpoint carries (label names, input size, mean/std, classes, origin) and what was
    dropped. ``framework`` is the one that wrote it; ``suffixes`` only document the file names.
    """

    name: str
    description: str
    detect: str
    read: str
    framework: str = "torch"
    suffixes: tuple[str, ...] = ()
    reference: str = ""
    distribution: str = ""


@dataclass(frozen=True)
class HeadConfig:
    """Which head to put on an architecture: ``kind`` names a :class:`HeadSpec`."""

    hidden: tuple[int, ...] = ()
    dropout: float = 0.0
    kind: str = "mlp"

    @classmethod
    def parse(cls, text: str | None, dropout: float = 0.0) -> HeadConfig:
        """Parse ``--head``: ``"512,256"``, ``"mlp:512,256"``; ``""``/``"linear"``: no hidden."""
        text = (text or "").strip()
        kind = "mlp"
        if ":" in text:
            kind, text = (part.strip() for part in text.split(":", 1))
        if text.lower() in ("", "none", "linear", "[]"):
            return cls((), dropout, kind)
        try:
            hidden = tuple(int(part) for part in text.strip("[]").split(",") if part.strip())
        except ValueError:
            raise InvalidValue(
                f"head {text!r}: expected comma-separated hidden widths like '512,256'"
            ) from None
        if any(width <= 0 for width in hidden):
            raise InvalidValue(f"head {text!r}: hidden widths must be positive")
        return cls(hidden, dropout, kind)

    def __str__(self) -> str:
        return ",".join(str(width) for width in self.hidden) or "linear"
