"""The behaviour switches (gworkflow/sandbox/behaviors.py): how they are set, and what each
value does, seen over HTTP with the real google-api-python-client.

Each switch stands for one item of docs/google-api-notes.md, "Not settled by public
evidence"; the comment above each test names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from googleapiclient.errors import HttpError
from support.sandbox_http import admin, error_body

from gworkflow.google.clients import GoogleClients, build_clients
from gworkflow.sandbox.behaviors import DEFAULTS, SWITCHES, BehaviorError
from gworkflow.sandbox.server import Sandbox


@pytest.fixture(scope="module")
def running() -> Iterator[tuple[Sandbox, GoogleClients]]:
    with Sandbox() as sandbox:
        yield sandbox, build_clients(None, sandbox.base_url)


@pytest.fixture
def sandbox(running: tuple[Sandbox, GoogleClients]) -> Sandbox:
    running[0].reset()
    return running[0]


@pytest.fixture
def clients(running: tuple[Sandbox, GoogleClients], sandbox: Sandbox) -> GoogleClients:
    return running[1]


# --- setting them ---------------------------------------------------------------------------


def test_the_admin_route_reads_merges_and_refuses_with_the_allowed_values(
    sandbox: Sandbox,
) -> None:
    assert admin(sandbox.base_url, "GET", "/_sandbox/behaviors") == (200, DEFAULTS)
    status, settings = admin(
        sandbox.base_url, "POST", "/_sandbox/behaviors", {"instances_time_min": "exclusive"}
    )
    assert status == 200
    assert settings == {**DEFAULTS, "instances_time_min": "exclusive"}
    status, answer = admin(
        sandbox.base_url, "POST", "/_sandbox/behaviors", {"conference_create": "later"}
    )
    assert status == 400
    assert answer["error"] == (
        "behavior conference_create cannot be 'later'; allowed: success, pending"
    )
    status, answer = admin(sandbox.base_url, "POST", "/_sandbox/behaviors", {"speed": "fast"})
    assert status == 400 and "unknown behavior 'speed'" in answer["error"]
    assert all(switch.name in answer["error"] for switch in SWITCHES)
    # A refused change changes nothing.
    assert admin(sandbox.base_url, "GET", "/_sandbox/behaviors")[1]["instances_time_min"] == (
        "exclusive"
    )
    assert admin(sandbox.base_url, "POST", "/_sandbox/reset")[0] == 200
    assert admin(sandbox.base_url, "GET", "/_sandbox/behaviors") == (200, DEFAULTS)


def test_the_constructor_sets_start_up_values_that_reset_keeps() -> None:
    with Sandbox(behaviors={"stale_revision_message": "generic"}) as box:
        box.set_behaviors(instances_time_min="exclusive")
        assert box.behaviors.get("instances_time_min") == "exclusive"
        box.reset()
        assert box.behaviors.to_json() == {**DEFAULTS, "stale_revision_message": "generic"}
    with pytest.raises(BehaviorError, match="allowed: shift, extend"):
        Sandbox(behaviors={"named_range_insert_at_start": "grow"})


def test_serve_takes_behavior_options_and_names_the_allowed_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gworkflow.cli.sandbox_cmd import sandbox as sandbox_group

    seen: dict[str, str] = {}

    def interrupted(self: Sandbox) -> None:
        seen.update(self.behaviors.to_json())
        raise KeyboardInterrupt

    monkeypatch.setattr(Sandbox, "serve_forever", interrupted)
    ok = CliRunner().invoke(
        sandbox_group,
        [
            "serve",
            "--port",
            "0",
            "--behavior",
            "conference_create=pending",
            "--behavior",
            "cancelled_instance_body=minimal",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert seen == {
        **DEFAULTS,
        "conference_create": "pending",
        "cancelled_instance_body": "minimal",
    }
    bad = CliRunner().invoke(sandbox_group, ["serve", "--behavior", "instances_time_min=open"])
    assert bad.exit_code == 2
    assert "allowed: inclusive, exclusive" in bad.output and "Traceback" not in bad.output
    unknown = CliRunner().invoke(sandbox_group, ["serve", "--behavior", "tempo"])
    assert unknown.exit_code == 2 and "is not KEY=VALUE" in unknown.output


# --- Docs -----------------------------------------------------------------------------------


def _doc_with_named_range(clients: GoogleClients) -> str:
    """A doc reading "abcdef" whose named range "mark" covers "bcd" (indexes 2 to 5)."""
    docs = clients.docs.documents()
    doc_id = str(docs.create(body={"title": "Edges"}).execute()["documentId"])
    requests = [
        {"insertText": {"text": "abcdef", "location": {"index": 1}}},
        {"createNamedRange": {"name": "mark", "range": {"startIndex": 2, "endIndex": 5}}},
    ]
    docs.batchUpdate(documentId=doc_id, body={"requests": requests}).execute()
    return doc_id


def _insert_and_read_range(clients: GoogleClients, doc_id: str, index: int) -> tuple[int, int]:
    docs = clients.docs.documents()
    insert = {"insertText": {"text": "XY", "location": {"index": index}}}
    docs.batchUpdate(documentId=doc_id, body={"requests": [insert]}).execute()
    doc = docs.get(documentId=doc_id).execute()
    (named,) = doc["namedRanges"]["mark"]["namedRanges"]
    (rng,) = named["ranges"]
    return rng["startIndex"], rng["endIndex"]


# Not settled: "Insertion at a named range's edge".
@pytest.mark.parametrize(("value", "expected"), [("shift", (4, 7)), ("extend", (2, 7))])
def test_named_range_insert_at_start(
    sandbox: Sandbox, clients: GoogleClients, value: str, expected: tuple[int, int]
) -> None:
    sandbox.set_behaviors(named_range_insert_at_start=value)
    doc_id = _doc_with_named_range(clients)
    assert _insert_and_read_range(clients, doc_id, 2) == expected


# Not settled: "Insertion at a named range's edge".
@pytest.mark.parametrize(("value", "expected"), [("exclude", (2, 5)), ("extend", (2, 7))])
def test_named_range_insert_at_end(
    sandbox: Sandbox, clients: GoogleClients, value: str, expected: tuple[int, int]
) -> None:
    sandbox.set_behaviors(named_range_insert_at_end=value)
    doc_id = _doc_with_named_range(clients)
    assert _insert_and_read_range(clients, doc_id, 5) == expected
    # Strictly inside grows it, strictly outside moves or leaves it, whatever the switches.
    assert _insert_and_read_range(clients, doc_id, 3) == (2, expected[1] + 2)


# Not settled: "Wording of the stale-revision 400".
@pytest.mark.parametrize(
    ("value", "wording"),
    [
        ("default", "does not match the latest revision"),
        ("alternate", "The document was modified since the requested revision."),
        ("generic", "Request contains an invalid argument."),
    ],
)
def test_stale_revision_message(
    sandbox: Sandbox, clients: GoogleClients, value: str, wording: str
) -> None:
    sandbox.set_behaviors(stale_revision_message=value)
    docs = clients.docs.documents()
    doc_id = str(docs.create(body={"title": "Stale"}).execute()["documentId"])
    read = docs.get(documentId=doc_id).execute()["revisionId"]
    insert = {"insertText": {"text": "theirs", "location": {"index": 1}}}
    docs.batchUpdate(documentId=doc_id, body={"requests": [insert]}).execute()
    stale = {"requests": [insert], "writeControl": {"requiredRevisionId": read}}
    with pytest.raises(HttpError) as caught:
        docs.batchUpdate(documentId=doc_id, body=stale).execute()
    body = error_body(caught.value)["error"]
    assert (caught.value.resp.status, body["status"]) == (400, "INVALID_ARGUMENT")
    assert wording in body["message"]
    assert ("revision" in body["message"]) == (value != "generic")


# Not settled: "revisionId after a batch that changes nothing".
@pytest.mark.parametrize("value", ["bumped", "unchanged"])
def test_revision_after_noop(sandbox: Sandbox, clients: GoogleClients, value: str) -> None:
    sandbox.set_behaviors(revision_after_noop=value)
    docs = clients.docs.documents()
    doc_id = str(docs.create(body={"title": "Noop"}).execute()["documentId"])
    insert = {"insertText": {"text": "plain", "location": {"index": 1}}}
    first = docs.batchUpdate(documentId=doc_id, body={"requests": [insert]}).execute()
    before = first["writeControl"]["requiredRevisionId"]
    # Not bold already: clearing bold changes nothing a reader can see.
    noop = {
        "updateTextStyle": {
            "range": {"startIndex": 1, "endIndex": 6},
            "textStyle": {},
            "fields": "bold",
        }
    }
    reply = docs.batchUpdate(documentId=doc_id, body={"requests": [noop]}).execute()
    after = reply["writeControl"]["requiredRevisionId"]
    assert docs.get(documentId=doc_id).execute()["revisionId"] == after
    assert (after == before) == (value == "unchanged")
    # A real change always gets a new revision.
    bold = {**noop["updateTextStyle"], "textStyle": {"bold": True}}
    changed = docs.batchUpdate(
        documentId=doc_id, body={"requests": [{"updateTextStyle": bold}]}
    ).execute()
    assert changed["writeControl"]["requiredRevisionId"] != after


# --- Calendar -------------------------------------------------------------------------------


def _monthly(calendar: Any, **extra: Any) -> dict[str, Any]:
    body = {
        "summary": "Check-in",
        "start": {"dateTime": "2027-01-12T14:00:00-06:00", "timeZone": "America/Chicago"},
        "end": {"dateTime": "2027-01-12T15:00:00-06:00", "timeZone": "America/Chicago"},
        "recurrence": ["RRULE:FREQ=MONTHLY;BYDAY=2TU"],
        **extra,
    }
    result: dict[str, Any] = calendar.events().insert(calendarId="primary", body=body).execute()
    return result


# Not settled in practice although documented: "timeMin is inclusive for instances,
# exclusive for list".
@pytest.mark.parametrize(("value", "expected"), [("inclusive", 1), ("exclusive", 0)])
def test_instances_time_min(
    sandbox: Sandbox, clients: GoogleClients, value: str, expected: int
) -> None:
    sandbox.set_behaviors(instances_time_min=value)
    events = clients.calendar.events()
    event = _monthly(clients.calendar)
    # The first meeting ends at 15:00 Chicago = 21:00Z; the next is in February.
    window = {"timeMin": "2027-01-12T21:00:00Z", "timeMax": "2027-02-01T00:00:00Z"}
    instances = events.instances(calendarId="primary", eventId=event["id"], **window).execute()
    assert len(instances["items"]) == expected
    listed = events.list(calendarId="primary", singleEvents=True, **window).execute()
    assert listed["items"] == []  # events.list stays exclusive


# Not settled: "How long a Meet request stays pending".
def test_conference_create_success_answers_with_the_link(
    sandbox: Sandbox, clients: GoogleClients
) -> None:
    event = _insert_meet(clients)
    assert event["conferenceData"]["createRequest"]["status"] == {"statusCode": "success"}
    assert event["hangoutLink"].startswith("https://meet.google.com/")


# Not settled: "How long a Meet request stays pending".
def test_conference_create_pending_shows_the_link_on_a_later_read(
    sandbox: Sandbox, clients: GoogleClients
) -> None:
    sandbox.set_behaviors(conference_create="pending")
    event = _insert_meet(clients)
    assert event["conferenceData"] == {
        "createRequest": {
            "requestId": "req-1",
            "conferenceSolutionKey": {"type": "hangoutsMeet"},
            "status": {"statusCode": "pending"},
        }
    }
    assert "hangoutLink" not in event
    later = clients.calendar.events().get(calendarId="primary", eventId=event["id"]).execute()
    assert later["conferenceData"]["createRequest"]["status"] == {"statusCode": "success"}
    assert later["hangoutLink"].startswith("https://meet.google.com/")


def _insert_meet(clients: GoogleClients) -> dict[str, Any]:
    body = {
        "summary": "Meet",
        "start": {"dateTime": "2027-01-12T14:00:00Z"},
        "end": {"dateTime": "2027-01-12T15:00:00Z"},
        "conferenceData": {
            "createRequest": {
                "requestId": "req-1",
                "conferenceSolutionKey": {"type": "hangoutsMeet"},
            }
        },
    }
    request = clients.calendar.events().insert(
        calendarId="primary", body=body, conferenceDataVersion=1
    )
    result: dict[str, Any] = request.execute()
    return result


# Not settled: "Fields of a cancelled instance".
@pytest.mark.parametrize("value", ["full", "minimal"])
def test_cancelled_instance_body(sandbox: Sandbox, clients: GoogleClients, value: str) -> None:
    sandbox.set_behaviors(cancelled_instance_body=value)
    events = clients.calendar.events()
    event = _monthly(clients.calendar, extendedProperties={"private": {"k": "v"}})
    skipped = f"{event['id']}_20270209T200000Z"
    events.patch(calendarId="primary", eventId=skipped, body={"status": "cancelled"}).execute()
    window = {"timeMin": "2027-02-01T00:00:00Z", "timeMax": "2027-03-01T00:00:00Z"}
    (item,) = events.instances(
        calendarId="primary", eventId=event["id"], showDeleted=True, **window
    ).execute()["items"]
    got = events.get(calendarId="primary", eventId=skipped).execute()
    listed = events.list(calendarId="primary", showDeleted=True).execute()["items"]
    exception = next(e for e in listed if e.get("recurringEventId"))
    guaranteed = {"id", "recurringEventId", "originalStartTime", "status"}
    for read in (item, got, exception):
        assert guaranteed <= set(read)
        assert read["originalStartTime"]["dateTime"] == "2027-02-09T14:00:00-06:00"
        if value == "minimal":
            assert set(read) == guaranteed | {"kind", "etag"}
        else:
            assert read["summary"] == "Check-in" and "start" in read
