"""The README's "JSON output" section is what the commands print: every command with --json
is documented there, and each documented shape matches the real output key by key."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.cli._reference import command_paths, resolve
from gworkflow.sandbox.people import People
from gworkflow.sandbox.server import Sandbox

README = Path(__file__).resolve().parents[2] / "README.md"
NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)
OPEN = "..."  # a documented object holding `"...": "..."` may hold more keys


def documented() -> dict[str, Any]:
    """Command ("event show") -> the JSON example under its heading in "JSON output"."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## JSON output") :]
    section = section[: section.index("\n## ", 1)]
    shapes: dict[str, Any] = {}
    for part in section.split("\n### ")[1:]:
        heading, _, body = part.partition("\n")
        example = re.search(r"```json\n(.*?)\n```", body, re.S)
        assert example, f"no JSON example under {heading!r}"
        shape = json.loads(example.group(1))
        for name in re.findall(r"`([^`]+)`", heading):
            shapes[name] = shape
    return shapes


def with_json_option() -> list[str]:
    found = []
    for path in command_paths(cli):
        command = resolve(cli, path)
        if not isinstance(command, click.Group) and any("--json" in p.opts for p in command.params):
            found.append(" ".join(path))
    return found


def test_every_command_with_json_is_documented() -> None:
    assert sorted(documented()) == sorted(with_json_option())


def same_shape(doc: Any, real: Any, where: str = "") -> None:
    if isinstance(doc, dict):
        assert isinstance(real, dict), f"{where}: {real!r} is not an object"
        keys = set(doc) - {OPEN}
        if OPEN in doc:
            assert keys <= set(real), f"{where}: lacks {keys - set(real)}"
        else:
            assert keys == set(real), f"{where}: documented {sorted(keys)}, real {sorted(real)}"
        for key in keys:
            same_shape(doc[key], real[key], f"{where}.{key}")
    elif isinstance(doc, list):
        assert isinstance(real, list), f"{where}: {real!r} is not a list"
        if doc and real:
            same_shape(doc[0], real[0], f"{where}[0]")
    elif doc is not None and real is not None:
        # Same JSON type; any two numbers match, but true/false is not a number.
        numbers = (int, float)
        both_numbers = isinstance(doc, numbers) and isinstance(real, numbers)
        if isinstance(doc, bool) or isinstance(real, bool) or not both_numbers:
            assert type(doc) is type(real), f"{where}: {real!r} is not like {doc!r}"


def test_each_documented_shape_is_the_real_one(
    sb: Sandbox, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "ZOOM_ACCOUNT_ID": "acct",
        "ZOOM_CLIENT_ID": "client",
        "ZOOM_CLIENT_SECRET": "secret",
        "ZOOM_OAUTH_BASE": sb.base_url + "/zoom",
        "ZOOM_API_BASE": sb.base_url + "/zoom/v2",
    }.items():
        monkeypatch.setenv(name, value)
    shapes = documented()
    seen: set[str] = set()

    def check(*args: str, exit_code: int = 0, name: str = "", google: bool = False) -> Any:
        # google=True: as a real user would run it, with no sandbox endpoint.
        app = App(api_endpoint="" if google else sb.base_url, clock=lambda: NOW)
        result = CliRunner().invoke(cli, [*args, "--json"], obj=app)
        assert result.exit_code == exit_code, result.output
        body = json.loads(result.stdout)
        name = name or " ".join(a for a in args if not a.startswith("-") and not a[0].isdigit())
        same_shape(shapes[name], body, name)
        seen.add(name)
        return body

    check("config", "check")
    doc_id = check("doc", "create")["doc_id"]
    check("doc", "share")
    check("zoom", "create")
    check("event", "create")
    check("event", "show")
    check("event", "update")
    check("schedule")
    check("agenda", "preview")
    check("run", "--now", "2026-12-02T12:00Z")
    check("agenda", "append")
    People(sb.base_url, doc_id).type_items("2026-12-08", ("Ruth", "Goals"), ["Submit the IRDL"])
    People(sb.base_url, doc_id).type_items(
        "2026-12-08", ("Ruth", "Upcoming Conferences"), ["ACRL 2027, 2027-04-07"]
    )
    body = check("goals")
    assert body["participants"][0]["goals"] and body["participants"][0]["conferences"]
    People(sb.base_url, doc_id).type_items(
        "2026-12-08", ("Ruth", "Achievements"), ["Presented the ACRL poster"]
    )
    assert check("achievements")[0]["text"] == "Presented the ACRL poster"
    check("doc", "show")
    check("event", "move", "2027-01-12", "--to", "2027-01-13T14:00")
    check("event", "skip", "2027-02-09")
    check("doctor")
    check("cron", "print")
    check("auth", "status", exit_code=3, google=True)  # nobody signed in to Google here
    check("demo", "--months", "1")
    check("weigh", "monthly 1h for 6 months", name="weigh")
    check("status")
    roster = config_file.parent / "roster.csv"
    roster.write_text(
        "id,schedule,timezone,participants\n"
        "ruth-heather,3rd Tuesday 14:00,America/Chicago,"
        "Ruth <ruth@example.edu> @America/New_York; Heather <heather@example.org>\n"
    )
    check("series", "import", str(roster), name="series import")
    check("selftest")
    assert seen == set(shapes)
