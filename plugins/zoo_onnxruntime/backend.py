"""The ONNX Runtime :class:`zoo_core.framework.FrameworkBackend`: inference only.

A "model" here is an ``onnxruntime.InferenceSession`` over an export of the run (see
:mod:`zoo_onnxruntime.sessions`); it takes the normalised ``images`` and returns ``logits``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from zoo_core.deploy import INPUT_NAME, OUTPUT_NAME, normalize
from zoo_core.errors import InvalidValue
from zoo_core.rundir import WeightsError
from zoo_onnxruntime import sessions

PREDICT_BATCH = 64
INFERENCE_ONLY = (
    "framework 'onnxruntime' runs exported models only; it cannot {}: train with "
    "--framework torch or mindspore, then use the run with --framework onnxruntime"
)


class OnnxRuntimeBackend:
    name = "onnxruntime"

    def load_run(self, path: Path, config: dict[str, Any]) -> Any:
        """A session on the run's ``model.onnx`` (exported now, into the cache, if missing)."""
        return sessions.open_run(Path(path), config)

    def load_file(self, fmt: str, path: Path) -> Any:
        if fmt != "onnx":
            raise InvalidValue(f"onnxruntime runs ONNX files, not {fmt!r}")
        return sessions.session(Path(path))

    def predict(self, model: Any, images: np.ndarray, mean: tuple, std: tuple) -> np.ndarray:
        """fp32 logits, in batches of 64."""
        inputs = normalize(images, mean, std)
        chunks = [
            model.run([OUTPUT_NAME], {INPUT_NAME: inputs[start : start + PREDICT_BATCH]})[0]
            for start in range(0, len(inputs), PREDICT_BATCH)
        ]
        return np.concatenate(chunks) if chunks else np.zeros((0, 0), np.float32)

    def parameter_count(self, model: Any) -> int:
        import onnx

        graph = onnx.load(model._model_path, load_external_data=False).graph
        return sum(int(np.prod(tensor.dims)) for tensor in graph.initializer)

    def state_dict(self, model: Any) -> dict[str, np.ndarray]:
        raise WeightsError(INFERENCE_ONLY.format("give canonical weights"))

    def load_state_dict(self, model: Any, state: dict[str, np.ndarray]) -> None:
        raise WeightsError(INFERENCE_ONLY.format("load canonical weights"))

    def export(self, model: Any, fmt: str, path: Path, image_size: int) -> Path:
        raise InvalidValue(INFERENCE_ONLY.format(f"export {fmt!r}"))

    def quantize(self, fmt: str, source: Path, target: Path, calibration: np.ndarray) -> Path:
        """Static int8 (QDQ, per-channel) of an ONNX file, calibrated on ``calibration``."""
        from zoo_onnxruntime.quantize import static_int8

        if fmt != "onnx":
            raise InvalidValue(f"onnxruntime quantizes ONNX files, not {fmt!r}")
        return static_int8(Path(source), Path(target), calibration)

    def bench_variants(self, loaded: Any, image_size: int, threads: int) -> list[Any]:
        """ONNX Runtime fp32 and int8 on the run's exports at ``image_size``."""
        from zoo_core.bench import BenchVariant

        def variant(int8: bool) -> Any:
            model = sessions.open_run(loaded.path, loaded.config, image_size, int8, threads)

            def prepare(inputs: np.ndarray) -> Any:
                return lambda: model.run([OUTPUT_NAME], {INPUT_NAME: inputs})

            return prepare

        return [
            BenchVariant("onnxruntime fp32", variant(False)),
            BenchVariant("onnxruntime int8", variant(True), note="static QDQ, per-channel"),
        ]


backend = OnnxRuntimeBackend()
