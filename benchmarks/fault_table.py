"""The daily run under injected faults: prints the table for the issue note.

Each row resets the sandbox, sets up a pair's doc (with text a person typed) and event,
injects one fault, runs `gworkflow run` once inside the agenda window, and counts the
sections written for the meeting (its markers and its dated headings, read from the doc's
JSON) and whether any earlier text is gone, and how long the run took. The rows below
"the event was deleted" stand a misbehaving proxy between gworkflow and the sandbox (bytes
that are not HTTP, a captive portal, a body cut short, silence) or point the run at a port
nobody listens on. The tests (tests/e2e/test_runner.py) assert the same rows.

    python benchmarks/fault_table.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

# The scenarios drive the product and read the doc with the tests' witnesses: they live in
# tests/support, imported as `support.<module>` as the tests do.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support.scenarios import ALL_SCENARIOS, play

from gworkflow.sandbox.server import Sandbox


def main() -> None:
    print(
        "| scenario | outcome | sections written | dated headings | content lost | API calls "
        "| seconds |"
    )
    print("|---|---|---|---|---|---|---|")
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as workdir:
        for scenario in ALL_SCENARIOS:
            result = play(sandbox, scenario, Path(workdir))
            outcome = result.outcome if result.outcome != "failed" else f"failed: {result.message}"
            lost = "YES" if result.content_lost else "none"
            print(
                f"| {result.name} | {outcome} | {result.sections} | {result.headings} | {lost} "
                f"| {result.api_calls} | {result.seconds:.1f} |"
            )


if __name__ == "__main__":
    main()
