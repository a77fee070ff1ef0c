"""Where the sandbox used to answer differently from Google, and now answers as Google does,
seen over HTTP with the real google-api-python-client.

Every test names, in its docstring, the heading of docs/google-api-notes.md that states the
fact and its public source.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from support.sandbox_http import admin, client_as, error_body

from gworkflow.google.clients import GoogleClients, build_clients
from gworkflow.sandbox.faults import FaultError
from gworkflow.sandbox.graphemes import cluster_starts, snap_after_cluster
from gworkflow.sandbox.server import Sandbox

RUTH = "ruth@example.edu"
HEATHER = "heather@example.org"


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


def _event(**extra: Any) -> dict[str, Any]:
    return {
        "summary": "Check-in",
        "start": {"dateTime": "2027-01-12T14:00:00-06:00", "timeZone": "America/Chicago"},
        "end": {"dateTime": "2027-01-12T15:00:00-06:00", "timeZone": "America/Chicago"},
        "recurrence": ["RRULE:FREQ=MONTHLY;BYDAY=2TU"],
        **extra,
    }


# --- Calendar access ----------------------------------------------------------------------


def test_unknown_and_read_only_calendars_refuse_writes(
    sandbox: Sandbox, clients: GoogleClients
) -> None:
    """docs/google-api-notes.md, "Calendar access: 403 requiredAccessLevel or 404"."""
    events = clients.calendar.events()
    with pytest.raises(HttpError) as unknown:
        events.insert(calendarId="team@group.calendar.google.com", body=_event()).execute()
    assert unknown.value.resp.status == 404
    assert error_body(unknown.value)["error"]["errors"][0]["reason"] == "notFound"

    status, _ = admin(
        sandbox.base_url,
        "POST",
        "/_sandbox/calendars",
        {"id": "team@group.calendar.google.com", "access": "reader"},
    )
    assert status == 200
    assert events.list(calendarId="team@group.calendar.google.com").execute()["accessRole"] == (
        "reader"
    )
    with pytest.raises(HttpError) as read_only:
        events.insert(calendarId="team@group.calendar.google.com", body=_event()).execute()
    assert read_only.value.resp.status == 403
    assert error_body(read_only.value) == {
        "error": {
            "errors": [
                {
                    "domain": "calendar",
                    "reason": "requiredAccessLevel",
                    "message": "You need to have writer access to this calendar.",
                }
            ],
            "code": 403,
            "message": "You need to have writer access to this calendar.",
        }
    }
    sandbox.calendar.add_calendar("team@group.calendar.google.com", "writer")
    created = events.insert(calendarId="team@group.calendar.google.com", body=_event()).execute()
    # On a secondary calendar the calendar itself is the organizer.
    assert created["organizer"] == {"email": "team@group.calendar.google.com", "self": True}
    assert events.insert(calendarId="primary", body=_event()).execute()["status"] == "confirmed"
    bad = admin(sandbox.base_url, "POST", "/_sandbox/calendars", {"id": "x", "access": "boss"})
    assert bad[0] == 400 and "owner, writer, reader" in bad[1]["error"]


def test_instances_include_a_meeting_ending_at_time_min_and_list_does_not(
    sandbox: Sandbox, clients: GoogleClients
) -> None:
    """docs/google-api-notes.md, "timeMin is inclusive for instances, exclusive for list"
    (the default of the switch instances_time_min)."""
    events = clients.calendar.events()
    event = events.insert(calendarId="primary", body=_event()).execute()
    at_end = {"timeMin": "2027-01-12T15:00:00-06:00", "timeMax": "2027-01-31T00:00:00Z"}
    (instance,) = events.instances(calendarId="primary", eventId=event["id"], **at_end).execute()[
        "items"
    ]
    assert instance["start"]["dateTime"] == "2027-01-12T14:00:00-06:00"
    assert events.list(calendarId="primary", singleEvents=True, **at_end).execute()["items"] == []


# --- Docs: lists and grapheme clusters ------------------------------------------------------


def _doc(clients: GoogleClients, text: str) -> str:
    docs = clients.docs.documents()
    doc_id = str(docs.create(body={"title": "Fidelity"}).execute()["documentId"])
    insert = {"insertText": {"text": text, "location": {"index": 1}}}
    docs.batchUpdate(documentId=doc_id, body={"requests": [insert]}).execute()
    return doc_id


def _paragraphs(clients: GoogleClients, doc_id: str) -> list[dict[str, Any]]:
    doc = clients.docs.documents().get(documentId=doc_id).execute()
    return [item["paragraph"] for item in doc["body"]["content"] if "paragraph" in item]


def _bullets(doc_id: str, clients: GoogleClients, *ranges: tuple[int, int, str]) -> None:
    requests = [
        {
            "createParagraphBullets": {
                "range": {"startIndex": start, "endIndex": end},
                "bulletPreset": preset,
            }
        }
        for start, end, preset in ranges
    ]
    clients.docs.documents().batchUpdate(documentId=doc_id, body={"requests": requests}).execute()


def test_adjacent_bullets_with_the_same_preset_join_one_list(
    sandbox: Sandbox, clients: GoogleClients
) -> None:
    """docs/google-api-notes.md, "Adjacent bullets with the same preset join one list"."""
    # Paragraphs: one [1,5) two [5,9) three [9,15) four [15,20) five [20,25).
    doc_id = _doc(clients, "one\ntwo\nthree\nfour\nfive")
    _bullets(doc_id, clients, (1, 5, "BULLET_CHECKBOX"))
    _bullets(doc_id, clients, (5, 9, "BULLET_CHECKBOX"))  # right after: joins
    _bullets(doc_id, clients, (9, 15, "NUMBERED_DECIMAL_ALPHA_ROMAN"))  # other preset
    _bullets(doc_id, clients, (20, 25, "NUMBERED_DECIMAL_ALPHA_ROMAN"))  # "four" between
    lists = [p.get("bullet", {}).get("listId") for p in _paragraphs(clients, doc_id)]
    one, two, three, four, five = lists[:5]
    assert one == two and one is not None
    assert three not in (one, None)
    assert four is None and five not in (three, None)


def test_an_insertion_inside_a_grapheme_cluster_lands_after_it(
    sandbox: Sandbox, clients: GoogleClients
) -> None:
    """docs/google-api-notes.md, "Surrogate pairs and grapheme clusters" (rules-behavior:
    "the text is inserted immediately after the grapheme cluster")."""
    # "a😀b": the emoji is indexes 2-3; "é" written e + U+0301 is 5-6; a family emoji
    # (man ZWJ woman ZWJ girl) is 7-14; then the flags of France and Germany, 15-18, 19-22.
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    flags = "\U0001f1eb\U0001f1f7\U0001f1e9\U0001f1ea"
    text = "a\U0001f600be\u0301" + family + flags
    docs = clients.docs.documents()

    def insert_at(index: int) -> str:
        doc_id = _doc(clients, text)
        request = {"insertText": {"text": "|", "location": {"index": index}}}
        docs.batchUpdate(documentId=doc_id, body={"requests": [request]}).execute()
        (first, *_) = _paragraphs(clients, doc_id)
        return "".join(e["textRun"]["content"] for e in first["elements"]).rstrip("\n")

    assert insert_at(3) == "a\U0001f600|be\u0301" + family + flags
    assert insert_at(6) == "a\U0001f600be\u0301|" + family + flags
    assert insert_at(9) == "a\U0001f600be\u0301" + family + "|" + flags
    assert insert_at(17) == "a\U0001f600be\u0301" + family + flags[:2] + "|" + flags[2:]
    # At a boundary nothing moves: between the two flags.
    assert insert_at(19) == "a\U0001f600be\u0301" + family + flags[:2] + "|" + flags[2:]


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    ("text", "clusters"),
    [
        ("e\u0301a", ["e\u0301", "a"]),  # combining acute accent
        ("\U0001f44d\U0001f3fdx", ["\U0001f44d\U0001f3fd", "x"]),  # thumbs up, skin tone
        ("\u2764\ufe0f!", ["\u2764\ufe0f", "!"]),  # heart + variation selector 16
        ("1\ufe0f\u20e3", ["1\ufe0f\u20e3"]),  # keycap one
        ("\U0001f1eb\U0001f1f7\U0001f1e9", ["\U0001f1eb\U0001f1f7", "\U0001f1e9"]),  # flag + RI
        (
            "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
            ["\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"],
        ),  # the flag of Scotland: a tag sequence
        ("\u1100\u1161\u11a8\uac00", ["\u1100\u1161\u11a8", "\uac00"]),  # Hangul jamo L V T
        ("a\u200db", ["a\u200d", "b"]),  # ZWJ joins pictographs only
        ("\U0001f9d1\u200d\U0001f4bb", ["\U0001f9d1\u200d\U0001f4bb"]),  # technologist
        ("\u0915\u093f", ["\u0915\u093f"]),  # Devanagari ki: a spacing mark
        ("x\ny", ["x", "\n", "y"]),
    ],
)
def test_grapheme_clusters(text: str, clusters: list[str]) -> None:
    """docs/google-api-notes.md, "Surrogate pairs and grapheme clusters" (the clusters of
    Unicode UAX #29 that the standard library can tell)."""
    starts = [*cluster_starts(text), len(text)]
    assert [text[a:b] for a, b in itertools.pairwise(starts)] == clusters
    # Inside the first cluster (when it is longer than one code unit) moves to its end.
    first = _u16(clusters[0])
    assert all(snap_after_cluster(text, offset) == first for offset in range(1, first))
    assert snap_after_cluster(text, first) == first


# --- Drive ----------------------------------------------------------------------------------


def test_granting_owner_needs_transfer_ownership(sandbox: Sandbox, clients: GoogleClients) -> None:
    """docs/google-api-notes.md, "permissions.create and the owner role"."""
    doc_id = _doc(clients, "Mine")
    permissions = clients.drive.permissions()
    owner = {"role": "owner", "type": "user", "emailAddress": HEATHER}
    with pytest.raises(HttpError) as refused:
        permissions.create(fileId=doc_id, body=owner).execute()
    assert refused.value.resp.status == 403
    assert error_body(refused.value)["error"]["errors"][0] == {
        "domain": "global",
        "reason": "forbidden",
        "message": "The transferOwnership parameter must be enabled when the permission role "
        "is 'owner'.",
    }
    with pytest.raises(HttpError) as quiet:
        permissions.create(
            fileId=doc_id, body=owner, transferOwnership=True, sendNotificationEmail=False
        ).execute()
    assert quiet.value.resp.status == 400
    permissions.create(fileId=doc_id, body=owner, transferOwnership=True).execute()
    listed = permissions.list(fileId=doc_id, fields="*").execute()["permissions"]
    assert {p["emailAddress"]: p["role"] for p in listed} == {
        "you@example.com": "writer",
        HEATHER: "owner",
    }
    owners = clients.drive.files().get(fileId=doc_id, fields="owners").execute()["owners"]
    assert [o["emailAddress"] for o in owners] == [HEATHER]


# --- injected faults carry Google's bodies --------------------------------------------------


def test_a_docs_429_carries_the_error_info_detail(sandbox: Sandbox, clients: GoogleClients) -> None:
    """docs/google-api-notes.md, "Docs quotas and the 429 answer"."""
    doc_id = _doc(clients, "x")
    sandbox.faults.add("POST", "*:batchUpdate", status=429)
    insert = {"insertText": {"text": "y", "location": {"index": 1}}}
    with pytest.raises(HttpError) as write:
        clients.docs.documents().batchUpdate(
            documentId=doc_id, body={"requests": [insert]}
        ).execute()
    assert error_body(write.value) == {
        "error": {
            "code": 429,
            "message": "Quota exceeded for quota metric 'Write requests' and limit 'Write "
            "requests per minute per user' of service 'docs.googleapis.com' for consumer "
            "'project_number:0'.",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "RATE_LIMIT_EXCEEDED",
                    "domain": "googleapis.com",
                    "metadata": {
                        "consumer": "projects/0",
                        "quota_limit": "WriteRequestsPerMinutePerUser",
                        "quota_metric": "docs.googleapis.com/write_requests",
                        "service": "docs.googleapis.com",
                    },
                }
            ],
        }
    }
    sandbox.faults.add("GET", "/v1/documents/*", status=429)
    with pytest.raises(HttpError) as read:
        clients.docs.documents().get(documentId=doc_id).execute()
    body = error_body(read.value)["error"]
    assert "'Quota group for read operations'" in body["message"]
    assert body["details"][0]["metadata"]["quota_metric"] == "docs.googleapis.com/read_requests"


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        (403, None, ("global", "forbidden", "Forbidden")),
        (403, "rateLimitExceeded", ("usageLimits", "rateLimitExceeded", "Rate Limit Exceeded")),
        (
            403,
            "userRateLimitExceeded",
            ("usageLimits", "userRateLimitExceeded", "User Rate Limit Exceeded"),
        ),
        (429, None, ("usageLimits", "rateLimitExceeded", "Rate Limit Exceeded")),
        (500, None, ("global", "backendError", "Backend Error")),
    ],
)
def test_calendar_faults_carry_a_reason_google_sends(
    sandbox: Sandbox,
    clients: GoogleClients,
    status: int,
    reason: str | None,
    expected: tuple[str, str, str],
) -> None:
    """docs/google-api-notes.md, "Calendar error body" and "Rate limits: 403 and 429"."""
    sandbox.faults.add("GET", "/calendar/v3/*", status=status, reason=reason)
    with pytest.raises(HttpError) as caught:
        clients.calendar.events().list(calendarId="primary").execute()
    body = error_body(caught.value)["error"]
    domain, name, message = expected
    assert body == {
        "errors": [{"domain": domain, "reason": name, "message": message}],
        "code": status,
        "message": message,
    }


def test_faults_that_would_need_a_body_google_never_sends_are_refused(sandbox: Sandbox) -> None:
    """docs/google-api-notes.md, "Docs error body" and "Calendar error body": Docs 403s carry
    no reason, Docs has no 410, a Calendar 403 has one of its known reasons."""
    with pytest.raises(FaultError, match="carries reason none"):
        sandbox.faults.add("GET", "/v1/documents/*", status=403, reason="rateLimitExceeded")
    with pytest.raises(FaultError, match="never answers 410"):
        sandbox.faults.add("POST", "*:batchUpdate", status=410)
    with pytest.raises(FaultError, match="forbidden, rateLimitExceeded"):
        sandbox.faults.add("*", "/calendar/v3/*", status=403, reason="tooManyCoffees")
    status, answer = admin(
        sandbox.base_url,
        "POST",
        "/_sandbox/faults",
        {"path": "*/instances", "status": 429, "reason": "RATE_LIMIT_EXCEEDED"},
    )
    assert status == 400 and "rateLimitExceeded" in answer["error"]
    assert sandbox.faults.pending() == []


def test_a_502_is_the_front_ends_html_page(sandbox: Sandbox, clients: GoogleClients) -> None:
    """docs/google-api-notes.md, "execute(num_retries) retries what" (any 5xx is retried,
    whatever its body)."""
    sandbox.faults.add("GET", "/calendar/v3/*", status=502)
    with pytest.raises(HttpError) as caught:
        clients.calendar.events().list(calendarId="primary").execute()
    assert caught.value.resp.status == 502
    assert caught.value.resp["content-type"].startswith("text/html")
    assert b"Error 502" in caught.value.content


# --- a second participant's own calendar ----------------------------------------------------


@pytest.fixture
def pair(sandbox: Sandbox) -> tuple[Any, Any]:
    """Calendar clients for Ruth (the organizer) and Heather, both sandbox users."""
    for email in (RUTH, HEATHER):
        assert admin(sandbox.base_url, "POST", "/_sandbox/users", {"email": email})[0] == 200
    return (
        client_as(sandbox.base_url, "calendar", RUTH),
        client_as(sandbox.base_url, "calendar", HEATHER),
    )


def test_an_attendee_has_a_copy_with_the_same_id_and_none_of_the_private_properties(
    sandbox: Sandbox, pair: tuple[Any, Any]
) -> None:
    """docs/google-api-notes.md, "Attendees' copies and private extended properties" and
    "Attendees' copies: same event id"."""
    ruth, heather = pair
    body = _event(
        attendees=[{"email": RUTH}, {"email": HEATHER}, {"email": "ana@uni-a.edu"}],
        extendedProperties={"private": {"gworkflowSeries": "ruth-heather"}, "shared": {"s": "1"}},
    )
    event = ruth.events().insert(calendarId="primary", body=body).execute()
    assert event["organizer"] == {"email": RUTH, "self": True}

    copy = heather.events().get(calendarId="primary", eventId=event["id"]).execute()
    assert copy["id"] == event["id"] and copy["iCalUID"] == event["iCalUID"]
    assert copy["organizer"] == {"email": RUTH}
    assert copy["extendedProperties"] == {"shared": {"s": "1"}}
    assert [a.get("self", False) for a in copy["attendees"]] == [False, True, False]
    found = (
        heather.events()
        .list(calendarId="primary", privateExtendedProperty="gworkflowSeries=ruth-heather")
        .execute()
    )
    assert found["items"] == []
    instances = (
        heather.events()
        .instances(calendarId="primary", eventId=event["id"], maxResults=2)
        .execute()["items"]
    )
    assert [i["id"] for i in instances] == [
        f"{event['id']}_20270112T200000Z",
        f"{event['id']}_20270209T200000Z",
    ]
    # The organizer's later change shows in the copy.
    ruth.events().patch(
        calendarId="primary", eventId=event["id"], body={"summary": "Moved"}
    ).execute()
    assert (
        heather.events().get(calendarId="primary", eventId=event["id"]).execute()["summary"]
        == "Moved"
    )
    # The same id in Heather's calendar is taken by her copy.
    with pytest.raises(HttpError) as taken:
        heather.events().insert(calendarId="primary", body={**body, "id": event["id"]}).execute()
    assert taken.value.resp.status == 409


def test_an_attendee_sets_only_what_is_theirs(sandbox: Sandbox, pair: tuple[Any, Any]) -> None:
    """docs/google-api-notes.md, "Attendees' copies and private extended properties"."""
    ruth, heather = pair
    body = _event(
        attendees=[{"email": HEATHER}],
        extendedProperties={"private": {"gworkflowSeries": "ruth-heather"}},
    )
    event_id = ruth.events().insert(calendarId="primary", body=body).execute()["id"]
    mine = {"extendedProperties": {"private": {"heathers": "note"}}}
    heather.events().patch(calendarId="primary", eventId=event_id, body=mine).execute()
    assert heather.events().get(calendarId="primary", eventId=event_id).execute()[
        "extendedProperties"
    ] == {"private": {"heathers": "note"}}
    assert ruth.events().get(calendarId="primary", eventId=event_id).execute()[
        "extendedProperties"
    ] == {"private": {"gworkflowSeries": "ruth-heather"}}
    with pytest.raises(HttpError) as shared:
        heather.events().patch(
            calendarId="primary", eventId=event_id, body={"guestsCanModify": True}
        ).execute()
    assert shared.value.resp.status == 403
    assert error_body(shared.value)["error"]["errors"][0]["reason"] == "forbiddenForNonOrganizer"
    with pytest.raises(HttpError) as summary:
        heather.events().patch(
            calendarId="primary", eventId=event_id, body={"summary": "Mine now"}
        ).execute()
    assert summary.value.resp.status == 501  # said plainly: not emulated
    heather.events().delete(calendarId="primary", eventId=event_id).execute()
    assert (
        heather.events().get(calendarId="primary", eventId=event_id).execute()["status"]
        == "cancelled"
    )
    assert (
        ruth.events().get(calendarId="primary", eventId=event_id).execute()["status"] == "confirmed"
    )


def test_the_acting_user_is_chosen_by_header_or_admin_route(
    sandbox: Sandbox, clients: GoogleClients, pair: tuple[Any, Any]
) -> None:
    """docs/google-api-notes.md, "Attendees' copies and private extended properties": each
    user has a calendar of their own, "primary" is the caller's."""
    ruth, _ = pair
    ruth.events().insert(calendarId="primary", body=_event(summary="Ruth's")).execute()
    assert clients.calendar.events().list(calendarId="primary").execute()["items"] == []
    assert admin(sandbox.base_url, "POST", "/_sandbox/act-as", {"email": RUTH}) == (
        200,
        {"email": RUTH},
    )
    items = clients.calendar.events().list(calendarId="primary").execute()["items"]
    assert [i["summary"] for i in items] == ["Ruth's"]
    about = clients.drive.about().get(fields="user(emailAddress)").execute()
    assert about == {"user": {"emailAddress": RUTH}}
    # Another user's primary calendar is not visible unless shared.
    with pytest.raises(HttpError) as hidden:
        client_as(sandbox.base_url, "calendar", HEATHER).events().list(calendarId=RUTH).execute()
    assert hidden.value.resp.status == 404
    assert admin(sandbox.base_url, "POST", "/_sandbox/act-as", {"email": None})[1] == {
        "email": "sandbox-user@example.com"
    }


def test_users_calendars_and_copies_survive_a_restart(tmp_path: Any) -> None:
    """docs/google-api-notes.md, "Calendar access: 403 requiredAccessLevel or 404" and
    "Attendees' copies and private extended properties", across `serve --state`."""
    state = tmp_path / "state.json"
    with Sandbox(state_file=state) as first:
        first.calendar.add_user(HEATHER)
        ruth = client_as(first.base_url, "calendar", RUTH)
        event = (
            ruth.events()
            .insert(calendarId="primary", body=_event(attendees=[{"email": HEATHER}]))
            .execute()
        )
    with Sandbox(state_file=state) as second:
        heather = client_as(second.base_url, "calendar", HEATHER)
        copy = heather.events().get(calendarId="primary", eventId=event["id"]).execute()
        assert copy["organizer"] == {"email": RUTH}
        with pytest.raises(HttpError) as hidden:
            heather.events().list(calendarId=RUTH).execute()
        assert hidden.value.resp.status == 404
        with pytest.raises(HttpError) as default_user:
            build_clients(None, second.base_url).calendar.events().list(
                calendarId=HEATHER
            ).execute()
        assert default_user.value.resp.status == 404
