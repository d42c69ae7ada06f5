"""``zoo export``: write a run's model in a deployment format, stamp it, verify it, record it.

The exporter is the run's own framework unless asked otherwise. The file is written beside the
target under a temporary name, stamped (ONNX: names, dynamic batch, opset, ``metadata_props``),
then run by a framework that declares it ``runs`` the format, on a few images of the run's
dataset, at batch N and batch 1, against the exporting framework's own logits; only then is it
renamed into place. ``--int8`` quantizes the verified file with the runtime's static quantizer,
calibrated on training images, and scores both files on the validation split.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from zoo_core import checkpoint, deploy
from zoo_core.data import BadSample, DataRequest, DataSplits, SampleSource
from zoo_core.errors import InvalidValue, ZooError
from zoo_core.importing import run_for
from zoo_core.metrics import classification_metrics
from zoo_core.registry import FrameworkUnavailable, Registry, get_registry
from zoo_core.rundir import WEIGHTS, RunDir, atomic_write_json, sha256_of

VERIFY_IMAGES = 8
RELATIVE_BOUND = 1e-4  # max |Δ logit| allowed, relative to max(1, max |logit|)
CALIBRATION_IMAGES = 64
STAMPERS: dict[str, Callable[[Path, dict[str, str]], None]] = {"onnx": deploy.stamp_onnx}

Echo = Callable[[str], None]


class ExportError(ZooError, RuntimeError):
    """An export that could not be written or did not reproduce the framework's logits."""


@dataclass
class Runner:
    """A framework's backend able to load exported files of one format."""

    framework: str
    backend: Any

    def load(self, fmt: str, path: Path) -> Any:
        return self.backend.load_file(fmt, path)


def choose_framework(
    registry: Registry, config: dict[str, Any], fmt: str, requested: str | None
) -> str:
    """``requested``, else the run's own framework when it exports ``fmt`` and is installed,
    else the first installed framework that exports ``fmt``."""
    if requested:
        if fmt not in registry.frameworks[requested].exporters:
            raise InvalidValue(f"framework {requested!r} cannot export {fmt!r}")
        return requested
    able = [spec.name for spec in registry.frameworks if fmt in spec.exporters]
    if not able:
        raise InvalidValue(f"no installed framework exports {fmt!r}")
    own = config.get("framework")
    if own in able and registry.framework_available(own):
        return own
    installed = [name for name in able if registry.framework_available(name)]
    if not installed:
        raise FrameworkUnavailable(
            f"exporting {fmt!r} needs one of {', '.join(able)}, none installed: "
            f"pip install 'zoo[{able[0]}]'"
        )
    return installed[0]


def find_runner(registry: Registry, fmt: str, quantizes: bool = False) -> Runner | None:
    """An installed framework whose backend runs ``fmt`` files (and quantizes them, if asked)."""
    for spec in registry.frameworks:
        if fmt in spec.runs and registry.framework_available(spec.name):
            backend = registry.backend(spec.name)
            if not quantizes or hasattr(backend, "quantize"):
                return Runner(spec.name, backend)
    return None


def split_images(
    split: SampleSource, count: int, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` usable samples of ``split``: the first ones, or a seeded random choice."""
    order = np.arange(len(split))
    if seed is not None:
        order = np.random.default_rng(seed).permutation(order)
    images, labels = [], []
    for index in order:
        try:
            image, label = split[int(index)]
        except BadSample:
            continue
        images.append(image)
        labels.append(label)
        if len(images) == count:
            break
    if not images:
        raise ExportError("the run's dataset split has no usable image")
    return np.stack(images), np.asarray(labels)


def run_data(
    config: dict[str, Any], registry: Registry, size: int, data: str | None = None
) -> tuple[str, DataSplits]:
    from zoo_core.evaluation import open_run_data

    return open_run_data(config, data, registry, image_size=size)


def verification_data(
    config: dict[str, Any],
    registry: Registry,
    size: int,
    data: str | None,
    int8: bool,
    echo: Echo,
) -> tuple[str, DataSplits]:
    """The run's dataset; for a plain export of a model whose classes no installed dataset
    serves (another library's checkpoint), the default dataset's images instead: comparing two
    runtimes' logits needs images of the right size, not matching classes."""
    try:
        return run_data(config, registry, size, data)
    except ZooError as error:
        if int8 or data is not None:
            raise
        reason = error
    from zoo_core.datasets import default_dataset, open_dataset, resolve_mode

    name = default_dataset(registry)
    request = DataRequest(mode=resolve_mode(registry.datasets[name], None), image_size=size)
    echo(f"the run's own data is not at hand ({reason}); verifying on {name}'s images")
    return name, open_dataset(registry, name, request)


def verify(
    loaded: checkpoint.LoadedModel,
    runner: Runner,
    fmt: str,
    path: Path,
    images: np.ndarray,
) -> dict[str, Any]:
    """Run ``path`` at batch N and 1 and compare with the exporting framework's logits."""
    config = loaded.config
    mean, std = tuple(config["mean"]), tuple(config["std"])
    expected = np.asarray(loaded.backend.predict(loaded.model, images, mean, std))
    model = runner.load(fmt, path)
    batched = np.asarray(runner.backend.predict(model, images, mean, std))
    single = np.asarray(runner.backend.predict(model, images[:1], mean, std))
    if batched.shape != expected.shape or single.shape != (1, expected.shape[1]):
        raise ExportError(
            f"{path}: the exported model gave logits {batched.shape} at batch {len(images)} "
            f"and {single.shape} at batch 1, expected {expected.shape}"
        )
    delta = float(max(np.abs(batched - expected).max(), np.abs(single - expected[:1]).max()))
    bound = RELATIVE_BOUND * max(1.0, float(np.abs(expected).max()))
    agree = int((batched.argmax(1) == expected.argmax(1)).sum())
    return {
        "runtime": runner.framework,
        "images": len(images),
        "batches": [len(images), 1],
        "max_abs_diff": delta,
        "bound": bound,
        "top1_agreement": f"{agree}/{len(images)}",
        "passed": delta <= bound,
    }


def file_record(path: Path) -> dict[str, Any]:
    return {"file": path.name, "bytes": path.stat().st_size}


def temporary(target: Path) -> Path:
    return target.with_name(f".{target.stem}.{os.getpid()}.tmp{target.suffix}")


def export_run(
    source: str,
    fmt: str,
    framework: str | None = None,
    out: Path | None = None,
    int8: bool = False,
    calibration: int = CALIBRATION_IMAGES,
    seed: int = 0,
    data: str | None = None,
    image_size: int | None = None,
    echo: Echo = print,
    registry: Registry | None = None,
) -> dict[str, Any]:
    """Export, stamp, verify (and with ``int8`` quantize and score) ``source``; return the
    record written beside the file (``<file>.json``) and, inside the run, to ``config.json``."""
    registry = registry or get_registry()
    int8_runner = quantizer(registry, fmt) if int8 else None  # fail before writing anything
    run_path, outputs = run_for(source, registry)  # another library's checkpoint: imported
    config = RunDir(run_path).read_config()
    config.setdefault("preprocessing", deploy.preprocessing_rule())
    chosen = choose_framework(registry, config, fmt, framework)
    loaded = checkpoint.load(str(run_path), chosen, registry)
    size = int(image_size or config["input_size"][-1])
    config["input_size"] = [3, size, size]
    loaded.config = config
    target = Path(out) if out else outputs / f"model.{fmt}"
    target.parent.mkdir(parents=True, exist_ok=True)
    weights_sha = sha256_of(run_path / WEIGHTS)
    metadata = deploy.export_metadata(config, weights_sha, **{"zoo.exported_with": chosen})

    dataset, splits = verification_data(config, registry, size, data, int8, echo)
    images, _ = split_images(splits.val, VERIFY_IMAGES)
    scratch = temporary(target)
    try:
        started = time.perf_counter()
        written = Path(loaded.backend.export(loaded.model, fmt, scratch, size))
        if fmt in STAMPERS:
            STAMPERS[fmt](written, metadata)
        seconds = time.perf_counter() - started
        runner = find_runner(registry, fmt)
        record: dict[str, Any] = {
            "format": fmt,
            "exported_with": chosen,
            "seconds": round(seconds, 2),
            "weights_sha256": weights_sha,
            "input_size": [3, size, size],
            "metadata": metadata,
            **file_record(written),
        }
        if runner is None:
            record["verification"] = {"passed": None, "reason": f"no installed runtime for {fmt}"}
            echo(f"not verified: no installed framework runs {fmt!r} files")
        else:
            check = verify(loaded, runner, fmt, written, images)
            check["data"] = f"{len(images)} val images of {dataset}"
            record["verification"] = check
            echo(
                f"verified with {runner.framework} on {check['data']} at batch "
                f"{len(images)} and 1: max |Δ logit| {check['max_abs_diff']:.2e} "
                f"(bound {check['bound']:.2e}), top-1 agrees {check['top1_agreement']}"
            )
            if not check["passed"]:
                raise ExportError(
                    f"{target}: the export differs from {chosen}'s logits by "
                    f"{check['max_abs_diff']:.3g} > {check['bound']:.3g}; nothing written"
                )
        os.replace(written, target)
        record["file"] = target.name
    finally:
        scratch.unlink(missing_ok=True)
    echo(f"exported {target} ({record['bytes'] / 1e6:.1f} MB, {chosen})")
    records = {target.name: record}
    if int8_runner is not None:
        records.update(
            quantize_run(loaded, int8_runner, fmt, target, splits, dataset, calibration, seed, echo)
        )
    for name, entry in records.items():
        atomic_write_json(target.with_name(f"{name}.json"), entry)
    if target.parent.resolve() == run_path.resolve():
        saved = RunDir(run_path).read_config()
        saved.setdefault("preprocessing", config["preprocessing"])
        saved["exports"] = {**saved.get("exports", {}), **records}
        RunDir(run_path).write_config(saved)
    return records


def int8_path(target: Path) -> Path:
    return target.with_name(f"{target.stem}.int8{target.suffix}")


def score_file(
    runner: Runner, fmt: str, path: Path, config: dict[str, Any], split: SampleSource, classes: Any
) -> dict[str, Any]:
    from zoo_core.evaluation import predict_split

    model = runner.load(fmt, path)
    loaded = checkpoint.LoadedModel(model, config, runner.backend, path.parent)
    y_true, y_pred, _ = predict_split(loaded, split, 64)
    metrics = classification_metrics(y_true, y_pred, classes)
    return {**{k: metrics[k] for k in ("f1", "accuracy", "samples")}, "y_pred": y_pred}


def quantizer(registry: Registry, fmt: str) -> Runner:
    """The installed framework that quantizes ``fmt`` files, or an error naming those that do."""
    runner = find_runner(registry, fmt, quantizes=True)
    if runner is None:
        formats = sorted(
            {f for spec in registry.frameworks for f in spec.runs if find_runner(registry, f, True)}
        )
        hint = f"--int8 works with --format {', '.join(formats)}" if formats else "none does"
        raise FrameworkUnavailable(f"no installed framework quantizes {fmt!r} files; {hint}")
    return runner


def calibrate(
    runner: Runner,
    fmt: str,
    fp32: Path,
    target: Path,
    config: dict[str, Any],
    train: SampleSource,
    count: int,
    seed: int,
) -> int:
    """Quantize ``fp32`` into ``target`` on ``count`` seeded training images; return how many."""
    images, _ = split_images(train, count, seed)
    runner.backend.quantize(
        fmt, fp32, target, deploy.normalize(images, config["mean"], config["std"])
    )
    return len(images)


def quantize_file(
    source: str,
    fp32: Path,
    target: Path,
    size: int,
    fmt: str = "onnx",
    calibration: int = CALIBRATION_IMAGES,
    seed: int = 0,
    echo: Echo = print,
) -> Path:
    """int8 of an fp32 export of ``source``, without scoring it (for ``zoo bench``)."""
    registry = get_registry()
    config = RunDir(checkpoint.locate(source)).read_config()
    _, splits = run_data(config, registry, size)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = temporary(target)
    try:
        used = calibrate(
            quantizer(registry, fmt), fmt, fp32, scratch, config, splits.train, calibration, seed
        )
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)
    echo(f"int8 {target}, calibrated on {used} train images")
    return target


def quantize_run(
    loaded: checkpoint.LoadedModel,
    runner: Runner,
    fmt: str,
    fp32: Path,
    splits: DataSplits,
    dataset: str,
    calibration: int,
    seed: int,
    echo: Echo,
) -> dict[str, dict[str, Any]]:
    """Static int8 quantization of ``fp32`` by the runtime of ``fmt``, scored on val."""
    config = loaded.config
    target = int8_path(fp32)
    scratch = temporary(target)
    try:
        started = time.perf_counter()
        used = calibrate(runner, fmt, fp32, scratch, config, splits.train, calibration, seed)
        seconds = time.perf_counter() - started
        base = score_file(runner, fmt, fp32, config, splits.val, splits.classes)
        quant = score_file(runner, fmt, scratch, config, splits.val, splits.classes)
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)
    agreement = float(np.mean(base.pop("y_pred") == quant.pop("y_pred")))
    record = {
        "format": fmt,
        "quantized_with": runner.framework,
        "quantization": "static int8, QDQ, per-channel weights",
        "calibration": f"{used} train images of {dataset}, seed {seed}",
        "seconds": round(seconds, 2),
        "source": fp32.name,
        "weights_sha256": sha256_of(loaded.path / WEIGHTS),
        **file_record(target),
        "fp32_bytes": fp32.stat().st_size,
        "evaluation": {
            "split": "val",
            "dataset": dataset,
            "fp32": base,
            "int8": quant,
            "f1_drop": base["f1"] - quant["f1"],
            "top1_agreement": agreement,
        },
    }
    echo(
        f"int8 {target} ({record['bytes'] / 1e6:.1f} MB vs fp32 {record['fp32_bytes'] / 1e6:.1f} "
        f"MB), calibrated on {record['calibration']}; val macro F1 fp32 {base['f1']:.4f} → "
        f"int8 {quant['f1']:.4f} (drop {base['f1'] - quant['f1']:.4f}, {base['samples']} images, "
        f"top-1 agreement {agreement:.1%})"
    )
    return {target.name: record}
