"""RunningDoc against the sandbox over real HTTP with the real Google client: one section per
meeting, whatever the network and the collaborators do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import googleapiclient.http
import pytest
from support import witness
from support.behaviors import STALE, sweep

from gworkflow.agenda.blocks import Block, BlockKind, Span
from gworkflow.errors import GoogleError, NotFound
from gworkflow.google.clients import build_clients
from gworkflow.google.docs import RunningDoc
from gworkflow.sandbox.server import Sandbox

MARKER = "gworkflow:ruth-heather:2026-12-08"
BLOCKS = (
    Block(BlockKind.HEADING, (Span("Check-in — Tuesday 8 December 2026 (2026-12-08)"),), 1),
    Block(BlockKind.HEADING, (Span("Ruth"),), 2),
    Block(BlockKind.CHECKLIST, (Span("Submit the "), Span("IRDL", bold=True)), 0),
    Block(BlockKind.CHECKLIST, (), 0),
)
BATCH = ":batchUpdate"
# What BLOCKS look like in the doc's JSON (see `written`).
WRITTEN = [
    ("Check-in — Tuesday 8 December 2026 (2026-12-08)", "HEADING_1", None, None, ""),
    ("Ruth", "HEADING_2", None, None, ""),
    ("Submit the IRDL", "NORMAL_TEXT", "checklist", 0, "IRDL"),
    ("", "NORMAL_TEXT", "checklist", 0, ""),
]


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    # execute(num_retries=...) sleeps up to seconds between retries; tests need not wait.
    monkeypatch.setattr(googleapiclient.http.time, "sleep", lambda _s: None)


@pytest.fixture
def sandbox(behaviors: dict[str, str]) -> Iterator[Sandbox]:
    with Sandbox(behaviors=behaviors) as sb:
        yield sb


@pytest.fixture
def running(sandbox: Sandbox) -> RunningDoc:
    clients = build_clients(None, sandbox.base_url)
    return RunningDoc(clients.docs, clients.drive, sleep=lambda _s: None)


@pytest.fixture
def doc_id(sandbox: Sandbox, running: RunningDoc) -> str:
    created = running.create("Peer mentoring")
    doc_id = str(created["documentId"])
    # Something the user typed, which must survive.
    running._docs.documents().batchUpdate(
        documentId=doc_id,
        body={"requests": [{"insertText": {"text": "Our notes", "location": {"index": 1}}}]},
    ).execute()
    sandbox.clear_requests()
    return doc_id


def calls(sandbox: Sandbox) -> list[tuple[str, str]]:
    out = []
    for entry in sandbox.requests_log():
        kind = "batchUpdate" if entry["path"].endswith(BATCH) else entry["method"]
        out.append((kind, str(entry["status"])))
    return out


def sections(sandbox: Sandbox, doc_id: str) -> int:
    """Sections written for the meeting: its markers, each with its dated Heading 1."""
    doc = sandbox.docs.get(doc_id, include_tabs_content=True)
    count = witness.marker_count(doc, "ruth-heather", dt.date(2026, 12, 8))
    assert witness.heading_count(doc, "(2026-12-08)") == count
    return count


def written(sandbox: Sandbox, doc_id: str) -> list[tuple[str, str, str | None, int | None, str]]:
    """The marked section's paragraphs: text, named style, list kind and level, bold text."""
    doc = sandbox.docs.get(doc_id, include_tabs_content=True)
    return [
        (p.text, p.style, witness.list_kind(doc, p), p.list_level, witness.bold_text(p))
        for p in witness.marked_paragraphs(doc, MARKER)
    ]


def body_text(sandbox: Sandbox, doc_id: str) -> str:
    return witness.all_text(sandbox.docs.get(doc_id, include_tabs_content=True))


def test_happy_path_is_one_read_and_one_write(
    sandbox: Sandbox, running: RunningDoc, doc_id: str
) -> None:
    result = running.append_section(doc_id, None, "end", MARKER, BLOCKS)
    assert (result.written, result.attempts) == (True, 1)
    assert calls(sandbox) == [("GET", "200"), ("batchUpdate", "200")]
    assert sections(sandbox, doc_id) == 1
    assert written(sandbox, doc_id) == WRITTEN
    assert body_text(sandbox, doc_id).startswith("Our notes\n")
    assert result.revision_id == sandbox.docs.get(doc_id, True)["revisionId"]


def test_a_doc_already_fetched_costs_no_second_read(
    sandbox: Sandbox, running: RunningDoc, doc_id: str
) -> None:
    doc = running.fetch(doc_id)
    sandbox.clear_requests()
    running.append_section(doc_id, "Tab 1", "top", MARKER, BLOCKS, doc=doc)
    assert calls(sandbox) == [("batchUpdate", "200")]
    assert body_text(sandbox, doc_id).endswith("Our notes\n")


def test_rerun_writes_nothing(sandbox: Sandbox, running: RunningDoc, doc_id: str) -> None:
    running.append_section(doc_id, None, "end", MARKER, BLOCKS)
    sandbox.clear_requests()
    result = running.append_section(doc_id, None, "end", MARKER, BLOCKS)
    assert (result.written, result.attempts) == (False, 0)
    assert calls(sandbox) == [("GET", "200")]
    assert sections(sandbox, doc_id) == 1


@sweep(*STALE)
def test_someone_typing_between_read_and_write_is_retried(
    sandbox: Sandbox, running: RunningDoc, doc_id: str
) -> None:
    sandbox.faults.add("POST", f"*{BATCH}", mode="concurrent_edit")
    result = running.append_section(doc_id, None, "end", MARKER, BLOCKS)
    assert (result.written, result.attempts) == (True, 2)
    assert calls(sandbox) == [
        ("GET", "200"),
        ("batchUpdate", "400"),  # stale revision: nothing applied
        ("GET", "200"),
        ("batchUpdate", "200"),
    ]
    assert sections(sandbox, doc_id) == 1
    assert written(sandbox, doc_id) == WRITTEN
    text = body_text(sandbox, doc_id)
    assert text.startswith("Our notes\n") and text.count("Submit the IRDL") == 1


def test_a_400_on_an_unchanged_doc_is_reported_not_retried(
    sandbox: Sandbox, running: RunningDoc, doc_id: str
) -> None:
    # Whatever the stale-revision 400 says, a 400 while the doc kept its revision is not a
    # stale revision: one re-read to tell, then the error.
    sandbox.faults.add("POST", f"*{BATCH}", status=400)
    with pytest.raises(GoogleError) as info:
        running.append_section(doc_id, None, "end", MARKER, BLOCKS)
    assert "could not add the agenda section" in info.value.message
    assert "answered 400" in info.value.message
    assert calls(sandbox) == [("GET", "200"), ("batchUpdate", "400"), ("GET", "200")]
    assert sections(sandbox, doc_id) == 0


def test_write_that_landed_but_answered_an_error_is_not_repeated(
    sandbox: Sandbox, running: RunningDoc, doc_id: str
) -> None:
    sandbox.faults.add("POST", f"*{BATCH}", mode="apply_then_fail", status=503)
    result = running.append_section(doc_id, None, "end", MARKER, BLOCKS)
    assert result.written is True
    assert sections(sandbox, doc_id) == 1
    assert body_text(sandbox, doc_id).count("Submit the IRDL") == 1


def test_write_that_landed_then_timed_out_for_good_is_found_on_reread(
    sandbox: Sandbox, running: RunningDoc, doc_id: str
) -> None:
    # Every retry by execute() fails too; the re-read must find our marker.
    sandbox.faults.add("POST", f"*{BATCH}", mode="apply_then_fail", status=503)
    sandbox.faults.add("POST", f"*{BATCH}", status=503, count=10)
    result = running.append_section(doc_id, None, "end", MARKER, BLOCKS)
    assert (result.written, result.attempts) == (True, 1)
    assert sections(sandbox, doc_id) == 1


def test_503_once_is_retried_by_the_client(
    sandbox: Sandbox, running: RunningDoc, doc_id: str
) -> None:
    sandbox.faults.add("POST", f"*{BATCH}", status=503)
    result = running.append_section(doc_id, None, "end", MARKER, BLOCKS)
    assert (result.written, result.attempts) == (True, 1)
    assert calls(sandbox) == [("GET", "200"), ("batchUpdate", "503"), ("batchUpdate", "200")]
    assert sections(sandbox, doc_id) == 1


def test_google_down_for_good_is_one_readable_error(
    sandbox: Sandbox, running: RunningDoc, doc_id: str
) -> None:
    sandbox.faults.add("POST", f"*{BATCH}", status=503, count=100)
    with pytest.raises(GoogleError) as info:
        running.append_section(doc_id, None, "end", MARKER, BLOCKS, max_attempts=2)
    assert doc_id in info.value.message and "\n" not in info.value.message
    assert sections(sandbox, doc_id) == 0


def test_deleted_doc_is_not_found(sandbox: Sandbox, running: RunningDoc, doc_id: str) -> None:
    sandbox.docs.delete(doc_id)
    with pytest.raises(NotFound) as info:
        running.append_section(doc_id, None, "end", MARKER, BLOCKS)
    assert doc_id in info.value.message and "doc create" in info.value.message


def test_lost_access_is_not_found(sandbox: Sandbox, running: RunningDoc, doc_id: str) -> None:
    sandbox.faults.add("GET", "/v1/documents/*", status=403)
    with pytest.raises(NotFound, match="share it with you"):
        running.fetch(doc_id)


def test_share_gives_each_participant_edit_access(
    sandbox: Sandbox, running: RunningDoc, doc_id: str
) -> None:
    running.share(doc_id, ["ruth@example.edu", "heather@example.org"], notify=False)
    listed = running._drive.permissions().list(fileId=doc_id, fields="*").execute()
    writers = {p.get("emailAddress") for p in listed["permissions"] if p.get("role") == "writer"}
    assert {"ruth@example.edu", "heather@example.org"} <= writers
