"""MindSpore's process-wide set-up: environment variables, device, CPU threads, execution mode.

:func:`prepare` must run before ``mindspore`` is first imported (it sets the variables MindSpore
reads at start-up); importing :mod:`zoo_mindspore.backend` runs it. :func:`configure` picks the
device and threads once per process and the execution mode whenever asked;
:func:`enable_graph_cache` lets a training process reuse the graphs an earlier one compiled.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zoo_core.errors import InvalidValue

DEVICES = {"cpu": "CPU", "gpu": "GPU", "cuda": "GPU", "ascend": "Ascend", "npu": "Ascend"}
MODES = ("graph", "pynative")


def cache_dir() -> Path:
    """Where MindSpore keeps compiled graphs between processes: in zoo's cache folder."""
    root = os.environ.get("ZOO_CACHE_DIR") or Path.home() / ".cache" / "zoo"
    return Path(root).expanduser() / "mindspore-graphs"


def prepare() -> None:
    """Quiet, fast defaults; a variable the user already set is left alone."""
    os.environ.setdefault("GLOG_v", "3")  # errors only: no INFO/WARNING lines from C++
    if platform.machine().lower() in ("x86_64", "amd64"):
        # oneDNN's AVX-512 kernels run MindSpore's convolutions ~30× slower on this CPU family;
        # torch is slower with this cap, so it is set only once MindSpore is about to be used.
        os.environ.setdefault("ONEDNN_MAX_CPU_ISA", "AVX2")


def package_digest(modules: list[str]) -> str:
    """A hash of the Python sources of the packages ``modules`` belong to."""
    digest = hashlib.sha256()
    for name in sorted({module.split(".", 1)[0] for module in modules}):
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            continue
        origin = Path(spec.origin)
        files = sorted(origin.parent.rglob("*.py")) if spec.submodule_search_locations else [origin]
        for path in files:
            digest.update(path.read_bytes())
    return digest.hexdigest()


def enable_graph_cache(graph: dict[str, Any], modules: list[str]) -> Path | None:
    """Let MindSpore reuse compiled graphs from an earlier process with the same graphs.

    MindSpore reads the cache settings once per process and stores graphs by the order they
    are compiled in, checking only the entry script's sources; so each configuration (``graph``:
    everything that shapes the graphs) and version of the model code (``modules``) gets a folder
    of its own, and the cache stays off once MindSpore is imported. ``MS_COMPILER_CACHE_ENABLE=0``
    turns it off.
    """
    if "mindspore" in sys.modules or os.environ.get("MS_COMPILER_CACHE_ENABLE") == "0":
        return None
    from importlib.metadata import version

    key = json.dumps(
        {"graph": graph, "code": package_digest(modules), "mindspore": version("mindspore")},
        sort_keys=True,
        default=str,
    )
    folder = cache_dir() / hashlib.sha256(key.encode()).hexdigest()[:20]
    os.environ["MS_COMPILER_CACHE_ENABLE"] = "1"
    os.environ["MS_COMPILER_CACHE_PATH"] = str(folder)
    return folder


@dataclass(frozen=True)
class Runtime:
    device: str
    threads: int
    mode: str

    def describe(self) -> str:
        threads = f" · {self.threads} threads" if self.device == "CPU" else ""
        return f"{self.device}{threads} · {self.mode.upper()}_MODE"


_runtime: Runtime | None = None


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def choose_device(requested: str) -> str:
    """``auto`` → Ascend, else GPU, else CPU; names as ``zoo train --device`` accepts them."""
    from mindspore import device_context

    accelerators = {"Ascend": device_context.ascend, "GPU": device_context.gpu}
    name = requested.lower()
    if name == "auto":
        return next((t for t, module in accelerators.items() if module.is_available()), "CPU")
    if name not in DEVICES:
        raise InvalidValue(
            f"--device {requested!r}: MindSpore runs on {', '.join(DEVICES)} or auto"
        )
    target = DEVICES[name]
    if target in accelerators and not accelerators[target].is_available():
        raise InvalidValue(f"--device {requested}: this MindSpore installation finds no {target}")
    return target


def configure(
    device: str = "auto", mode: str | None = None, processes: int = 1, threads: int | None = None
) -> Runtime:
    """Set the device and CPU threads (first call only) and the execution mode (when given).

    CPU threads: ``threads``, else this machine's cores shared among ``processes`` (the
    ``msrun`` workers of one machine).
    """
    global _runtime
    prepare()
    import mindspore as ms

    if mode is not None and mode not in MODES:
        raise InvalidValue(f"MindSpore mode {mode!r}: choose one of {', '.join(MODES)}")
    if _runtime is None:
        target = choose_device(device)
        ms.set_device(target)
        threads = threads or max(1, available_cpus() // max(1, processes))
        if target == "CPU":
            ms.device_context.cpu.op_tuning.threads_num(threads)
        current = "graph" if ms.get_context("mode") == ms.GRAPH_MODE else "pynative"
        _runtime = Runtime(target, threads, current)
    elif device != "auto" and choose_device(device) != _runtime.device:
        raise InvalidValue(
            f"MindSpore already runs on {_runtime.device} in this process, not {device}"
        )
    if mode is not None and mode != _runtime.mode:
        ms.set_context(mode=ms.GRAPH_MODE if mode == "graph" else ms.PYNATIVE_MODE)
        _runtime = Runtime(_runtime.device, _runtime.threads, mode)
    return _runtime
