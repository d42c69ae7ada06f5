"""The model card (``README.md``) of a pushed run, rendered from ``model_cards/model_card.md``.

The YAML header is ``huggingface_hub``'s :class:`ModelCardData` with a model-index of
:class:`EvalResult` (macro F1, precision, recall and accuracy on the run's evaluation split); the
body is the Jinja template filled from the run's ``config.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zoo_core.hub.errors import HubError

METRICS = (
    ("f1", "Macro F1"),
    ("precision", "Macro precision"),
    ("recall", "Macro recall"),
    ("accuracy", "Accuracy"),
)
FRAMEWORK_NAMES = {"torch": "PyTorch", "mindspore": "MindSpore"}


def template_path() -> Path:
    """The packaged template, or the source checkout's when ``model_cards`` is not installed."""
    try:
        from model_cards import MODEL_CARD
    except ImportError:
        MODEL_CARD = Path(__file__).resolve().parents[2] / "model_cards" / "model_card.md"
    if not MODEL_CARD.is_file():
        raise HubError(f"{MODEL_CARD}: the model-card template is missing from this installation")
    return MODEL_CARD


def head_text(config: dict[str, Any]) -> str:
    """``"linear classifier"`` or ``"MLP 512 → 256 → 18 (ReLU)"``."""
    hidden = config.get("head") or []
    if not hidden:
        return "linear classifier"
    widths = " → ".join(str(width) for width in [*hidden, config["num_classes"]])
    dropout = config.get("head_dropout") or 0
    return f"MLP {widths} (ReLU{f', dropout {dropout}' if dropout else ''})"


def dataset_info(config: dict[str, Any]) -> dict[str, Any]:
    """The dataset description the dataset plugin wrote, with the training job's fallbacks."""
    description = dict(config.get("dataset") or {})
    training = config.get("training") or {}
    description["name"] = (
        description.get("name") or description.get("dataset") or training.get("dataset") or "?"
    )
    if "synthetic" not in description:
        description["synthetic"] = dataset_is_synthetic(str(description["name"]))
    return description


def dataset_is_synthetic(name: str) -> bool:
    """For a config whose dataset description does not say: what the name says."""
    return name.endswith("synth")


def card_data(config: dict[str, Any], repo_id: str, license_id: str) -> Any:
    """The YAML header: library, tags, license, datasets, metrics and the model-index."""
    from huggingface_hub import EvalResult, ModelCardData

    results = config.get("results") or {}
    dataset = dataset_info(config)
    dataset_id = str(dataset.get("hub_id") or dataset["name"])
    evals = [
        EvalResult(
            task_type="image-classification",
            task_name="Hand gesture recognition",
            dataset_type=dataset_id,
            dataset_name=str(dataset.get("title") or dataset["name"]),
            dataset_split=str(results.get("split", "val")),
            metric_type=metric,
            metric_name=label,
            metric_value=round(float(results[metric]), 4),
        )
        for metric, label in METRICS
        if evaluated(config)
    ]
    tags = ["image-classification", "hand-gesture-recognition", "hagrid", "zoo"]
    tags += [config["architecture"], config["framework"]]
    if dataset["synthetic"]:
        tags.append("synthetic-data")
    return ModelCardData(
        model_name=repo_id,
        library_name="zoo",
        license=license_id,
        pipeline_tag="image-classification",
        tags=list(dict.fromkeys(tags)),
        datasets=[dataset_id],
        metrics=[metric for metric, _ in METRICS],
        eval_results=evals or None,
        base_model=base_model(config),
    )


def evaluated(config: dict[str, Any]) -> bool:
    results = config.get("results") or {}
    return all(metric in results for metric, _ in METRICS)


def base_model(config: dict[str, Any]) -> str | None:
    """The weights the model started from (``--init``) or was imported from: a Hub repo id
    where they came from the Hub, else the file's name."""
    origin = config.get("init") or config.get("source")
    if not origin:
        return None
    given = str(origin.get("source") or origin.get("file") or "")
    if given.startswith("hf-hub:"):
        return given[len("hf-hub:") :].split("@")[0]
    return Path(given.rstrip("/")).name or None


def import_rows(config: dict[str, Any]) -> list[tuple[str, str]]:
    source = config.get("source") or {}
    rows = [
        ("imported from", f"`{Path(str(source.get('file', '?'))).name}`"),
        ("format", str(source.get("format", "?"))),
        ("sha256", f"`{source.get('sha256', '?')}`"),
    ]
    if source.get("variant"):
        rows.append(("variant", str(source["variant"])))
    if source.get("dropped"):
        rows.append(("dropped", ", ".join(f"`{name}`" for name in source["dropped"])))
    return rows


def model_rows(config: dict[str, Any]) -> list[tuple[str, str]]:
    arch = config["architecture"]
    options = config.get("architecture_options") or {}
    description = config.get("architecture_description")
    described = f"`{arch}`" + (f" — {description}" if description else "")
    rows = [("architecture", described)]
    if options:
        rows.append(("architecture options", ", ".join(f"{k}={v}" for k, v in options.items())))
    rows.append(("head", head_text(config)))
    rows.append(("classes", f"{config['num_classes']}: {', '.join(config['label_names'])}"))
    if config.get("parameters"):
        rows.append(("trainable parameters", f"{int(config['parameters']):,}"))
    size = config["input_size"]
    rows.append(("input", f"RGB {size[-1]}×{size[-2]}, ImageNet mean/std"))
    plugin = config.get("plugin") or {}
    if plugin.get("distribution"):
        rows.append(("plugin", f"`{plugin['distribution']}` {plugin.get('version', '')}".strip()))
    if config.get("architecture_paper"):
        rows.append(("paper", config["architecture_paper"]))
    rows.append(("weights", f"`model.safetensors`, sha256 `{config['weights_sha256']}`"))
    return rows


def training_rows(config: dict[str, Any]) -> list[tuple[str, str]]:
    training = config.get("training") or {}
    dataset = dataset_info(config)
    versions = config.get("versions") or {}
    framework = FRAMEWORK_NAMES.get(config["framework"], config["framework"])
    framework_version = versions.get(config["framework"], "")
    rows = [
        ("framework", f"{framework} {framework_version}".strip()),
        ("data", str(dataset.get("summary") or dataset["name"])),
        ("mode", str(training.get("mode", "crop"))),
        ("epochs", str(training.get("epochs", "?"))),
        ("batch size", str(training.get("batch_size", "?"))),
        ("optimizer", f"Adam, learning rate {training.get('lr', '?')}"),
        ("loss", "cross-entropy"),
        ("image size", f"{training.get('image_size', config['input_size'][-1])} px"),
        ("seed", str(training.get("seed", 0))),
    ]
    if dataset.get("subset"):
        rows.append(("subset", str(dataset["subset"])))
    elif training.get("per_class") is not None:
        rows.append(("subset", f"{training['per_class']:g} per class"))
    for key in ("precision", "device"):
        if training.get(key) not in (None, "auto"):
            rows.append((key, str(training[key])))
    rows.append(("zoo", str(config.get("zoo_version", ""))))
    return rows


def limitations(config: dict[str, Any]) -> list[str]:
    dataset = dataset_info(config)
    items = []
    if dataset["synthetic"]:
        items.append(
            f"**Trained on synthetic data** ({dataset['name']}: rendered hands, not photographs). "
            "The scores above measure the synthetic task only; expect much lower accuracy on "
            "real images. Use it to try zoo, not to recognise gestures."
        )
    else:
        items.append(
            "Trained on HaGRID, whose images are mostly frontal, indoor and from a limited set of "
            "subjects; accuracy drops on other viewpoints, lighting and skin tones."
        )
    unknown = "no_gesture" if "no_gesture" in config["label_names"] else "one of its gestures"
    items.append(
        f"It answers one of its {config['num_classes']} classes for every image: a gesture it "
        f"was not trained on, or no hand at all, still gets a class (at best {unknown})."
    )
    mode = (config.get("training") or {}).get("mode", "crop")
    if mode == "crop":
        items.append(
            "It was trained on hand crops: give it an image of one hand, not a full scene."
        )
    results = config.get("results") or {}
    items.append(
        f"Validation scores come from {results.get('samples', '?')} images and one "
        "seed; small differences between models are within noise."
    )
    return items


def deployment(config: dict[str, Any]) -> dict[str, Any] | None:
    """The deployment section: one row per export recorded by ``zoo export``, or ``None``."""
    exports = config.get("exports") or {}
    if not exports:
        return None
    rows = []
    for name, record in exports.items():
        check = record.get("verification") or {}
        if check.get("passed"):
            checked = (
                f"max \\|Δ logit\\| {check['max_abs_diff']:.1e} vs {record.get('exported_with')} "
                f"({check.get('runtime')}, {check.get('images')} images)"
            )
        elif "evaluation" in record:
            scores = record["evaluation"]
            checked = (
                f"val macro F1 {scores['int8']['f1']:.4f} (fp32 {scores['fp32']['f1']:.4f}, "
                f"{scores['int8']['samples']} images)"
            )
        else:
            checked = "not verified"
        rows.append(
            {
                "file": name,
                "format": record.get("format", "?") + (" int8" if "evaluation" in record else ""),
                "size": f"{record.get('bytes', 0) / 1e6:.1f} MB",
                "by": record.get("exported_with") or record.get("quantized_with", "?"),
                "check": checked,
            }
        )
    return {"rows": rows, "onnx": any(name.endswith(".onnx") for name in exports)}


def epochs(training: dict[str, Any]) -> str:
    count = training.get("epochs")
    return f"{count} epoch" + ("" if count == 1 else "s") if count is not None else "? epochs"


def render_card(config: dict[str, Any], repo_id: str, license_id: str, images: set[str]) -> str:
    """The full ``README.md`` text."""
    from huggingface_hub import ModelCard

    results = config.get("results") or {}
    imported = "source" in config and "training" not in config
    if not evaluated(config) and not imported:
        raise HubError("config.json has no results: train at least one epoch before pushing")
    dataset = dataset_info(config)
    framework = FRAMEWORK_NAMES.get(config["framework"], config["framework"])
    per_class = [
        {
            "name": name,
            **{key: f"{scores[key]:.3f}" for key in ("precision", "recall", "f1")},
            "support": scores.get("support", ""),
        }
        for name, scores in (results.get("per_class") or {}).items()
    ]
    training = config.get("training") or {}
    head = f" with an {head_text(config)} head" if config.get("head") else ""
    hidden = "-".join(str(width) for width in config.get("head") or [])
    title = f"{config['architecture']} + {f'MLP head {hidden}' if hidden else 'linear head'}"
    title += f" — hand gestures ({config['num_classes']} classes)"
    summary = (
        f"A {config['architecture']} image classifier{head} that sorts images of a hand into "
        f"{config['num_classes']} HaGRID gesture classes, trained for {epochs(training)} on "
        f"{dataset['name']} in {framework}. Validation macro F1: "
        f"**{results['f1']:.3f}**."
        if evaluated(config)
        else f"A {config['architecture']} image classifier{head} with {config['num_classes']} "
        f"classes, imported with `zoo import` from {base_model(config)} "
        f"({(config.get('source') or {}).get('format', '?')} weights); zoo has not evaluated it."
    )
    shown = (
        {
            "split": results.get("split", "val"),
            "samples": results.get("samples", "?"),
            "epoch": int(results.get("epoch", 0)) + 1,
            **{metric: f"{float(results[metric]):.4f}" for metric, _ in METRICS},
        }
        if evaluated(config)
        else {}
    )
    plugin = (config.get("plugin") or {}).get("distribution")
    card = ModelCard.from_template(
        card_data(config, repo_id, license_id),
        template_path=str(template_path()),
        repo_id=repo_id,
        title=title,
        summary=summary,
        model_rows=model_rows(config),
        training_summary=(
            f"Trained with `zoo train` in {framework} with the study's recipe (Adam, "
            "cross-entropy, best epoch kept by validation macro F1)."
            if not imported
            else "Not trained by zoo: the weights were converted with `zoo import`."
        ),
        training_rows=import_rows(config) if imported else training_rows(config),
        results=shown,
        per_class=per_class,
        dataset_name=dataset["name"],
        eval_data=dataset["name"] if dataset["synthetic"] else f"PATH/TO/{dataset['name']}".upper(),
        images={"curves": "curves.png" in images, "confusion": "confusion_matrix.png" in images},
        image_size=config["input_size"][-1],
        mean=", ".join(f"{v:.3f}" for v in config["mean"]),
        std=", ".join(f"{v:.3f}" for v in config["std"]),
        plugin_hint=(
            f"The architecture comes from the `{plugin}` plugin; install it too if it is not "
            "built into zoo."
            if plugin and plugin != "zoo"
            else ""
        ),
        limitations=limitations(config),
        deployment=deployment(config),
        num_classes=config["num_classes"],
    )
    return str(card.content)
