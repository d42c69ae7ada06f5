"""ONNX Runtime static int8 quantization: QDQ, per-channel weights, MinMax calibration."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

CALIBRATION_BATCH = 8


def opset(path: Path) -> int:
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    return max((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), default=0)


def static_int8(source: Path, target: Path, calibration: np.ndarray) -> Path:
    """Quantize ``source`` to ``target`` (activations uint8, weights int8, QDQ), calibrated on
    the normalised ``float32 (N, 3, H, W)`` batch ``calibration``; keep its metadata."""
    import onnx
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quant_pre_process,
        quantize_static,
    )

    class Batches(CalibrationDataReader):
        def __init__(self) -> None:
            self.chunks = iter(
                [
                    {"images": calibration[i : i + CALIBRATION_BATCH]}
                    for i in range(0, len(calibration), CALIBRATION_BATCH)
                ]
            )

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self.chunks, None)

    with tempfile.TemporaryDirectory(prefix=".quantize.", dir=Path(target).parent) as folder:
        prepared = Path(folder) / "prepared.onnx"
        quant_pre_process(str(source), str(prepared), skip_symbolic_shape=True)
        quantize_static(
            str(prepared),
            str(target),
            Batches(),
            quant_format=QuantFormat.QDQ,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            per_channel=opset(prepared) >= 13,  # DequantizeLinear's axis needs opset 13
        )
    original = onnx.load(str(source), load_external_data=False)
    quantized = onnx.load(str(target))
    props = {prop.key: prop.value for prop in original.metadata_props}
    props["zoo.quantization"] = "int8 static QDQ (uint8 activations, int8 per-channel weights)"
    del quantized.metadata_props[:]
    onnx.helper.set_model_props(quantized, props)
    onnx.save(quantized, str(target))
    return Path(target)
