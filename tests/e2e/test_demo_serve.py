"""`gworkflow demo --serve` as a newcomer uses it: run it, copy the `export` line and the
commands it prints into another shell, type a goal in the doc, run the next month."""

from __future__ import annotations

import os
import queue
import shlex
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from gworkflow.sandbox.people import People

WAIT_SECONDS = 180  # the machine may be busy; the demo itself takes a few seconds


class ServedDemo:
    def __init__(self, tmp_path: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("GWORKFLOW_")}
        self.stdout = tmp_path / "demo.out"
        with self.stdout.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gworkflow", "demo", "--serve", "--months", "1"],
                stdout=out,
                stderr=subprocess.PIPE,
                text=True,
                env=self.env,
            )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.printed: list[str] = []

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("<exit>")

    def wait_for(self, prefix: str) -> str:
        while True:
            line = self.lines.get(timeout=WAIT_SECONDS)
            assert line != "<exit>", "\n".join(self.printed)
            self.printed.append(line)
            if line.strip().startswith(prefix):
                return line

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[ServedDemo]:
    served = ServedDemo(tmp_path)
    try:
        yield served
    finally:
        served.stop()


def printed_commands(lines: list[str]) -> list[list[str]]:
    """The `gworkflow ...` lines as printed (comments dropped), as argument lists."""
    return [
        shlex.split(line.split("#", 1)[0])
        for line in lines
        if line.strip().startswith("gworkflow ")
    ]


def test_the_printed_lines_run_against_the_demo(demo: ServedDemo) -> None:
    demo.wait_for("gworkflow doc show")
    export = next(line for line in demo.printed if line.strip().startswith("export "))
    env = dict(word.split("=", 1) for word in shlex.split(export)[1:])
    assert set(env) == {"GWORKFLOW_HOME", "GWORKFLOW_API_ENDPOINT"}
    home = Path(env["GWORKFLOW_HOME"])
    assert (home / "config.toml").exists()

    # The page the newcomer opens answers.
    view = next(line for line in demo.printed if "/view/documents/" in line).split()[-1]
    assert view.startswith(env["GWORKFLOW_API_ENDPOINT"] + "/view/documents/")
    with urllib.request.urlopen(view, timeout=30) as page:
        assert page.status == 200

    # Ruth types a new goal in the doc, as the page would (a Docs batchUpdate).
    doc_id = view.rsplit("/", 1)[-1]
    People(env["GWORKFLOW_API_ENDPOINT"], doc_id).type_items(
        "2026-12-08", ("Ruth", "Goals"), ["Book the room for the spring workshop"]
    )

    commands = printed_commands(demo.printed)
    assert [c[1] for c in commands] == ["goals", "agenda", "run", "doc"]
    outputs = {}
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-m", "gworkflow", *command[1:]],
            env={**demo.env, **env},
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS,
        )
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
        outputs[command[1]] = done.stdout

    assert "Book the room for the spring workshop" in outputs["goals"]
    assert "Submit the IRDL application" in outputs["goals"]
    next_key = commands[2][-1]  # `run --now` is on the way to the next meeting
    assert "appended the agenda for 2027-01-12" in outputs["run"]
    assert next_key.startswith("2027-01-")
    # The next month's section carries what was typed into the doc.
    section = outputs["doc"][outputs["doc"].index("(2027-01-12)") :]
    assert "Book the room for the spring workshop" in section

    demo.stop()
    assert demo.process.returncode is not None
    rest = []
    while (line := demo.lines.get(timeout=WAIT_SECONDS)) != "<exit>":
        rest.append(line)
    assert "Stopped; the demo's files are deleted." in rest
    assert not home.exists()
