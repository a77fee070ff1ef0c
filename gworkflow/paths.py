"""Where gworkflow keeps its files: one directory, `GWORKFLOW_HOME`.

It holds `config.toml`, `token.json` and the lock files of `gworkflow run`. By default it is
the platform's user config directory for "gworkflow"; tests point it at a temp dir.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

HOME_ENV = "GWORKFLOW_HOME"


def home_dir() -> Path:
    """The gworkflow home directory (not created here)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir("gworkflow", appauthor=False))


def default_config_path() -> Path:
    return home_dir() / "config.toml"


def token_path() -> Path:
    return home_dir() / "token.json"


def lock_path(series_id: str) -> Path:
    return home_dir() / f"run-{series_id}.lock"
