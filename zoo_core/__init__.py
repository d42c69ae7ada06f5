"""zoo: a plugin-based model zoo for hand-gesture recognition on HaGRID."""

from zoo_core.hookspecs import hookimpl
from zoo_core.specs import (
    ArchitectureSpec,
    DatasetSpec,
    FrameworkOption,
    FrameworkSpec,
    HeadConfig,
    HeadSpec,
    WeightFormatSpec,
)

__version__ = "0.1.0"

__all__ = [
    "ArchitectureSpec",
    "DatasetSpec",
    "FrameworkOption",
    "FrameworkSpec",
    "HeadConfig",
    "HeadSpec",
    "WeightFormatSpec",
    "__version__",
    "create_model",
    "hookimpl",
]


def create_model(*args, **kwargs):  # noqa: ANN002, ANN003 - re-exported lazily
    """See :func:`zoo_core.checkpoint.create_model`."""
    from zoo_core.checkpoint import create_model as _create_model

    return _create_model(*args, **kwargs)
