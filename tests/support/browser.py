"""A headless Chromium for the tests that drive the sandbox's doc view like a person.

The browser is the distribution's Chromium (`apt-get install -y chromium
fonts-noto-color-emoji`), driven by Playwright's Python package; `playwright install` is
never needed (it downloads its own browser). Missing Chromium is a failure with the fix in
the message, not a skip: a browser test that silently skips tests nothing. Only an explicit
GWORKFLOW_SKIP_BROWSER=1 skips them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / ".ci" / "artifacts"
INSTALL_HINT = "install chromium: apt-get install -y chromium fonts-noto-color-emoji"
# Read at import: the autouse isolated_home fixture drops every GWORKFLOW_* variable.
SKIP_REQUESTED = os.environ.get("GWORKFLOW_SKIP_BROWSER") == "1"
# No first-run UI, no background traffic: the browser talks to the local sandbox only.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in ("chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def require_chromium() -> str:
    """The Chromium executable; fails the test (skips only on GWORKFLOW_SKIP_BROWSER=1)."""
    if SKIP_REQUESTED:
        pytest.skip("GWORKFLOW_SKIP_BROWSER=1: browser tests skipped on request")
    path = chromium_path()
    if path is None:
        pytest.fail(f"Chromium is missing; {INSTALL_HINT}", pytrace=False)
    return path


def launch(playwright: Any, executable: str) -> Any:
    """A headless Chromium through Playwright, from the system's executable."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
