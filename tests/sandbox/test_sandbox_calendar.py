"""The Calendar v3 emulator engine: recurrence in the event's zone, exceptions, filters,
paging, conference data and Google's error answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from gworkflow.sandbox.calendar import CalendarStore
from gworkflow.sandbox.errors import ApiError

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"


@pytest.fixture
def store() -> CalendarStore:
    return CalendarStore(clock=lambda: NOW)


def monthly_checkin(**extra: Any) -> dict[str, Any]:
    """2nd Tuesday of every month, 14:00-15:00 in Chicago, starting January 2026."""
    body: dict[str, Any] = {
        "summary": "Peer mentoring check-in",
        "start": {"dateTime": "2026-01-13T14:00:00-06:00", "timeZone": CHICAGO},
        "end": {"dateTime": "2026-01-13T15:00:00-06:00", "timeZone": CHICAGO},
        "recurrence": ["RRULE:FREQ=MONTHLY;BYDAY=2TU"],
        "attendees": [{"email": "ana@uni-a.edu"}, {"email": "ben@uni-b.edu"}],
        "extendedProperties": {"private": {"gworkflow": "series-1"}},
    }
    body.update(extra)
    return body


def one_off(summary: str, day: int, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "summary": summary,
        "start": {"dateTime": f"2026-02-{day:02d}T10:00:00Z"},
        "end": {"dateTime": f"2026-02-{day:02d}T11:00:00Z"},
    }
    body.update(extra)
    return body


def year_2026(**extra: Any) -> dict[str, Any]:
    return {"timeMin": "2026-01-01T00:00:00Z", "timeMax": "2027-01-01T00:00:00Z", **extra}


def starts(items: list[dict[str, Any]]) -> list[str]:
    return [item["start"]["dateTime"] for item in items]


def test_insert_fills_the_fields_google_adds(store: CalendarStore) -> None:
    event = store.insert("primary", monthly_checkin(), {})

    assert event["kind"] == "calendar#event"
    assert event["status"] == "confirmed"
    assert event["iCalUID"] == f"{event['id']}@google.com"
    assert set(event["id"]) <= set("abcdefghijklmnopqrstuv0123456789")
    assert event["organizer"] == {"email": "sandbox-user@example.com", "self": True}
    assert [a["responseStatus"] for a in event["attendees"]] == ["needsAction"] * 2
    assert event["created"] == "2026-01-05T12:00:00.000Z"
    assert event["sequence"] == 0
    assert store.get("primary", event["id"], {}) == event


def test_second_tuesday_in_chicago_keeps_local_time_across_dst(store: CalendarStore) -> None:
    event = store.insert("primary", monthly_checkin(), {})

    items = store.instances("primary", event["id"], year_2026())["items"]

    assert len(items) == 12
    # US DST 2026: starts 8 March, ends 1 November.
    by_month = {i["start"]["dateTime"][:7]: i for i in items}
    assert by_month["2026-02"]["start"]["dateTime"] == "2026-02-10T14:00:00-06:00"
    assert by_month["2026-03"]["start"]["dateTime"] == "2026-03-10T14:00:00-05:00"
    assert by_month["2026-10"]["start"]["dateTime"] == "2026-10-13T14:00:00-05:00"
    assert by_month["2026-11"]["start"]["dateTime"] == "2026-11-10T14:00:00-06:00"
    # The instance id carries the UTC start: 20:00Z in winter, 19:00Z in summer.
    assert by_month["2026-02"]["id"] == f"{event['id']}_20260210T200000Z"
    assert by_month["2026-03"]["id"] == f"{event['id']}_20260310T190000Z"
    assert by_month["2026-11"]["id"] == f"{event['id']}_20261110T200000Z"
    for item in items:
        assert item["recurringEventId"] == event["id"]
        assert item["originalStartTime"] == item["start"]
        assert "recurrence" not in item


def test_sydney_series_keeps_local_time_across_southern_dst(store: CalendarStore) -> None:
    # Sydney leaves DST on 5 April 2026 (+11 -> +10) and re-enters on 4 October.
    body = {
        "summary": "Sydney check-in",
        "start": {"dateTime": "2026-03-03T09:00:00+11:00", "timeZone": "Australia/Sydney"},
        "end": {"dateTime": "2026-03-03T10:00:00+11:00", "timeZone": "Australia/Sydney"},
        "recurrence": ["RRULE:FREQ=MONTHLY;BYDAY=1TU;COUNT=8"],
    }
    event = store.insert("primary", body, {})

    items = store.instances("primary", event["id"], {})["items"]

    assert starts(items) == [
        "2026-03-03T09:00:00+11:00",
        "2026-04-07T09:00:00+10:00",
        "2026-05-05T09:00:00+10:00",
        "2026-06-02T09:00:00+10:00",
        "2026-07-07T09:00:00+10:00",
        "2026-08-04T09:00:00+10:00",
        "2026-09-01T09:00:00+10:00",
        "2026-10-06T09:00:00+11:00",
    ]
    assert items[1]["id"].endswith("_20260406T230000Z")


def test_exdate_removes_that_meeting(store: CalendarStore) -> None:
    body = monthly_checkin(
        recurrence=[
            "RRULE:FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260630T235959Z",
            "EXDATE;TZID=America/Chicago:20260310T140000",
        ]
    )
    event = store.insert("primary", body, {})

    items = store.instances("primary", event["id"], {})["items"]

    assert [s[:10] for s in starts(items)] == [
        "2026-01-13",
        "2026-02-10",
        "2026-04-14",
        "2026-05-12",
        "2026-06-09",
    ]


def test_infinite_rule_without_time_max_is_bounded(store: CalendarStore) -> None:
    daily = monthly_checkin(recurrence=["RRULE:FREQ=DAILY"])
    event = store.insert("primary", daily, {})

    page = store.instances("primary", event["id"], {"maxResults": 2500})

    assert 0 < len(page["items"]) <= 730
    assert "nextPageToken" not in page


def test_moving_one_instance_shows_new_start_and_original(store: CalendarStore) -> None:
    event = store.insert("primary", monthly_checkin(), {})
    april = f"{event['id']}_20260414T190000Z"

    moved = store.patch(
        "primary",
        april,
        {
            "start": {"dateTime": "2026-04-16T09:00:00-05:00"},
            "end": {"dateTime": "2026-04-16T10:00:00-05:00"},
        },
        {"sendUpdates": "all"},
    )

    assert moved["id"] == april
    assert moved["start"] == {"dateTime": "2026-04-16T09:00:00-05:00", "timeZone": CHICAGO}
    items = store.instances("primary", event["id"], year_2026())["items"]
    april_items = [i for i in items if i["id"] == april]
    assert april_items[0]["start"]["dateTime"] == "2026-04-16T09:00:00-05:00"
    assert april_items[0]["originalStartTime"]["dateTime"] == "2026-04-14T14:00:00-05:00"
    assert april_items[0]["summary"] == "Peer mentoring check-in"
    assert len(items) == 12
    assert store.get("primary", april, {})["start"] == moved["start"]


def test_instance_moved_out_of_the_window_leaves_it(store: CalendarStore) -> None:
    event = store.insert("primary", monthly_checkin(), {})
    april = f"{event['id']}_20260414T190000Z"
    store.patch(
        "primary",
        april,
        {
            "start": {"dateTime": "2026-05-01T09:00:00-05:00"},
            "end": {"dateTime": "2026-05-01T10:00:00-05:00"},
        },
        {},
    )

    in_april = store.list(
        "primary",
        {
            "singleEvents": True,
            "timeMin": "2026-04-01T00:00:00Z",
            "timeMax": "2026-05-01T00:00:00Z",
        },
    )["items"]
    in_may = store.list(
        "primary",
        {
            "singleEvents": True,
            "timeMin": "2026-05-01T00:00:00Z",
            "timeMax": "2026-06-01T00:00:00Z",
        },
    )["items"]

    assert in_april == []
    assert [i["id"] for i in in_may] == [april, f"{event['id']}_20260512T190000Z"]


def test_cancelled_instance_is_hidden_unless_show_deleted(store: CalendarStore) -> None:
    event = store.insert("primary", monthly_checkin(), {})
    june = f"{event['id']}_20260609T190000Z"

    store.patch("primary", june, {"status": "cancelled"}, {})

    visible = store.instances("primary", event["id"], year_2026())["items"]
    assert june not in [i["id"] for i in visible]
    assert len(visible) == 11
    every = store.instances("primary", event["id"], year_2026(showDeleted=True))["items"]
    assert [i["status"] for i in every if i["id"] == june] == ["cancelled"]


def test_deleting_an_instance_cancels_it_and_twice_is_gone(store: CalendarStore) -> None:
    event = store.insert("primary", monthly_checkin(), {})
    july = f"{event['id']}_20260714T190000Z"

    store.delete("primary", july, {})

    assert store.get("primary", july, {})["status"] == "cancelled"
    with pytest.raises(ApiError) as err:
        store.delete("primary", july, {})
    assert err.value.code == 410


def test_unknown_instance_time_is_not_found(store: CalendarStore) -> None:
    event = store.insert("primary", monthly_checkin(), {})

    with pytest.raises(ApiError) as err:
        store.get("primary", f"{event['id']}_20260415T190000Z", {})  # a Wednesday

    assert (err.value.code, err.value.message) == (404, "Not Found")


def test_patching_the_series_keeps_exceptions_and_bumps_sequence(store: CalendarStore) -> None:
    event = store.insert("primary", monthly_checkin(), {})
    june = f"{event['id']}_20260609T190000Z"
    store.patch("primary", june, {"status": "cancelled"}, {})

    patched = store.patch(
        "primary",
        event["id"],
        {
            "summary": "Check-in (renamed)",
            "end": {"dateTime": "2026-01-13T15:30:00-06:00"},
        },
        {},
    )

    assert patched["sequence"] == 1
    assert patched["end"] == {"dateTime": "2026-01-13T15:30:00-06:00", "timeZone": CHICAGO}
    assert patched["extendedProperties"] == {"private": {"gworkflow": "series-1"}}
    items = store.instances("primary", event["id"], year_2026())["items"]
    assert len(items) == 11
    assert {i["summary"] for i in items} == {"Check-in (renamed)"}
    assert items[0]["end"]["dateTime"] == "2026-01-13T15:30:00-06:00"
    assert store.patch("primary", event["id"], {"description": "x"}, {})["sequence"] == 1


def test_private_extended_property_finds_only_ours(store: CalendarStore) -> None:
    ours = store.insert("primary", monthly_checkin(), {})
    store.insert("primary", one_off("Dentist", 3), {})
    store.insert(
        "primary",
        one_off("Other tool", 4, extendedProperties={"private": {"gworkflow": "series-2"}}),
        {},
    )

    found = store.list("primary", {"privateExtendedProperty": ["gworkflow=series-1"]})

    assert [e["id"] for e in found["items"]] == [ours["id"]]
    assert found["kind"] == "calendar#events"
    assert found["accessRole"] == "owner"
    both = store.list("primary", {"privateExtendedProperty": ["gworkflow=series-1", "other=value"]})
    assert both["items"] == []


def test_paging_with_max_results_one_walks_every_item(store: CalendarStore) -> None:
    made = {store.insert("primary", one_off(f"Event {d}", d), {})["id"] for d in (2, 3, 4, 5)}

    seen: list[str] = []
    token = None
    pages = 0
    while True:
        params: dict[str, Any] = {"maxResults": 1}
        if token:
            params["pageToken"] = token
        page = store.list("primary", params)
        pages += 1
        assert len(page["items"]) == 1
        seen += [e["id"] for e in page["items"]]
        token = page.get("nextPageToken")
        if not token:
            break

    assert pages == 4
    assert sorted(seen) == sorted(made)


def test_single_events_expands_and_orders_by_start_time(store: CalendarStore) -> None:
    series = store.insert("primary", monthly_checkin(), {})
    lunch = store.insert("primary", one_off("Lunch", 12), {})

    items = store.list(
        "primary",
        {
            "singleEvents": True,
            "orderBy": "startTime",
            "timeMin": "2026-02-01T00:00:00Z",
            "timeMax": "2026-04-01T00:00:00Z",
        },
    )["items"]

    assert [i["id"] for i in items] == [
        f"{series['id']}_20260210T200000Z",
        lunch["id"],
        f"{series['id']}_20260310T190000Z",
    ]
    # Without singleEvents the series appears once, as its master.
    masters = store.list(
        "primary", {"timeMin": "2026-02-01T00:00:00Z", "timeMax": "2026-04-01T00:00:00Z"}
    )["items"]
    assert sorted(i["id"] for i in masters) == sorted([series["id"], lunch["id"]])


def test_order_by_start_time_needs_single_events(store: CalendarStore) -> None:
    with pytest.raises(ApiError) as err:
        store.list("primary", {"orderBy": "startTime"})

    assert err.value.code == 400


def test_recurring_event_with_offset_only_is_rejected(store: CalendarStore) -> None:
    body = monthly_checkin(
        start={"dateTime": "2026-01-13T14:00:00-06:00"},
        end={"dateTime": "2026-01-13T15:00:00-06:00"},
    )

    with pytest.raises(ApiError) as err:
        store.insert("primary", body, {})

    assert err.value.code == 400
    assert err.value.message == "Missing time zone definition for start time."
    assert store.list("primary", {})["items"] == []


def test_single_event_with_offset_only_is_fine(store: CalendarStore) -> None:
    event = store.insert("primary", one_off("Call", 2), {})

    assert event["start"] == {"dateTime": "2026-02-02T10:00:00Z"}


def test_dtstart_in_recurrence_is_rejected(store: CalendarStore) -> None:
    body = monthly_checkin(
        recurrence=["DTSTART;TZID=America/Chicago:20260113T140000", "RRULE:FREQ=MONTHLY"]
    )

    with pytest.raises(ApiError) as err:
        store.insert("primary", body, {})

    assert err.value.code == 400


def test_end_before_start_is_an_empty_range(store: CalendarStore) -> None:
    body = one_off("Backwards", 2, end={"dateTime": "2026-02-02T09:00:00Z"})

    with pytest.raises(ApiError) as err:
        store.insert("primary", body, {})

    assert (err.value.code, err.value.message) == (400, "The specified time range is empty.")


def test_zoom_as_addon_conference_is_rejected(store: CalendarStore) -> None:
    zoom = {
        "conferenceSolution": {"key": {"type": "addOn"}, "name": "Zoom Meeting"},
        "entryPoints": [{"entryPointType": "video", "uri": "https://zoom.us/j/123"}],
        "conferenceId": "123",
    }

    with pytest.raises(ApiError) as err:
        store.insert("primary", monthly_checkin(conferenceData=zoom), {"conferenceDataVersion": 1})

    assert err.value.code == 400
    assert "conference" in err.value.message


def test_conference_data_without_version_1_is_silently_dropped(store: CalendarStore) -> None:
    meet = {"createRequest": {"requestId": "r1", "conferenceSolutionKey": {"type": "hangoutsMeet"}}}

    event = store.insert("primary", monthly_checkin(conferenceData=meet), {})

    assert "conferenceData" not in event
    assert "hangoutLink" not in event


def test_meet_create_request_makes_a_meet_conference(store: CalendarStore) -> None:
    meet = {"createRequest": {"requestId": "r1", "conferenceSolutionKey": {"type": "hangoutsMeet"}}}

    event = store.insert(
        "primary", monthly_checkin(conferenceData=meet), {"conferenceDataVersion": 1}
    )

    conference = event["conferenceData"]
    assert conference["conferenceSolution"]["key"] == {"type": "hangoutsMeet"}
    assert conference["conferenceSolution"]["name"] == "Google Meet"
    assert conference["createRequest"]["status"] == {"statusCode": "success"}
    video = conference["entryPoints"][0]
    assert video["entryPointType"] == "video"
    assert video["uri"] == f"https://meet.google.com/{conference['conferenceId']}"
    assert event["hangoutLink"] == video["uri"]
    # A later patch without conferenceDataVersion keeps the conference.
    patched = store.patch("primary", event["id"], {"description": "agenda link"}, {})
    assert patched["conferenceData"] == conference


def test_deleted_series_reads_as_cancelled_and_second_delete_is_gone(
    store: CalendarStore,
) -> None:
    event = store.insert("primary", monthly_checkin(), {})

    store.delete("primary", event["id"], {"sendUpdates": "all"})

    # Google keeps a deleted event readable with status "cancelled" ...
    assert store.get("primary", event["id"], {})["status"] == "cancelled"
    assert store.list("primary", {})["items"] == []
    assert store.list("primary", {"singleEvents": True, **year_2026()})["items"] == []
    assert [e["status"] for e in store.list("primary", {"showDeleted": True})["items"]] == [
        "cancelled"
    ]
    # ... answers a second delete with 410, and keeps the id taken.
    with pytest.raises(ApiError) as gone:
        store.delete("primary", event["id"], {})
    assert (gone.value.code, gone.value.message) == (410, "Resource has been deleted")
    with pytest.raises(ApiError) as taken:
        store.insert("primary", monthly_checkin(id=event["id"]), {})
    assert taken.value.code == 409


def test_unknown_event_is_not_found(store: CalendarStore) -> None:
    with pytest.raises(ApiError) as err:
        store.get("primary", "abcdef12345", {})

    assert (err.value.code, err.value.message) == (404, "Not Found")


def test_client_supplied_id_must_be_base32hex(store: CalendarStore) -> None:
    mine = store.insert("primary", one_off("Mine", 2, id="gvf0123456789"), {})
    assert store.get("primary", "gvf0123456789", {}) == mine
    with pytest.raises(ApiError) as err:
        store.insert("primary", one_off("Dashes", 3, id="not-a-valid-id"), {})
    assert (err.value.code, err.value.message) == (400, "Invalid resource id value.")


def test_invitations_log_says_who_would_be_mailed(store: CalendarStore) -> None:
    quiet = store.insert("primary", monthly_checkin(), {})
    loud = store.insert("primary", monthly_checkin(), {"sendUpdates": "all"})

    assert store.invitations == [
        {
            "eventId": quiet["id"],
            "sendUpdates": "none",
            "attendees": ["ana@uni-a.edu", "ben@uni-b.edu"],
        },
        {
            "eventId": loud["id"],
            "sendUpdates": "all",
            "attendees": ["ana@uni-a.edu", "ben@uni-b.edu"],
        },
    ]


def test_update_replaces_the_whole_event(store: CalendarStore) -> None:
    event = store.insert("primary", monthly_checkin(location="Zoom"), {})

    replaced = store.update(
        "primary",
        event["id"],
        {
            "summary": "Only this",
            "start": {"dateTime": "2026-01-14T14:00:00-06:00", "timeZone": CHICAGO},
            "end": {"dateTime": "2026-01-14T15:00:00-06:00", "timeZone": CHICAGO},
        },
        {},
    )

    assert "location" not in replaced
    assert "recurrence" not in replaced
    assert replaced["id"] == event["id"]
    assert replaced["created"] == event["created"]
    assert replaced["sequence"] == 1


def test_all_day_series_uses_date_instance_ids(store: CalendarStore) -> None:
    body = {
        "summary": "Prep day",
        "start": {"date": "2026-01-12"},
        "end": {"date": "2026-01-13"},
        "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=3"],
    }
    event = store.insert("primary", body, {})

    items = store.instances("primary", event["id"], {})["items"]

    assert [i["id"] for i in items] == [
        f"{event['id']}_20260112",
        f"{event['id']}_20260119",
        f"{event['id']}_20260126",
    ]
    assert items[1]["start"] == {"date": "2026-01-19"}
    assert items[1]["end"] == {"date": "2026-01-20"}


def test_state_round_trips(store: CalendarStore) -> None:
    event = store.insert("primary", monthly_checkin(), {"sendUpdates": "all"})
    store.patch("primary", f"{event['id']}_20260609T190000Z", {"status": "cancelled"}, {})

    again = CalendarStore.from_state(store.to_state(), clock=lambda: NOW)

    assert again.instances("primary", event["id"], year_2026()) == store.instances(
        "primary", event["id"], year_2026()
    )
    assert again.invitations == store.invitations
    assert again.summaries() == store.summaries()
    assert again.summaries()[0]["exceptions"][0]["status"] == "cancelled"
