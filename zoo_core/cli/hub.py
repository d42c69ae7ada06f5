"""``zoo push`` and ``zoo pull`` (Hugging Face Hub)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from zoo_core.safe_text import for_shell, for_terminal

ENDPOINT_HELP = "Hub URL [ZOO_HUB_ENDPOINT, HF_ENDPOINT, https://huggingface.co]."
TOKEN_HELP = "Hub token [HF_TOKEN, then the saved 'hf auth login' token]. Never printed."


def push_command(
    run_dir: Path = typer.Argument(..., help="Run directory written by 'zoo train'."),
    repo: str = typer.Option(..., "--repo", help="Hub repository ORG/NAME (created if missing)."),
    private: bool = typer.Option(False, "--private", help="Create the repository private."),
    revision: str = typer.Option(None, "--revision", help="Branch to commit to (default: main)."),
    endpoint: str = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
    token: str = typer.Option(None, "--token", help=TOKEN_HELP),
    commit_message: str = typer.Option(None, "--commit-message", help="(default: zoo push RUN)"),
    license_id: str = typer.Option("apache-2.0", "--license", help="License in the model card."),
) -> None:
    """Publish a run: weights, config with checksum, model card and plots, in one commit."""
    from zoo_core.hub import push

    result = push(
        run_dir,
        repo,
        private=private,
        revision=revision,
        endpoint=endpoint,
        token=token,
        commit_message=commit_message,
        license_id=license_id,
    )
    typer.echo(f"pushed {run_dir} → {result.url} ({result.revision} @ {result.commit[:12]})")
    typer.echo(f"  files: {', '.join(result.files)}")
    pull, source = for_shell(result.repo_id), for_shell(f"hf-hub:{result.repo_id}")
    typer.echo(f"  use it: zoo pull {pull} · zoo predict {source} IMAGE")


def pull_command(
    repo: str = typer.Argument(..., help="ORG/NAME or ORG/NAME@REVISION (branch, tag, commit)."),
    endpoint: str = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
    offline: bool = typer.Option(
        False, "--offline", help="Use the Hugging Face cache only (also HF_HUB_OFFLINE=1)."
    ),
    token: str = typer.Option(None, "--token", help=TOKEN_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Download a zoo model into the Hugging Face cache, verify its weights, say what it is."""
    from zoo_core.hub import pull

    pulled = pull(repo, endpoint=endpoint, token=token, offline=offline or None)
    config = pulled.config
    if as_json:
        summary = {
            "repo_id": pulled.repo_id,
            "revision": pulled.revision,
            "commit": pulled.commit,
            "path": str(pulled.path),
            **{key: config.get(key) for key in ("architecture", "head", "num_classes")},
            **{key: config.get(key) for key in ("framework", "input_size", "weights_sha256")},
            "results": {k: v for k, v in (config.get("results") or {}).items() if k != "per_class"},
            "plugin": plugin_status(config),
        }
        typer.echo(json.dumps(summary, indent=2))
        return
    typer.echo(
        for_terminal(
            f"{pulled.repo_id}@{pulled.revision} (commit {pulled.commit[:12]}) → {pulled.path}"
        )
    )
    for line in describe(config):
        typer.echo(f"  {line}")
    source = for_shell(f"hf-hub:{pulled.repo_id}")
    typer.echo(f"  use it: zoo predict {source} IMAGE --framework torch|mindspore")


def plugin_status(config: dict[str, Any]) -> dict[str, Any]:
    """Whether the architecture's plugin is installed here, and which distribution provides it."""
    from zoo_core.registry import get_registry

    plugin = config.get("plugin") or {}
    installed = config.get("architecture") in get_registry().architectures
    return {"distribution": plugin.get("distribution"), "installed": installed}


def describe(config: dict[str, Any]) -> list[str]:
    """What a pulled model is, in lines safe to print: the config's text is untrusted."""
    head = ",".join(str(width) for width in config.get("head") or []) or "linear"
    size = (config.get("input_size") or ["?"])[-1]
    architecture = config["architecture"]
    lines = [
        f"{architecture} + head {head} · {config.get('num_classes')} classes · "
        f"{size} px · trained in {config.get('framework')} with zoo {config.get('zoo_version')}"
    ]
    results = config.get("results") or {}
    if all(isinstance(results.get(key), float | int) for key in ("f1", "precision", "recall")):
        dataset = (config.get("dataset") or {}).get("name") or (config.get("training") or {}).get(
            "dataset", "?"
        )
        lines.append(
            f"macro F1 {results['f1']:.3f} · precision {results['precision']:.3f} · "
            f"recall {results['recall']:.3f} on {results.get('split') or 'val'} of {dataset}"
        )
    lines.append(f"weights sha256 {config['weights_sha256'][:16]}… verified")
    status = plugin_status(config)
    if not status["installed"]:
        distribution = status["distribution"] or "the plugin that provides it"
        install = f"pip install {for_shell(distribution)}" if status["distribution"] else ""
        lines.append(
            f"note: architecture {architecture!r} needs {distribution}, which is not "
            f"installed{': ' + install if install else ''}"
        )
    return [for_terminal(line) for line in lines]


def register(app: typer.Typer) -> None:
    app.command("push")(push_command)
    app.command("pull")(pull_command)
