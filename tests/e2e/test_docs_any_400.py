"""A 400 to a revision-guarded section write, whatever its wording: gworkflow re-reads; a
moved revision means rebuild and retry, an unmoved one means report the 400.

Google documents the 400 for a stale requiredRevisionId but not its message
(docs/google-api-notes.md, "Wording of the stale-revision 400"). The sandbox's injected 400
says "Injected failure." (no "revision" in it), so these tests show that gworkflow does
not depend on the wording.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import googleapiclient.http
import pytest
from support import witness

from gworkflow.agenda.blocks import Block, BlockKind, Span
from gworkflow.errors import GoogleError
from gworkflow.google.clients import build_clients
from gworkflow.google.docs import RunningDoc
from gworkflow.sandbox.server import Sandbox

MARKER = "gworkflow:ruth-heather:2026-12-08"
BLOCKS = (
    Block(BlockKind.HEADING, (Span("Check-in (2026-12-08)"),), 1),
    Block(BlockKind.CHECKLIST, (Span("A goal"),), 0),
)
BATCH = "*:batchUpdate"


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(googleapiclient.http.time, "sleep", lambda _s: None)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


@pytest.fixture
def running(sandbox: Sandbox) -> RunningDoc:
    clients = build_clients(None, sandbox.base_url)
    return RunningDoc(clients.docs, clients.drive, sleep=lambda _s: None)


@pytest.fixture
def doc_id(running: RunningDoc) -> str:
    return str(running.create("Peer mentoring")["documentId"])


def typed(sandbox: Sandbox, doc_id: str, text: str) -> None:
    """Someone types a paragraph at the end (the revision moves)."""
    request = {"insertText": {"text": "\n" + text, "endOfSegmentLocation": {}}}
    sandbox.docs.batch_update(doc_id, {"requests": [request]})


def sections(sandbox: Sandbox, doc_id: str) -> int:
    doc = sandbox.docs.get(doc_id, include_tabs_content=True)
    return witness.marker_count(doc, "ruth-heather", dt.date(2026, 12, 8))


def test_a_400_without_the_word_revision_on_a_moved_doc_is_rebuilt_and_retried(
    sandbox: Sandbox, running: RunningDoc, doc_id: str
) -> None:
    copy = running.fetch(doc_id)
    typed(sandbox, doc_id, "A collaborator's line")
    # Google's answer to the stale write, worded without "revision".
    sandbox.faults.add("POST", BATCH, status=400)
    result = running.append_section(doc_id, None, "end", MARKER, BLOCKS, doc=copy)
    assert (result.written, result.attempts) == (True, 2)
    assert sections(sandbox, doc_id) == 1
    text = witness.all_text(sandbox.docs.get(doc_id, include_tabs_content=True))
    assert text.count("A collaborator's line") == 1


def test_a_400_on_a_doc_that_did_not_move_is_reported_after_one_re_read(
    sandbox: Sandbox, running: RunningDoc, doc_id: str
) -> None:
    sandbox.faults.add("POST", BATCH, status=400)
    sandbox.clear_requests()
    with pytest.raises(GoogleError) as caught:
        running.append_section(doc_id, None, "end", MARKER, BLOCKS)
    assert "answered 400" in caught.value.message and "Injected failure" in caught.value.message
    methods = [(e["method"], e["status"]) for e in sandbox.requests_log()]
    # read, the refused write, the re-read that shows the doc did not move; no second write
    assert methods == [("GET", 200), ("POST", 400), ("GET", 200)]
    assert sections(sandbox, doc_id) == 0


def test_a_400_to_an_unguarded_write_is_reported_at_once(
    sandbox: Sandbox, running: RunningDoc, doc_id: str
) -> None:
    # A doc answer without revisionId (no guard can be sent): nothing to compare, so the
    # 400 is about the request itself.
    doc = running.fetch(doc_id)
    doc.pop("revisionId", None)
    sandbox.faults.add("POST", BATCH, status=400)
    sandbox.clear_requests()
    with pytest.raises(GoogleError):
        running.append_section(doc_id, None, "end", MARKER, BLOCKS, doc=doc)
    assert [e["method"] for e in sandbox.requests_log()] == ["POST"]
