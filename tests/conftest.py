"""Shared fixtures. Every test runs with HOME and the XDG folders pointed at a temporary
directory, so nothing can read or write the user's real configuration or data, and with
every ``TRAINER_*`` and ``OPENAI_*`` variable cleared, so a developer's shell
(``TRAINER_BACKEND=llm``, say) cannot change a test's outcome."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer.content.library import Library, load_library

REPO = Path(__file__).resolve().parents[1]
PRODUCT_PREFIXES = ("TRAINER_", "OPENAI_")
HARNESS_VARIABLES = frozenset({"TRAINER_RALPH", "TRAINER_REQUIRE_LRS"})
"""Read by the test harness itself (``tests/lrs_server.py``, set by ``.ci/run``), never by
the product, so they survive the clearing."""


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    for name in list(os.environ):
        if name.startswith(PRODUCT_PREFIXES) and name not in HARNESS_VARIABLES:
            monkeypatch.delenv(name)
    yield


@pytest.fixture(scope="session")
def library() -> Library:
    lib = load_library([REPO])
    assert not lib.problems, "\n".join(str(p) for p in lib.problems)
    return lib


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A content folder holding copies of one starter persona and scenario, to break."""
    (tmp_path / "personas").mkdir()
    (tmp_path / "scenarios").mkdir()
    for folder, name in (("personas", "dana-okafor"), ("scenarios", "cold-call-cold-chain")):
        text = (REPO / folder / f"{name}.yaml").read_text(encoding="utf-8")
        (tmp_path / folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh results store, made the default through TRAINER_STORE."""
    root = tmp_path / "store"
    monkeypatch.setenv("TRAINER_STORE", str(root))
    return root
