"""Three steps of each zoo MindSpore optimizer on a small dense layer, in GRAPH_MODE through
``nn.TrainOneStepCell`` as training runs them; prints the weights and the rates read back as
one JSON line. ``python optim_probe.py``; ``optim_case`` gives the inputs the torch side uses."""

from __future__ import annotations

import json

import numpy as np

from zoo_core.schedules import OptimizerSettings

CASES = {
    "adam": OptimizerSettings("adam", 0.05, weight_decay=5e-4, schedule="cosine", warmup_steps=1),
    "sgd": OptimizerSettings("sgd", 0.05, 0.9, 5e-4, "constant", warmup_steps=2),
    "adamw": OptimizerSettings("adamw", 0.05, weight_decay=0.05, schedule="onecycle"),
}
STEPS = 3


def optim_case() -> dict[str, np.ndarray | list]:
    rng = np.random.default_rng(0)
    return {
        "weight": rng.normal(size=(4, 8)).astype(np.float32),
        "bias": rng.normal(size=4).astype(np.float32),
        "inputs": [rng.normal(size=(5, 8)).astype(np.float32) for _ in range(STEPS)],
        "labels": [rng.integers(0, 4, 5).astype(np.int32) for _ in range(STEPS)],
    }


def main() -> None:
    import mindspore as ms
    from mindspore import Tensor, nn
    from zoo_mindspore import optim

    ms.set_context(mode=ms.GRAPH_MODE, device_target="CPU")
    case = optim_case()
    report = {}
    for name, settings in CASES.items():
        layer = nn.Dense(8, 4)
        layer.weight.set_data(Tensor(case["weight"]))
        layer.bias.set_data(Tensor(case["bias"]))
        optimizer = optim.build(settings, layer.trainable_params())
        loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
        step = nn.TrainOneStepCell(nn.WithLossCell(layer, loss), optimizer)
        step.set_train(True)
        rates = []
        for inputs, labels, rate in zip(
            case["inputs"], case["labels"], settings.rates(STEPS), strict=True
        ):
            rates.append(optim.set_rate(optimizer, rate))
            step(Tensor(inputs), Tensor(labels))
        report[name] = {
            "weight": layer.weight.asnumpy().tolist(),
            "bias": layer.bias.asnumpy().tolist(),
            "rates": rates,
        }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
