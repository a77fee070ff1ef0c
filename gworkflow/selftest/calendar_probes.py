"""The Calendar probes: the scratch recurring event created the way gworkflow creates one,
then the behaviours gworkflow relies on (or that are open): instances across a DST change,
`timeMin` at an instance's end, moving and skipping one meeting, the private-property
lookup, the 409 on a derived id, a Meet request, an unknown calendar.

The scratch series is monthly ("2nd Tuesday 14:00") in America/New_York, whatever the
configured series uses, so a year of instances always crosses a DST change; it has no
attendees and every write says sendUpdates=none. Pure helpers (instance id form, which
fields a cancelled instance carries, the Meet status) are at the top and unit-tested.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from gworkflow.config import Conference, Series
from gworkflow.errors import NotFound
from gworkflow.google.event_body import SERIES_PROPERTY, parse_event_time, series_event_id
from gworkflow.google.gateway import ApiError
from gworkflow.schedule import parse_schedule
from gworkflow.selftest.context import CALENDAR, SCRATCH_TITLE, Context, NotRun, Probe
from gworkflow.selftest.results import (
    Observation,
    check,
    documented_or_info,
    failed,
    info,
)
from gworkflow.types import JSON

SCRATCH_ZONE = ZoneInfo("America/New_York")
SCRATCH_SCHEDULE = "2nd Tuesday 14:00"
INSTANCES = 12  # a year of monthly meetings: both DST changes of the zone
# A calendar id that does not exist (a group calendar's form, under a domain that is not
# a real group calendar).
UNKNOWN_CALENDAR = "gworkflow-selftest-no-such-calendar@group.calendar.google.com"
# What Calendar guarantees on a cancelled instance (calendar.v3.json, Event.status), plus
# the resource's own kind and etag.
MINIMAL_CANCELLED = frozenset({"id", "recurringEventId", "originalStartTime", "status"})
_RESOURCE_FIELDS = frozenset({"kind", "etag"})


def scratch_series(configured: Series, token: str) -> Series:
    """The self-test's series: on the configured calendar, nobody invited, its own id."""
    return Series(
        id=f"selftest-{token}",
        title=SCRATCH_TITLE,
        timezone=SCRATCH_ZONE,
        schedule=parse_schedule(SCRATCH_SCHEDULE),
        duration=dt.timedelta(minutes=60),
        participants=(),
        calendar_id=configured.calendar_id,
    )


# --- pure helpers ---------------------------------------------------------------------------


def utc_suffix(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def utc_offset(moment: dt.datetime) -> str:
    """`moment`'s UTC offset as "-05:00"."""
    text = moment.strftime("%z")
    return f"{text[:3]}:{text[3:]}" if text else "?"


def instance_id_form(master_id: str, items: Sequence[JSON], tz: ZoneInfo) -> str:
    """Whether instance ids read `<series id>_<UTC original start>` (today's form) or
    something else (the form Google announced for Q3 2026 is opaque)."""
    if not items:
        return "no instances"
    for item in items:
        original = parse_event_time(item.get("originalStartTime"), tz)
        if original is None or item.get("id") != f"{master_id}_{utc_suffix(original)}":
            return f"another form, e.g. {item.get('id')!r}"
    return f"<series id>_<UTC original start>, e.g. {items[0].get('id')!r}"


def cancelled_body(item: JSON) -> str:
    """ "minimal" when a cancelled instance carries only what Google guarantees, else
    "full" (with the extra fields named)."""
    extra = sorted(set(item) - MINIMAL_CANCELLED - _RESOURCE_FIELDS)
    if not extra:
        return "minimal: " + ", ".join(sorted(set(item) & MINIMAL_CANCELLED))
    shown = ", ".join(extra[:8]) + (", …" if len(extra) > 8 else "")
    return f"full: also {shown}"


def meet_status(event: JSON) -> str:
    """The Meet request's status code in an event ("success", "pending", "failure"), or ""
    when the event carries no create request."""
    data = event.get("conferenceData") or {}
    status = (data.get("createRequest") or {}).get("status") or {}
    return str(status.get("statusCode") or "")


# --- helpers that call Calendar -------------------------------------------------------------


def _instances(ctx: Context, time_min: str, count: int) -> list[JSON]:
    """The first `count` instances ending after `time_min` (cancelled ones included)."""
    master = ctx.require_event()
    found: list[JSON] = []
    page_token: str | None = None
    while len(found) < count:
        # A page may hold fewer than maxResults items (calendar.v3.json, events.instances
        # maxResults: "Incomplete pages can be detected by a non-empty nextPageToken").
        answer = ctx.call(
            ctx.events.instances(
                calendarId=ctx.scratch.calendar_id,
                eventId=master["id"],
                timeMin=time_min,
                timeZone=SCRATCH_ZONE.key,
                maxResults=count - len(found),
                showDeleted=True,
                pageToken=page_token,
            ),
            CALENDAR,
            "read the scratch event's instances",
        )
        found += list(answer.get("items", []))
        page_token = answer.get("nextPageToken")
        if not page_token:
            break
    return found[:count]


def _first_instances(ctx: Context) -> list[JSON]:
    """The first year of instances as read right after creating the event."""
    found = ctx.notes.get("instances")
    if found is None:
        found = _instances(ctx, ctx.now.isoformat(), INSTANCES)
        ctx.notes["instances"] = found
    if len(found) < 5:
        raise NotRun(f"not run: the event has {len(found)} instances, 5 are needed")
    return list(found)


def _start(item: JSON, key: str = "start") -> dt.datetime:
    moment = parse_event_time(item.get(key), SCRATCH_ZONE)
    if moment is None:
        raise NotRun(f"not run: instance {item.get('id')} has no {key}")
    return moment


# --- the probes -----------------------------------------------------------------------------


def probe_insert(ctx: Context) -> Observation:
    result = ctx.series_event().create("", ctx.now, send_invites=False)
    event = result.event
    ctx.event = dict(event) if result.created else None
    derived = series_event_id(ctx.scratch)
    observed = (
        f"created={result.created}, id {'= the derived id' if event.get('id') == derived else event.get('id')!r}, "
        f"recurrence {event.get('recurrence')}, start {event.get('start', {}).get('dateTime')} "
        f"{event.get('start', {}).get('timeZone')}"
    )
    return check(result.created and event.get("id") == derived, observed)


def probe_duplicate_id(ctx: Context) -> Observation:
    master = ctx.require_event()
    body = {
        "id": master["id"],
        "summary": SCRATCH_TITLE,
        "start": master["start"],
        "end": master["end"],
    }
    answer = ctx.attempt(
        ctx.events.insert(calendarId=ctx.scratch.calendar_id, body=body, sendUpdates="none"),
        CALENDAR,
        "insert the scratch event's id again",
    )
    if not isinstance(answer, ApiError):
        ctx.notes["duplicate"] = answer.get("id")
        return failed(f"200: a second event with the same id was accepted ({answer.get('id')})")
    reason = f" {answer.reason}" if answer.reason else ""
    return check(answer.status == 409, f"{answer.status}{reason}: {answer.detail!r}")


def probe_dst(ctx: Context) -> Observation:
    items = _first_instances(ctx)
    master = ctx.require_event()
    wanted = ctx.scratch.schedule.occurrences(SCRATCH_ZONE, ctx.now, INSTANCES)
    starts = [_start(item) for item in items]
    offsets = sorted({utc_offset(s) for s in starts})
    problems = []
    if [s.astimezone(dt.UTC) for s in starts] != [w.astimezone(dt.UTC) for w in wanted]:
        problems.append("the instants differ from the rule's")
    if any(_start(item, "originalStartTime") != _start(item) for item in items):
        problems.append("an originalStartTime differs from its start")
    if any(item.get("recurringEventId") != master["id"] for item in items):
        problems.append("a recurringEventId is not the series")
    if len(offsets) < 2:
        problems.append("no DST change was crossed")
    local = sorted({s.strftime("%H:%M") for s in starts})
    observed = (
        f"{len(items)} instances, local start {', '.join(local)} {SCRATCH_ZONE.key}, "
        f"UTC offsets {', '.join(offsets)}, {starts[0]:%Y-%m-%d} to {starts[-1]:%Y-%m-%d}"
        + (f"; {'; '.join(problems)}" if problems else "")
    )
    return check(not problems and len(items) == INSTANCES, observed)


def probe_instance_ids(ctx: Context) -> Observation:
    items = _first_instances(ctx)
    return info(instance_id_form(ctx.require_event()["id"], items, SCRATCH_ZONE))


def probe_meetings(ctx: Context) -> Observation:
    ctx.require_event()
    meetings = ctx.series_event().meetings(ctx.now, INSTANCES)
    wanted = ctx.scratch.schedule.occurrences(SCRATCH_ZONE, ctx.now, INSTANCES)
    same = [m.start.astimezone(dt.UTC) for m in meetings] == [w.astimezone(dt.UTC) for w in wanted]
    statuses = sorted({m.status for m in meetings})
    return check(
        same and statuses == ["confirmed"],
        f"{len(meetings)} meetings, {'the rule' if same else 'NOT the rule'}'s dates and times, "
        f"status {', '.join(statuses)}",
    )


def probe_time_min(ctx: Context) -> Observation:
    items = _first_instances(ctx)
    end = items[1].get("end", {}).get("dateTime")
    if not end:
        raise NotRun("not run: the second instance has no end time")
    found = _instances(ctx, str(end), 2)
    first = found[0].get("id") if found else None
    if first == items[1].get("id"):
        return documented_or_info(
            True, f"inclusive: the instance ending at timeMin ({end}) is listed"
        )
    if first == items[2].get("id"):
        return documented_or_info(
            False,
            f"exclusive: the instance ending at timeMin ({end}) is not listed, unlike "
            "the reference (gworkflow works either way)",
        )
    return failed(f"neither: the first instance listed is {first!r}")


def probe_move(ctx: Context) -> Observation:
    item = _first_instances(ctx)[3]
    original = _start(item, "originalStartTime")
    to = original + dt.timedelta(days=1)
    ctx.series_event().move(original.date(), to, send_invites=False)
    after = [
        i for i in _instances(ctx, ctx.now.isoformat(), INSTANCES) if i.get("id") == item["id"]
    ]
    if not after:
        return failed(f"instance {item['id']} is gone after the move")
    moved = after[0]
    ok = (
        _start(moved) == to
        and _start(moved, "originalStartTime") == original
        and moved.get("status") != "cancelled"
    )
    meetings = ctx.series_event().meetings(ctx.now, INSTANCES)
    as_read = [m for m in meetings if m.original_start == original]
    status = as_read[0].status if as_read else "missing"
    observed = (
        f"same id, start {_start(moved):%Y-%m-%d %H:%M}, originalStartTime "
        f"{_start(moved, 'originalStartTime'):%Y-%m-%d %H:%M}; gworkflow reads it as {status}"
    )
    return check(ok and status == "moved", observed)


def probe_cancel(ctx: Context) -> Observation:
    item = _first_instances(ctx)[4]
    original = _start(item, "originalStartTime")
    ctx.series_event().skip(original.date(), send_invites=False)
    after = [
        i for i in _instances(ctx, ctx.now.isoformat(), INSTANCES) if i.get("id") == item["id"]
    ]
    if not after:
        return failed(f"instance {item['id']} is not listed with showDeleted=true")
    ctx.notes["cancelled"] = after[0]
    meetings = ctx.series_event().meetings(ctx.now, INSTANCES)
    as_read = [m for m in meetings if m.original_start == original]
    status = as_read[0].status if as_read else "missing"
    others = sorted({m.status for m in meetings if m.original_start != original})
    observed = (
        f"status {after[0].get('status')!r}; gworkflow reads it as {status} at "
        f"{original:%Y-%m-%d %H:%M}; the other meetings: {', '.join(others)}"
    )
    ok = after[0].get("status") == "cancelled" and status == "cancelled"
    return check(ok and "cancelled" not in others, observed)


def probe_cancelled_fields(ctx: Context) -> Observation:
    item = ctx.notes.get("cancelled")
    if item is None:
        raise NotRun("not run: no instance was cancelled (see calendar.instance.cancel)")
    return info(cancelled_body(item))


def probe_lookup(ctx: Context) -> Observation:
    master = ctx.require_event()
    found = ctx.series_event().find()
    answer = ctx.call(
        ctx.events.list(
            calendarId=ctx.scratch.calendar_id,
            privateExtendedProperty=f"{SERIES_PROPERTY}={ctx.scratch.id}",
        ),
        CALENDAR,
        "look up the scratch event by its private property",
    )
    ctx.notes["lookup"] = list(answer.get("items", []))
    observed = (
        f"find() returns {found.get('id') if found else None!r}; the series is {master['id']!r}"
    )
    return check(found is not None and found.get("id") == master["id"], observed)


def probe_lookup_exceptions(ctx: Context) -> Observation:
    items = ctx.notes.get("lookup")
    if items is None:
        raise NotRun("not run: see calendar.lookup.private_property")
    exceptions = [item for item in items if item.get("recurringEventId")]
    if not exceptions:
        return info(f"the series only ({len(items)} item): exceptions are not listed")
    statuses = ", ".join(sorted(str(item.get("status")) for item in exceptions))
    return info(f"the series and {len(exceptions)} exceptions ({statuses}); find() skips them")


def probe_meet(ctx: Context) -> Observation:
    ctx.require_event()
    meet = dataclasses.replace(ctx.scratch, conference=Conference(kind="meet"))
    try:
        result = ctx.series_event(meet).update("", send_invites=False)
    except ApiError as error:
        return failed(
            f"the Meet request was refused: {error.status} {error.reason}: {error.detail!r}"
        )
    first = meet_status(result.event)
    seen = [first or "no createRequest status"]
    event = result.event
    waited = 0.0
    while meet_status(event) == "pending" and waited < 6:
        ctx.sleep(2.0)
        waited += 2.0
        event = ctx.call(
            ctx.events.get(calendarId=ctx.scratch.calendar_id, eventId=event["id"]),
            CALENDAR,
            "read the scratch event's Meet status",
        )
        seen.append(f"{meet_status(event) or 'none'} after {waited:.0f}s")
    link = event.get("hangoutLink") or ""
    observed = f"{' -> '.join(seen)}; hangoutLink {'present' if link else 'absent'}"
    if first in ("success", "pending"):
        return info(observed)
    return failed(observed)


def probe_unknown_calendar(ctx: Context) -> Observation:
    ghost = dataclasses.replace(ctx.scratch, calendar_id=UNKNOWN_CALENDAR)
    try:
        found = ctx.series_event(ghost).find()
    except NotFound as error:
        status = getattr(error, "status", "?")
        names = "calendar_id" in error.message
        return check(
            names,
            f"{status}; gworkflow says: {error.message}",
        )
    return failed(f"200 for a calendar that does not exist (found {found!r})")


CALENDAR_PROBES: tuple[Probe, ...] = (
    Probe(
        "calendar.insert",
        "gworkflow creates the recurring event with the id it derives from the series "
        "(no attendees, sendUpdates=none)",
        probe_insert,
    ),
    Probe(
        "calendar.insert.duplicate_id",
        "inserting the derived event id a second time: 409",
        probe_duplicate_id,
    ),
    Probe(
        "calendar.instances.dst",
        f"events.instances: {INSTANCES} instances at 14:00 {SCRATCH_ZONE.key} on the rule's "
        "dates, on both sides of a DST change; originalStartTime = start",
        probe_dst,
    ),
    Probe(
        "calendar.instances.id_form",
        "open: instance ids <series id>_<UTC start> today, another form announced "
        "(gworkflow never builds them)",
        probe_instance_ids,
    ),
    Probe(
        "calendar.meetings",
        "gworkflow reads the meetings back as the rule's dates and times, all confirmed",
        probe_meetings,
    ),
    Probe(
        "calendar.instances.time_min",
        "events.instances with timeMin = an instance's end includes it (documented "
        "inclusive; gworkflow works either way)",
        probe_time_min,
    ),
    Probe(
        "calendar.instance.move",
        "moving one meeting: same instance id, new start, originalStartTime kept; gworkflow "
        "reads it as moved",
        probe_move,
    ),
    Probe(
        "calendar.instance.cancel",
        "cancelling one meeting: listed with showDeleted as cancelled; gworkflow reads it "
        "as cancelled, the others unchanged",
        probe_cancel,
    ),
    Probe(
        "calendar.instance.cancelled_fields",
        "open: the fields of a cancelled instance: minimal (id, recurringEventId, "
        "originalStartTime, status) or full",
        probe_cancelled_fields,
    ),
    Probe(
        "calendar.lookup.private_property",
        "events.list privateExtendedProperty finds the series (gworkflow's find())",
        probe_lookup,
    ),
    Probe(
        "calendar.lookup.exceptions",
        "open: whether that lookup also lists the moved and cancelled instances",
        probe_lookup_exceptions,
    ),
    Probe(
        "calendar.conference.meet",
        "open: a Meet request (conferenceDataVersion=1) answers success or pending",
        probe_meet,
    ),
    Probe(
        "calendar.unknown_calendar",
        "an unknown calendar id: 404 (or 403), and gworkflow's message names calendar_id",
        probe_unknown_calendar,
    ),
)
