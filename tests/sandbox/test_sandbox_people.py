"""People typing in a doc through the sandbox's `POST /_sandbox/documents/{id}:type` route:
found by literal headings, applied as a real batchUpdate, refused plainly when not there."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from support import witness
from support.docbuilder import DocBuilder

from gworkflow.sandbox.people import People, TypingError
from gworkflow.sandbox.server import Sandbox

MARKER = "gworkflow:ruth-heather:2026-12-08"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as box:
        yield box


def two_months(tabs: bool = False) -> dict[str, Any]:
    """December's section (marked) and January's, as the default template lays them out."""
    doc = DocBuilder()
    doc.add("NORMAL_TEXT", "Our running notes")
    december = doc.rows(
        [
            ("HEADING_1", "Check-in — Tuesday 8 December 2026 (2026-12-08)"),
            ("HEADING_2", "Ruth"),
            ("HEADING_3", "Goals"),
            ("NORMAL_TEXT", "", "checklist"),
            ("HEADING_3", "Upcoming Conferences"),
            ("NORMAL_TEXT", "", "bullet"),
            ("HEADING_2", "Heather"),
            ("HEADING_3", "Goals"),
            ("NORMAL_TEXT", "Finish the OER report", "checklist"),
            ("NORMAL_TEXT", "Plan the workshop", "checklist"),
        ]
    )
    doc.mark(MARKER, *december)
    doc.rows(
        [
            ("HEADING_1", "Check-in — Tuesday 12 January 2027 (2027-01-12)"),
            ("HEADING_2", "Ruth"),
            ("HEADING_3", "Goals"),
            ("NORMAL_TEXT", "", "checklist"),
        ]
    )
    return doc.build(tabs=tabs)


def post(sandbox: Sandbox, path: str, body: Any) -> tuple[int, Any]:
    request = urllib.request.Request(
        sandbox.base_url + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def seeded(sandbox: Sandbox, doc: dict[str, Any] | None = None) -> str:
    doc_id = sandbox.docs.seed(doc if doc is not None else two_months())
    sandbox.clear_requests()
    return doc_id


def test_typing_into_the_empty_item_fills_it_and_is_one_logged_batch_update(
    sandbox: Sandbox,
) -> None:
    doc_id = seeded(sandbox)
    before = sandbox.docs.get(doc_id, True)
    (_, _, marker_end) = witness.markers(before)[0]

    status, reply = post(
        sandbox,
        f"/_sandbox/documents/{doc_id}:type",
        {
            "section": "2026-12-08",
            "heading_path": ["Ruth", "Goals"],
            "action": "append_items",
            "items": ["Submit the IRDL application", "Draft the survey"],
        },
    )

    assert status == 200 and reply["documentId"] == doc_id
    after = sandbox.docs.get(doc_id, True)
    assert witness.text_under(after, "2026-12-08", ("Ruth", "Goals")) == [
        "Submit the IRDL application",
        "Draft the survey",
    ]
    typed = [p for p in witness.paragraphs(after) if p.text.startswith(("Submit", "Draft"))]
    assert [witness.list_kind(after, p) for p in typed] == ["checklist", "checklist"]
    # January's section and Heather's goals are untouched.
    assert witness.text_under(after, "2027-01-12", ("Ruth", "Goals")) == [""]
    assert witness.text_under(after, "2026-12-08", ("Heather", "Goals")) == [
        "Finish the OER report",
        "Plan the workshop",
    ]
    # A real edit: a new revision, the section's marker grew with the text typed inside it.
    assert after["revisionId"] != before["revisionId"]
    assert reply["writeControl"]["requiredRevisionId"] == after["revisionId"]
    typed_units = len("Submit the IRDL application\nDraft the survey")
    assert witness.markers(after)[0][2] == marker_end + typed_units
    assert [(e["method"], e["path"], e["status"]) for e in sandbox.requests_log()] == [
        ("POST", f"/v1/documents/{doc_id}:batchUpdate", 200)
    ]


def test_typing_after_a_filled_item_starts_a_new_item_of_the_same_list(
    sandbox: Sandbox,
) -> None:
    doc_id = seeded(sandbox)
    People(sandbox.base_url, doc_id).type_items("2026-12-08", ["Heather", "Goals"], ["Send CFP"])
    doc = sandbox.docs.get(doc_id, True)
    assert witness.text_under(doc, "2026-12-08", ("Heather", "Goals")) == [
        "Finish the OER report",
        "Plan the workshop",
        "Send CFP",
    ]
    items = [p for p in witness.paragraphs(doc) if p.list_id is not None]
    send, plan = next(p for p in items if p.text == "Send CFP"), items[-3]
    assert plan.text == "Plan the workshop" and send.list_id == plan.list_id


def test_mark_done_types_the_mark_before_the_item(sandbox: Sandbox) -> None:
    doc_id = seeded(sandbox)
    people = People(sandbox.base_url, doc_id)
    people.mark_done("2026-12-08", ("Heather", "Goals"), "Plan the workshop")
    people.mark_done("2026-12-08", ("Heather", "Goals"), "Finish the OER report", mark="[x] ")
    doc = sandbox.docs.get(doc_id, True)
    assert witness.text_under(doc, "2026-12-08", ("Heather", "Goals")) == [
        "[x] Finish the OER report",
        "✅ Plan the workshop",
    ]


def test_the_heading_path_is_literal(sandbox: Sandbox) -> None:
    doc_id = seeded(sandbox)
    people = People(sandbox.base_url, doc_id)
    before = sandbox.docs.get(doc_id, True)
    # "Ruth" alone has no list of its own; "Goals" alone is inside a person's heading.
    for path in (["Ruth"], ["Goals"], ["ruth", "goals"], ["Ruth", "Goals", "More"]):
        with pytest.raises(TypingError, match="404: no list under"):
            people.type_items("2026-12-08", path, ["x"])
    assert sandbox.docs.get(doc_id, True) == before


def test_a_place_that_is_not_there_is_refused_and_nothing_changes(sandbox: Sandbox) -> None:
    doc_id = seeded(sandbox)
    before = sandbox.docs.get(doc_id, True)
    route = f"/_sandbox/documents/{doc_id}:type"
    goals = {"heading_path": ["Ruth", "Goals"], "action": "append_items", "items": ["x"]}
    cases = [
        ({**goals, "section": "2027-03-09"}, 404, "no Heading 1 containing '2027-03-09'"),
        ({**goals, "section": "Check-in"}, 409, "2 Heading 1 paragraphs contain 'Check-in'"),
        (
            {**goals, "section": "2026-12-08", "action": "mark_done", "match": "Nope"},
            404,
            "no item 'Nope' under Ruth > Goals",
        ),
        ({**goals, "section": "2026-12-08", "tab": "2026"}, 404, "no tab titled or with id"),
        ({**goals, "section": "2026-12-08", "action": "delete"}, 400, "action: one of"),
        ({**goals, "section": "2026-12-08", "items": []}, 400, "items: a non-empty list"),
        ({**goals, "section": "2026-12-08", "items": ["a\nb"]}, 400, "items: one line each"),
        ({**goals, "section": "2026-12-08", "heading_path": "Ruth"}, 400, "heading_path:"),
        ({**goals, "section": ""}, 400, "section:"),
        (["not", "an", "object"], 400, "POST a JSON object"),
    ]
    for body, status, message in cases:
        got_status, answer = post(sandbox, route, body)
        assert (got_status, message in answer["error"]) == (status, True), (body, answer)
    assert post(sandbox, "/_sandbox/documents/nope:type", {**goals, "section": "x"})[0] == 404
    assert sandbox.docs.get(doc_id, True) == before
    assert sandbox.requests_log() == []


def test_the_client_raises_with_the_sandbox_message(sandbox: Sandbox) -> None:
    people = People(sandbox.base_url, seeded(sandbox))
    with pytest.raises(TypingError) as info:
        people.type_items("2030-01-01", ("Ruth", "Goals"), ["x"])
    assert str(info.value) == "404: no Heading 1 containing '2030-01-01'"


def test_typing_is_never_faulted_but_does_change_the_revision(sandbox: Sandbox) -> None:
    """Faults are for gworkflow's calls: a person's typing neither consumes nor suffers
    one, yet a write gworkflow prepared on the older revision is refused afterwards."""
    doc_id = seeded(sandbox)
    read = sandbox.docs.get(doc_id, True)
    sandbox.faults.add("POST", "*:batchUpdate", status=503)
    People(sandbox.base_url, doc_id).type_items("2027-01-12", ("Ruth", "Goals"), ["Read a book"])
    assert len(sandbox.faults.pending()) == 1
    sandbox.faults.clear()
    stale = {
        "requests": [{"insertText": {"endOfSegmentLocation": {}, "text": "late"}}],
        "writeControl": {"requiredRevisionId": read["revisionId"]},
    }
    status, answer = post(sandbox, f"/v1/documents/{doc_id}:batchUpdate", stale)
    assert status == 400 and "revision" in answer["error"]["message"]


def test_a_named_tab_is_typed_in(sandbox: Sandbox) -> None:
    notes = DocBuilder()
    notes.add("NORMAL_TEXT", "Nothing dated here")
    doc = notes.build(tabs=True)
    year = two_months(tabs=True)["tabs"][0]
    year["tabProperties"] = {"tabId": "t.year", "title": "2026", "index": 1}
    doc["tabs"].append(year)
    doc_id = seeded(sandbox, doc)
    body = {
        "section": "2027-01-12",
        "heading_path": ["Ruth", "Goals"],
        "action": "append_items",
        "items": ["Read a book"],
    }
    route = f"/_sandbox/documents/{doc_id}:type"
    assert post(sandbox, route, body)[0] == 404  # the first tab by default
    assert post(sandbox, route, {**body, "tab": "2026"})[0] == 200
    after = sandbox.docs.get(doc_id, True)
    assert witness.text_under(after, "2027-01-12", ("Ruth", "Goals"), "2026") == ["Read a book"]
    assert witness.all_text(after) == "Nothing dated here\n"
