"""MindSpore's process-wide set-up: environment variables, device, CPU threads, execution mode.

:func:`prepare` must run before ``mindspore`` is first imported (it sets the variables MindSpore
reads at start-up); importing :mod:`zoo_mindspore.backend` runs it. :func:`configure` picks the
device and threads once per process and the execution mode whenever asked.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

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
    os.environ.setdefault("MS_COMPILER_CACHE_ENABLE", "1")
    os.environ.setdefault("MS_COMPILER_CACHE_PATH", str(cache_dir()))


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

    name = requested.lower()
    if name == "auto":
        for target, module in (("Ascend", device_context.ascend), ("GPU", device_context.gpu)):
            if module.is_available():
                return target
        return "CPU"
    if name not in DEVICES:
        raise ValueError(f"--device {requested!r}: MindSpore runs on {', '.join(DEVICES)} or auto")
    return DEVICES[name]


def configure(device: str = "auto", mode: str | None = None, processes: int = 1) -> Runtime:
    """Set the device and CPU threads (first call only) and the execution mode (when given).

    ``processes`` is how many MindSpore processes share this machine's cores (``msrun`` workers).
    """
    global _runtime
    prepare()
    import mindspore as ms

    if mode is not None and mode not in MODES:
        raise ValueError(f"MindSpore mode {mode!r}: choose one of {', '.join(MODES)}")
    if _runtime is None:
        target = choose_device(device)
        ms.set_device(target)
        threads = max(1, available_cpus() // max(1, processes))
        if target == "CPU":
            ms.device_context.cpu.op_tuning.threads_num(threads)
        current = "graph" if ms.get_context("mode") == ms.GRAPH_MODE else "pynative"
        _runtime = Runtime(target, threads, current)
    elif device != "auto" and choose_device(device) != _runtime.device:
        raise ValueError(
            f"MindSpore already runs on {_runtime.device} in this process; cannot switch to {device}"
        )
    if mode is not None and mode != _runtime.mode:
        ms.set_context(mode=ms.GRAPH_MODE if mode == "graph" else ms.PYNATIVE_MODE)
        _runtime = Runtime(_runtime.device, _runtime.threads, mode)
    return _runtime
