"""Participants change: someone joins or leaves the series. `doc share` gives the newcomer
the doc, `event update` shows each change as old → new and offers to share, and `doctor`
names what differs between the config, the doc's sharing and the event's attendees."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.gw import gworkflow, json_of, set_up

from gworkflow.errors import ExitCode
from gworkflow.sandbox.server import Sandbox

pytestmark = pytest.mark.usefixtures("config_file")

ANA = """
[[series.participants]]
name = "Ana"
email = "ana@example.net"
timezone = "Europe/Lisbon"
"""


def ana_joins(config_file: Path) -> None:
    config_file.write_text(config_file.read_text() + ANA)


def heather_leaves(config_file: Path) -> None:
    text = config_file.read_text()
    heather = text.index('[[series.participants]]\nname = "Heather"')
    config_file.write_text(text[:heather])


def writers(sb: Sandbox, doc_id: str) -> set[str]:
    return {p["emailAddress"] for p in sb.drive.permissions.get(doc_id, [])}


def test_doc_share_gives_the_newcomer_the_doc_and_says_who_had_it(
    sb: Sandbox, config_file: Path
) -> None:
    doc_id = set_up(sb.base_url)
    ana_joins(config_file)
    dry = gworkflow("doc", "share", "--dry-run", endpoint=sb.base_url)
    assert dry.exit_code == 0
    assert "Would share (as writers, dry run) with: ana@example.net" in dry.stdout
    assert "ana@example.net" not in writers(sb, doc_id)
    result = gworkflow("doc", "share", endpoint=sb.base_url)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Shared (as writers) with: ana@example.net",
        "Already have access: ruth@example.edu, heather@example.org",
    ]
    assert "ana@example.net" in writers(sb, doc_id)
    again = gworkflow("doc", "share", "--json", endpoint=sb.base_url)
    assert json_of(again)["shared_with"] == []
    assert "nothing to do" in gworkflow("doc", "share", endpoint=sb.base_url).stdout


def test_event_update_dry_run_shows_each_change_old_to_new(sb: Sandbox, config_file: Path) -> None:
    set_up(sb.base_url)
    ana_joins(config_file)
    config_file.write_text(
        config_file.read_text().replace(
            'title = "Peer mentoring check-in"', 'title = "Peer mentoring trio"'
        )
    )
    result = gworkflow("event", "update", "--dry-run", endpoint=sb.base_url)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Would change: attendees, description, summary (dry run)",
        "  attendees: ruth@example.edu, heather@example.org → ruth@example.edu, "
        "heather@example.org, ana@example.net",
        "  description: 'Peer mentoring check-in: 2nd Tuesday of every month at 14:00 "
        "(America/Chicago).' → 'Peer mentoring trio: 2nd Tuesday of every month at 14:00 "
        "(America/Chicago).'",
        "  summary: 'Peer mentoring check-in' → 'Peer mentoring trio'",
    ]
    assert "Would offer to share the running doc with ana@example.net." in lines
    body = json_of(gworkflow("event", "update", "--dry-run", "--json", endpoint=sb.base_url))
    assert body["changes"]["summary"] == {
        "old": "Peer mentoring check-in",
        "new": "Peer mentoring trio",
    }


def test_event_update_without_a_terminal_says_to_share_the_doc(
    sb: Sandbox, config_file: Path
) -> None:
    doc_id = set_up(sb.base_url)
    ana_joins(config_file)
    result = gworkflow("event", "update", "--no-invites", endpoint=sb.base_url)
    assert result.exit_code == 0, result.output
    assert "Updated: attendees" in result.stdout
    assert (
        "ana@example.net may not be able to open the running doc: run `gworkflow doc share`."
        in result.stdout
    )
    assert "ana@example.net" not in writers(sb, doc_id)


def test_event_update_at_a_terminal_offers_to_share_the_doc(
    sb: Sandbox, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc_id = set_up(sb.base_url)
    ana_joins(config_file)
    monkeypatch.setattr("gworkflow.cli._common.stdin_is_tty", lambda: True)
    result = gworkflow("event", "update", "--no-invites", endpoint=sb.base_url, input="y\n")
    assert result.exit_code == 0, result.output
    assert "Share the running doc with ana@example.net too?" in result.stderr
    assert "Shared the running doc (as writers) with ana@example.net." in result.stdout
    assert "ana@example.net" in writers(sb, doc_id)


def test_doctor_names_a_newcomer_missing_from_the_doc_and_the_event(
    sb: Sandbox, config_file: Path
) -> None:
    set_up(sb.base_url)
    ana_joins(config_file)
    result = gworkflow("doctor", endpoint=sb.base_url)
    assert result.exit_code == ExitCode.FAILED
    line = next(x for x in result.stdout.splitlines() if "] ruth-heather: participants:" in x)
    assert line == (
        "[FAIL] ruth-heather: participants: the doc is not shared (as writer) with "
        "ana@example.net; the event does not invite ana@example.net"
    )
    assert "fix: run `gworkflow doc share` and `gworkflow event update`" in result.stdout
    assert gworkflow("doc", "share", endpoint=sb.base_url).exit_code == 0
    assert gworkflow("event", "update", "--no-invites", endpoint=sb.base_url).exit_code == 0
    healed = gworkflow("doctor", endpoint=sb.base_url)
    assert "[ok  ] ruth-heather: participants: the config's 3 participants match" in healed.stdout


def test_doctor_names_someone_who_left_but_is_still_invited(sb: Sandbox, config_file: Path) -> None:
    set_up(sb.base_url)
    heather_leaves(config_file)
    result = gworkflow("doctor", endpoint=sb.base_url)
    line = next(x for x in result.stdout.splitlines() if "] ruth-heather: participants:" in x)
    assert "the event invites heather@example.org, who is not in the config" in line
    assert "the doc is also shared with heather@example.org" in line
