"""CI: run `gworkflow selftest` against a fresh sandbox; fail when any probe fails.

Starts the sandbox in this process on a free port, gives gworkflow a throwaway
GWORKFLOW_HOME with the example config, runs the real `gworkflow selftest` command next to
this Python (the installed one) and exits with its exit code, after printing its table.
Lives outside the package: the product never imports the sandbox except in `demo` and
`sandbox serve`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from gworkflow.config import EXAMPLE_CONFIG
from gworkflow.sandbox.server import Sandbox


def main() -> int:
    gworkflow = Path(sys.executable).with_name("gworkflow")
    with tempfile.TemporaryDirectory() as home, Sandbox() as sandbox:
        (Path(home) / "config.toml").write_text(EXAMPLE_CONFIG, encoding="utf-8")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GWORKFLOW_")},
            "GWORKFLOW_HOME": home,
            "GWORKFLOW_API_ENDPOINT": sandbox.base_url,
        }
        return subprocess.run([str(gworkflow), "selftest", *sys.argv[1:]], env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
