"""The series' recurring Google Calendar event: create it once, keep it in step with the
config, and read, move or skip its meetings.

What lives here: `event_body` (config -> Calendar v3 event JSON), `plan_update` (what a
patch must change), and `SeriesEvent`, which wraps the Calendar resource built by
`gworkflow.google.clients` for one series. "Our" event is found by its private extended
property `gworkflowSeries=<series id>`, so no local state is kept and `create` is
idempotent. What does not live here: the schedule grammar (`gworkflow.schedule`), creating
a Zoom meeting (`gworkflow.zoom`), printing or prompting (the CLI).

Every call goes through `execute(num_retries=...)`: google-api-python-client already retries
5xx, 429 and rate-limit 403s with backoff (shared/DESIGN.md, Calendar), so there is no retry
loop here. Google's errors become `GoogleError`/`NotFound` with one readable line.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from gworkflow.config import Series
from gworkflow.errors import GoogleError, GworkflowError, NotFound, SignInNeeded
from gworkflow.google.clients import NUM_RETRIES, error_message, error_status
from gworkflow.meeting import Meeting, MeetingStatus
from gworkflow.schedule import Schedule

SERIES_PROPERTY = "gworkflowSeries"
POPUP_MINUTES = 30
EMAIL_MINUTES = 24 * 60
# How far around a meeting date `move`/`skip` look for its instance (and for nearby dates
# to suggest): two months covers a monthly series even if the meeting was moved weeks away.
_SEARCH_WINDOW = dt.timedelta(days=62)
_AGENDA_LINE = (
    "Agenda: before each meeting gworkflow adds a fresh section to the running doc, with "
    "last month's goals carried forward; add your achievements, goals and upcoming "
    "conferences there."
)


# --- pure: config -> event JSON ---------------------------------------------------------


def event_description(series: Series, schedule: Schedule, doc_url: str) -> str:
    """The event's description: schedule, running doc, how the agenda works, how to join."""
    lines = [
        f"{series.title}: {schedule.describe()} ({series.timezone.key}).",
        "",
        f"Running agenda: {doc_url}" if doc_url else "Running agenda: not created yet.",
        _AGENDA_LINE,
    ]
    conference = series.conference
    if conference.kind == "zoom":
        lines += ["", f"Join Zoom: {conference.join_url}"]
        if conference.meeting_id:
            lines.append(f"Meeting ID: {conference.meeting_id}")
        if conference.passcode:
            lines.append(f"Passcode: {conference.passcode}")
    elif conference.kind == "meet":
        lines += ["", "Join with the Google Meet link on this event."]
    return "\n".join(lines)


def _when(moment: dt.datetime, tz: ZoneInfo) -> dict[str, str]:
    # timeZone is always sent: a recurring event with only an offset is a 400 "Missing time
    # zone definition for start time." (shared/DESIGN.md), and DST needs the zone anyway.
    return {"dateTime": moment.astimezone(tz).isoformat(), "timeZone": tz.key}


def _attendees(series: Series) -> list[dict[str, str]]:
    return [{"email": p.email, "displayName": p.name} for p in series.participants]


def _reminders() -> dict[str, Any]:
    return {
        "useDefault": False,
        "overrides": [
            {"method": "popup", "minutes": POPUP_MINUTES},
            {"method": "email", "minutes": EMAIL_MINUTES},
        ],
    }


def _meet_request(series: Series, first_start: dt.datetime) -> dict[str, Any]:
    # A stable requestId: Google treats a repeated requestId as the same conference
    # request, so a retried insert does not ask for a second Meet.
    request_id = f"gworkflow-{series.id}-{first_start.astimezone(dt.UTC):%Y%m%dT%H%MZ}"
    return {
        "createRequest": {
            "requestId": request_id,
            "conferenceSolutionKey": {"type": "hangoutsMeet"},
        }
    }


def event_body(
    series: Series, schedule: Schedule, first_start: dt.datetime, doc_url: str
) -> dict[str, Any]:
    """The events.insert body for the series, its first meeting at `first_start`."""
    tz = series.timezone
    body: dict[str, Any] = {
        "summary": series.title,
        "description": event_description(series, schedule, doc_url),
        "start": _when(first_start, tz),
        "end": _when(first_start.astimezone(dt.UTC) + series.duration, tz),
        "recurrence": [schedule.rrule()],
        "attendees": _attendees(series),
        "reminders": _reminders(),
        "extendedProperties": {"private": {SERIES_PROPERTY: series.id}},
    }
    if series.conference.kind == "zoom":
        # Not conferenceData: only a Workspace add-on may write an "addOn" conference
        # (Google answers 400), so the join URL goes in location and description.
        body["location"] = series.conference.join_url
    elif series.conference.kind == "meet":
        body["conferenceData"] = _meet_request(series, first_start)
    return body


def _parse_time(value: dict[str, Any] | None, tz: ZoneInfo) -> dt.datetime | None:
    """An event time ({dateTime} or all-day {date}) as an aware datetime in `tz`."""
    if not value:
        return None
    if value.get("dateTime"):
        moment = dt.datetime.fromisoformat(str(value["dateTime"]).replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(value.get("timeZone") or tz.key))
        return moment.astimezone(tz)
    if value.get("date"):
        day = dt.date.fromisoformat(str(value["date"]))
        return dt.datetime(day.year, day.month, day.day, tzinfo=tz)
    return None


def _schedule_changed(existing: dict[str, Any], series: Series, schedule: Schedule) -> bool:
    tz = series.timezone
    start = _parse_time(existing.get("start"), tz)
    end = _parse_time(existing.get("end"), tz)
    if start is None or end is None:
        return True
    return (
        existing.get("recurrence") != [schedule.rrule()]
        or (existing.get("start") or {}).get("timeZone") != tz.key
        or start.time().replace(second=0, microsecond=0) != schedule.time
        or end - start != series.duration
    )


def _merged_attendees(
    existing: list[dict[str, Any]], series: Series
) -> list[dict[str, Any]] | None:
    """The attendee list after the config's changes, or None if the emails are the same.

    Entries already on the event are kept as they are (with their responseStatus), so a
    patch does not reset who accepted."""
    wanted = {p.email.casefold(): p for p in series.participants}
    have = {str(a.get("email", "")).casefold() for a in existing}
    # The organizer's own entry (self/organizer) is Google's, not the config's: keep it.
    keep = [a for a in existing if str(a.get("email", "")).casefold() in wanted or a.get("self")]
    added = [
        {"email": p.email, "displayName": p.name} for key, p in wanted.items() if key not in have
    ]
    if not added and len(keep) == len(existing):
        return None
    return keep + added


def plan_update(
    existing: dict[str, Any], series: Series, schedule: Schedule, doc_url: str
) -> dict[str, Any]:
    """The events.patch body that brings `existing` in line with the config ({} = in step).

    A changed rule, time, zone or duration rewrites the whole series (like Google's "all
    events" edit): the new first meeting is the rule's first one in the month the series
    started, so the series keeps its history's shape.
    """
    changes: dict[str, Any] = {}
    if existing.get("summary") != series.title:
        changes["summary"] = series.title
    description = event_description(series, schedule, doc_url)
    if existing.get("description") != description:
        changes["description"] = description
    conference = series.conference
    location = existing.get("location", "")
    if conference.kind == "zoom" and location != conference.join_url:
        changes["location"] = conference.join_url
    elif conference.kind != "zoom" and "zoom.us/" in location:
        changes["location"] = ""  # a stale Zoom link would send people to the wrong room
    if existing.get("reminders") != _reminders():
        changes["reminders"] = _reminders()
    attendees = _merged_attendees(list(existing.get("attendees") or []), series)
    if attendees is not None:
        changes["attendees"] = attendees
    tz = series.timezone
    old_start = _parse_time(existing.get("start"), tz)
    if old_start is None:
        raise GoogleError(f"the calendar event {existing.get('id')} has no start time")
    if _schedule_changed(existing, series, schedule):
        month_start = old_start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        first = schedule.occurrences(
            tz, month_start - dt.timedelta(seconds=1), 1, anchor=month_start
        )[0]
        changes["start"] = _when(first, tz)
        changes["end"] = _when(first.astimezone(dt.UTC) + series.duration, tz)
        changes["recurrence"] = [schedule.rrule()]
    if conference.kind == "meet" and not existing.get("conferenceData"):
        changes["conferenceData"] = _meet_request(series, old_start)
    return changes


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateResult:
    """What `create` did. In a dry run nothing is written: `event` is the body that would be
    inserted and `created` says whether it would be."""

    event: dict[str, Any]
    created: bool
    api_calls: int
    dry_run: bool = False


@dataclass(frozen=True)
class UpdateResult:
    """What `update` did: `changes` is the patch body ({} when the event was in step);
    `event` is the event after the patch (as found, when nothing changed or in a dry run)."""

    event: dict[str, Any]
    changes: dict[str, Any] = field(default_factory=dict)
    api_calls: int = 0
    dry_run: bool = False


# --- the event on Google -----------------------------------------------------------------


class SeriesEvent:
    """The recurring event of one series on its calendar (`calendar` is a Calendar v3
    resource from `build_clients`). `api_calls` counts the requests made (not retries)."""

    def __init__(self, calendar: Any, series: Series, num_retries: int = NUM_RETRIES) -> None:
        self._events = calendar.events()
        self.series = series
        self.schedule = series.schedule
        self.num_retries = num_retries
        self.api_calls = 0

    # -- reading ------------------------------------------------------------------------------

    def find(self) -> dict[str, Any] | None:
        """The series' event (its master), found by the private extended property."""
        page_token: str | None = None
        while True:
            answer = self._execute(
                self._events.list(
                    calendarId=self.series.calendar_id,
                    privateExtendedProperty=f"{SERIES_PROPERTY}={self.series.id}",
                    showDeleted=False,
                    pageToken=page_token,
                ),
                "look for the series' event",
            )
            for item in answer.get("items", []):
                # Without singleEvents the list also holds moved/cancelled instances (they
                # carry recurringEventId and inherit the property): skip them.
                if not item.get("recurringEventId") and item.get("status") != "cancelled":
                    return dict(item)
            page_token = answer.get("nextPageToken")
            if not page_token:
                return None

    def meetings(self, after: dt.datetime, count: int) -> list[Meeting]:
        """The next `count` meetings that have not ended at `after`, as the calendar has them:
        moved ones with their new time, skipped ones as cancelled. Sorted by start."""
        found = self.upcoming(after, count)
        if found is None:
            self._require_event()  # raises the one-line "no event: create it" error
            return []
        return found

    def upcoming(self, after: dt.datetime, count: int) -> list[Meeting] | None:
        """Like `meetings`, but None when the series has no event.

        One call on the usual path: the event created by gworkflow has an id derived from
        the series (`series_event_id`), so its instances are asked for directly, without
        first looking the event up. A series created otherwise, or re-created after being
        deleted, is found by its private extended property (one more call).
        """
        _require_aware(after, "after")
        try:
            found = self._instances(series_event_id(self.series), after, count)
        except CalendarNotFound:
            found = []
        # A deleted series may still expand (every instance cancelled, as the sandbox and,
        # we assume, Google do): only a live meeting proves the event is there.
        if any(meeting.status != "cancelled" for meeting in found):
            return found
        master = self.find()
        if master is None:
            return None
        return self._instances(str(master["id"]), after, count)

    def _instances(self, event_id: str, after: dt.datetime, count: int) -> list[Meeting]:
        tz = self.series.timezone
        found: list[Meeting] = []
        page_token: str | None = None
        while len(found) < count:
            answer = self._execute(
                self._events.instances(
                    calendarId=self.series.calendar_id,
                    eventId=event_id,
                    timeMin=after.isoformat(),
                    showDeleted=True,
                    timeZone=tz.key,
                    maxResults=min(max(count - len(found), 1), 2500),
                    pageToken=page_token,
                ),
                "read the series' meetings",
            )
            found += [self._meeting(item) for item in answer.get("items", [])]
            page_token = answer.get("nextPageToken")
            if not page_token:
                break
        return sorted(found, key=lambda m: m.start)[:count]

    # -- writing ------------------------------------------------------------------------------

    def create(
        self, doc_url: str, now: dt.datetime, send_invites: bool = True, dry_run: bool = False
    ) -> CreateResult:
        """Create the event unless it exists (then return it, `created` False).

        The first meeting is the rule's first one after `now`."""
        _require_aware(now, "now")
        calls_before = self.api_calls
        existing = self.find()
        if existing is not None:
            return CreateResult(existing, False, self.api_calls - calls_before, dry_run)
        first_start = self.schedule.first_start(self.series.timezone, now)
        body = event_body(self.series, self.schedule, first_start, doc_url)
        if dry_run:
            return CreateResult(body, True, self.api_calls - calls_before, dry_run=True)
        # A client-chosen id makes the insert safe to retry: googleapiclient retries a POST
        # after a 5xx, and if the first attempt had landed, Google answers the retry 409
        # "The requested identifier already exists." instead of making a second series.
        # The id is derived from the series, so two runs racing to create it make one event
        # and `meetings` can read it in one call. A deleted event keeps its id taken (409
        # with nothing found): then a fresh random id is used.
        event: dict[str, Any] | None = None
        for event_id in (series_event_id(self.series), new_event_id()):
            body["id"] = event_id
            try:
                event = self._insert(body, send_invites)
                break
            except CalendarError as error:
                if error.status != 409:
                    raise
                landed = self.find()
                if landed is not None:
                    # Landed by a retried POST, or by a concurrent `run`: it is ours.
                    return CreateResult(
                        landed, landed.get("id") == body["id"], self.api_calls - calls_before
                    )
        if event is None:
            raise CalendarError("could not create the series' event: its id is taken", 409)
        return CreateResult(dict(event), True, self.api_calls - calls_before)

    def _insert(self, body: dict[str, Any], send_invites: bool) -> dict[str, Any]:
        return self._execute(
            self._events.insert(
                calendarId=self.series.calendar_id,
                body=body,
                sendUpdates=_send_updates(send_invites),
                **_conference_version(body),
            ),
            "create the series' event",
        )

    def update(
        self, doc_url: str, send_invites: bool = True, dry_run: bool = False
    ) -> UpdateResult:
        """Push config changes (title, time, rule, link, attendees, description) to the
        event with one patch; no patch when it is already in step."""
        calls_before = self.api_calls
        existing = self._require_event()
        changes = plan_update(existing, self.series, self.schedule, doc_url)
        if not changes or dry_run:
            return UpdateResult(existing, changes, self.api_calls - calls_before, dry_run)
        event = self._execute(
            self._events.patch(
                calendarId=self.series.calendar_id,
                eventId=existing["id"],
                body=changes,
                sendUpdates=_send_updates(send_invites),
                **_conference_version(changes),
            ),
            "update the series' event",
        )
        return UpdateResult(dict(event), changes, self.api_calls - calls_before)

    def move(
        self,
        meeting_date: dt.date,
        to: dt.datetime,
        send_invites: bool = True,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        """Move the meeting scheduled on `meeting_date` (series zone) to start at `to`.

        Returns the instance as patched (as it would be, with `dry_run`)."""
        _require_aware(to, "to")
        tz = self.series.timezone
        instance = self._instance_on(meeting_date)
        start = _parse_time(instance.get("start"), tz)
        end = _parse_time(instance.get("end"), tz)
        duration = end - start if start is not None and end is not None else self.series.duration
        body: dict[str, Any] = {
            "start": _when(to, tz),
            "end": _when(to.astimezone(dt.UTC) + duration, tz),
        }
        if instance.get("status") == "cancelled":
            body["status"] = "confirmed"  # moving a skipped meeting brings it back
        return self._patch_instance(instance, body, send_invites, "move the meeting", dry_run)

    def skip(
        self, meeting_date: dt.date, send_invites: bool = True, dry_run: bool = False
    ) -> dict[str, Any]:
        """Cancel the one meeting scheduled on `meeting_date` (the series stays)."""
        instance = self._instance_on(meeting_date)
        if instance.get("status") == "cancelled":
            return instance  # already skipped: nothing to write, nobody to mail again
        return self._patch_instance(
            instance, {"status": "cancelled"}, send_invites, "cancel the meeting", dry_run
        )

    def delete(self, send_invites: bool = True, dry_run: bool = False) -> dict[str, Any]:
        """Delete the whole series (every meeting) from the calendar; returns the event."""
        event = self._require_event()
        if dry_run:
            return event
        self._execute(
            self._events.delete(
                calendarId=self.series.calendar_id,
                eventId=event["id"],
                sendUpdates=_send_updates(send_invites),
            ),
            "delete the series' event",
        )
        return event

    # -- internals ----------------------------------------------------------------------------

    def _require_event(self) -> dict[str, Any]:
        event = self.find()
        if event is None:
            raise NotFound(
                f"series {self.series.id!r} has no event on calendar {self.series.calendar_id!r}; "
                "create it with `gworkflow event create`"
            )
        return event

    def _instance_on(self, meeting_date: dt.date) -> dict[str, Any]:
        """The instance whose scheduled (original) start falls on `meeting_date`."""
        master = self._require_event()
        tz = self.series.timezone
        middle = dt.datetime(meeting_date.year, meeting_date.month, meeting_date.day, tzinfo=tz)
        answer = self._execute(
            self._events.instances(
                calendarId=self.series.calendar_id,
                eventId=master["id"],
                timeMin=(middle - _SEARCH_WINDOW).isoformat(),
                timeMax=(middle + _SEARCH_WINDOW).isoformat(),
                showDeleted=True,
                timeZone=tz.key,
            ),
            "find the meeting",
        )
        items = answer.get("items", [])
        scheduled: list[dt.date] = []
        for item in items:
            original = _parse_time(item.get("originalStartTime") or item.get("start"), tz)
            if original is None:
                continue
            if original.date() == meeting_date:
                return dict(item)
            scheduled.append(original.date())
        near = sorted(scheduled, key=lambda d: abs((d - meeting_date).days))[:2]
        hint = (
            "nearby meetings: " + ", ".join(d.isoformat() for d in sorted(near))
            if near
            else "no meetings within two months of it"
        )
        raise GworkflowError(
            f"{meeting_date.isoformat()} is not a meeting of series {self.series.id!r} "
            f"({self.schedule.describe()}); {hint}"
        )

    def _patch_instance(
        self,
        instance: dict[str, Any],
        body: dict[str, Any],
        send_invites: bool,
        doing: str,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        if dry_run:
            return {**instance, **body}
        answer = self._execute(
            self._events.patch(
                calendarId=self.series.calendar_id,
                eventId=instance["id"],
                body=body,
                sendUpdates=_send_updates(send_invites),
            ),
            doing,
        )
        return dict(answer)

    def _meeting(self, item: dict[str, Any]) -> Meeting:
        tz = self.series.timezone
        original = _parse_time(item.get("originalStartTime"), tz)
        # Google strips a cancelled instance down to id/status/originalStartTime.
        start = _parse_time(item.get("start"), tz) or original
        if start is None:
            raise GoogleError(
                f"Google Calendar sent an instance without a start time: {item.get('id')}"
            )
        end = _parse_time(item.get("end"), tz)
        if end is None:
            end = (start.astimezone(dt.UTC) + self.series.duration).astimezone(tz)
        status: MeetingStatus = "confirmed"
        if item.get("status") == "cancelled":
            status = "cancelled"
        elif original is not None and start != original:
            status = "moved"
        return Meeting(start=start, end=end, status=status, original_start=original or start)

    def _execute(self, request: Any, doing: str) -> dict[str, Any]:
        """Run one request (googleapiclient retries transient errors itself)."""
        from google.auth.exceptions import RefreshError
        from googleapiclient.errors import HttpError
        from httplib2 import HttpLib2Error

        self.api_calls += 1
        try:
            answer = request.execute(num_retries=self.num_retries)
        except HttpError as error:
            raise _google_error(error, doing) from None
        except RefreshError:
            raise SignInNeeded(
                "Google refused the saved sign-in (expired or revoked); run `gworkflow auth login`"
            ) from None
        except (HttpLib2Error, OSError) as error:
            raise GoogleError(
                f"could not {doing}: cannot reach Google Calendar ({error})"
            ) from None
        return answer if isinstance(answer, dict) else {}


class CalendarError(GoogleError):
    """A Google Calendar error answer, with its HTTP status for callers that handle one."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class CalendarNotFound(NotFound, CalendarError):
    """404/410: the event or calendar is gone, or access to it was lost."""


def series_event_id(series: Series) -> str:
    """The id gworkflow gives a series' event: stable for (calendar, series), in Google's
    event-id alphabet (base32hex, lowercase; 5-1024 characters)."""
    digest = hashlib.sha256(f"{series.calendar_id}\0{series.id}".encode()).digest()[:20]
    return "g" + base64.b32hexencode(digest).decode().lower().rstrip("=")


def new_event_id() -> str:
    """A fresh event id in Google's alphabet (base32hex: a-v, 0-9; 5-1024 characters)."""
    return base64.b32hexencode(uuid.uuid4().bytes).decode().lower().rstrip("=")


def _google_error(error: Any, doing: str) -> GworkflowError:
    status = error_status(error)
    message = error_message(error)
    line = f"could not {doing}: Google Calendar answered {status} {message}".rstrip()
    if status == 401:
        return SignInNeeded(f"{line}; run `gworkflow auth login`")
    if status in (404, 410):
        return CalendarNotFound(
            f"{line} (was the event or calendar deleted, or access lost?)", status
        )
    return CalendarError(line, status)


def _send_updates(send_invites: bool) -> str:
    return "all" if send_invites else "none"


def _conference_version(body: dict[str, Any]) -> dict[str, int]:
    # "Version 0 assumes no conference data support and ignores conference data in the
    # event's body" (calendar.v3.json, conferenceDataVersion).
    return {"conferenceDataVersion": 1} if "conferenceData" in body else {}


def _require_aware(value: dt.datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, not {value.isoformat()}")
