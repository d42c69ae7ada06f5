"""Foreign weights and the Hub: a timm repository (pushed with ``huggingface_hub``'s own upload
of a ``save_for_hf`` folder) loaded through ``hf-hub:``, and an imported run pushed as a zoo
model whose card names its base model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.torch
torch = pytest.importorskip("torch")
timm = pytest.importorskip("timm")


def test_a_timm_repository_loads_through_hf_hub(hub_env, hub_server, tmp_path: Path) -> None:
    from huggingface_hub import HfApi
    from timm.models import save_for_hf

    from zoo_core import checkpoint

    model = timm.create_model("resnet18", num_classes=3).eval()
    save_for_hf(model, tmp_path / "timm", model_config={"label_names": ["a", "b", "c"]})
    api = HfApi(endpoint=hub_server.endpoint, token=hub_server.token)
    api.create_repo("foreign/timm-resnet18", exist_ok=True)
    api.upload_folder(folder_path=str(tmp_path / "timm"), repo_id="foreign/timm-resnet18")

    loaded = checkpoint.load("hf-hub:foreign/timm-resnet18", "torch")
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        delta = (loaded.model.eval()(x) - model(x)).abs().max().item()
    assert delta <= 1e-4
    assert loaded.config["label_names"] == ["a", "b", "c"]
    assert loaded.config["source"]["format"] == "timm"
    assert loaded.config["source"]["file"].endswith("pytorch_model.bin")


def test_an_imported_run_is_pushed_with_its_base_model(hub_env, zoo, tmp_path: Path) -> None:
    import torchvision

    from zoo_core import checkpoint
    from zoo_core.importing import import_weights

    tv = torchvision.models.resnet18(num_classes=4).eval()
    torch.save(tv.state_dict(), tmp_path / "resnet18-gestures.pth")
    run = import_weights(str(tmp_path / "resnet18-gestures.pth"), tmp_path / "run")
    result = zoo("push", str(run), "--repo", "foreign/imported")
    assert result.code == 0, result.err
    pulled = checkpoint.load("hf-hub:foreign/imported", "torch")
    readme = (pulled.path / "README.md").read_text()
    assert "base_model: resnet18-gestures.pth" in readme
    assert "zoo has not evaluated it" in readme
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        assert np.allclose(pulled.model.eval()(x).numpy(), tv(x).numpy(), atol=1e-5)
