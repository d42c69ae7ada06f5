"""Shared test set-up: paths, the real HaGRID sample, and a quiet, single-threaded environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HAGRID_SAMPLE = REPO.parent / "shared" / "data" / "hagrid-sample"

# Two cores: DataLoader workers plus OpenMP threads oversubscribe them; keep tests passive.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("GLOG_v", "3")


@pytest.fixture(scope="session")
def hagrid_sample() -> Path:
    """The real HaGRID sample beside the checkout; CI always has it, elsewhere tests skip."""
    if not HAGRID_SAMPLE.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{HAGRID_SAMPLE} is missing in CI")
        pytest.skip(f"real HaGRID sample not found at {HAGRID_SAMPLE}")
    return HAGRID_SAMPLE


@pytest.fixture(autouse=True)
def _isolated_zoo_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """Tests never see a developer's plugin selection, strict mode or hub settings."""
    # MindSpore's compile-cache switch is set in os.environ by a zoo process that trains; a test
    # that trains in-process must not hand it (keyed by its own graphs) to later subprocesses.
    for name in (
        "ZOO_PLUGINS",
        "ZOO_STRICT_PLUGINS",
        "ZOO_HUB_ENDPOINT",
        "HF_TOKEN",
        "MS_COMPILER_CACHE_ENABLE",
        "MS_COMPILER_CACHE_PATH",
    ):
        monkeypatch.delenv(name, raising=False)
    cache = tmp_path_factory.getbasetemp() / "zoo-cache"
    monkeypatch.setenv("ZOO_CACHE_DIR", os.environ.get("ZOO_TEST_CACHE_DIR", str(cache)))
