"""The daily run under injected faults: prints the table for the issue note.

Each row resets the sandbox, sets up a pair's doc (with text a person typed) and event,
injects one fault, runs `gworkflow run` once inside the agenda window, and counts the
sections written for the meeting (its markers and its dated headings, read from the doc's
JSON) and whether any earlier text is gone. The tests (tests/e2e/test_runner.py) assert
the same rows.

    python benchmarks/fault_table.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

# The scenarios drive the product and read the doc with the tests' witnesses: they live in
# tests/support, imported as `support.<module>` as the tests do.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support.scenarios import SCENARIOS, play

from gworkflow.sandbox.server import Sandbox


def main() -> None:
    print("| scenario | outcome | sections written | dated headings | content lost | API calls |")
    print("|---|---|---|---|---|---|")
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as workdir:
        for scenario in SCENARIOS:
            result = play(sandbox, scenario, Path(workdir))
            outcome = result.outcome if result.outcome != "failed" else f"failed: {result.message}"
            lost = "YES" if result.content_lost else "none"
            print(
                f"| {result.name} | {outcome} | {result.sections} | {result.headings} | {lost} "
                f"| {result.api_calls} |"
            )


if __name__ == "__main__":
    main()
