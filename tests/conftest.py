"""Fixtures every test shares: an isolated GWORKFLOW_HOME, a written config file, and the
session's sandbox (`sb`, emptied before each test and set to the test's `behaviors`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gworkflow.config import EXAMPLE_CONFIG
from gworkflow.sandbox.server import Sandbox


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point GWORKFLOW_HOME at a temp dir and drop any GWORKFLOW_* setting of the caller."""
    import os

    for name in list(os.environ):
        if name.startswith("GWORKFLOW_") or name.startswith("ZOOM_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("GWORKFLOW_HOME", str(home))
    return home


@pytest.fixture
def config_file(isolated_home: Path) -> Path:
    """The README's example config, written where gworkflow looks by default."""
    path = isolated_home / "config.toml"
    path.write_text(EXAMPLE_CONFIG, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Sandbox]:
    """One sandbox for the session; `sb` empties it before each test that uses it."""
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def behaviors() -> dict[str, str]:
    """The sandbox's behaviour switches for this test: {} (Google's most likely answers)
    unless the test is swept over them with `support.behaviors.sweep`."""
    return {}


@pytest.fixture
def sb(sandbox_server: Sandbox, behaviors: dict[str, str]) -> Sandbox:
    sandbox_server.reset()
    sandbox_server.set_behaviors(**behaviors)
    return sandbox_server
