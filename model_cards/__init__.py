"""Model-card templates (Jinja2, rendered by ``huggingface_hub.ModelCard.from_template``)."""

from __future__ import annotations

from pathlib import Path

MODEL_CARD = Path(__file__).with_name("model_card.md")
