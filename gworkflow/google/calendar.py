"""The series' recurring Google Calendar event on Google: create it once, keep it in step
with the config, and read, move or skip its meetings.

`SeriesEvent` wraps the Calendar resource built by `gworkflow.google.clients` for one
series; it is the runner's `SeriesCalendar` port (`gworkflow.ports`). "Our" event is found
by its private extended property `gworkflowSeries=<series id>`, so no local state is kept
and `create` is idempotent. What the event says (body, patch plan, ids) is in
`gworkflow.google.event_body`; what does not live here: the schedule grammar
(`gworkflow.schedule`), creating a Zoom meeting (`gworkflow.zoom`), printing or prompting.

Every request goes through `gworkflow.google.gateway.execute`, which retries 5xx, 429 and
rate-limit 403s with backoff (so there is no retry loop here), checks each answer's shape
(`gworkflow.google.answers`: an insert answered `{}` is not an event created) and words
every failure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gworkflow.config import Series
from gworkflow.deadline import Deadline
from gworkflow.errors import GoogleError, GworkflowError, NotFound
from gworkflow.google import answers
from gworkflow.google.event_body import (
    SERIES_PROPERTY,
    event_body,
    event_time,
    new_event_id,
    parse_event_time,
    plan_update,
    series_event_id,
)
from gworkflow.google.gateway import NUM_RETRIES, ApiError, Call, Checker, Request, execute
from gworkflow.meeting import Meeting, MeetingStatus
from gworkflow.types import JSON

CALENDAR = "Google Calendar"
# How far around a meeting date `move`/`skip` look for its instance (and for nearby dates
# to suggest): two months covers a monthly series even if the meeting was moved weeks away.
_SEARCH_WINDOW = dt.timedelta(days=62)


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateResult:
    """What `create` did. In a dry run nothing is written: `event` is the body that would be
    inserted and `created` says whether it would be."""

    event: JSON
    created: bool
    api_calls: int
    dry_run: bool = False
    # Set when `event` is someone else's event that this calendar holds as an invitation
    # (the signed-in account is an attendee): the organizer's e-mail (or name).
    organizer: str | None = None


@dataclass(frozen=True)
class UpdateResult:
    """What `update` did: `changes` is the patch body ({} when the event was in step);
    `event` is the event after the patch (as found, when nothing changed or in a dry run);
    `before` the event as found."""

    event: JSON
    changes: JSON = field(default_factory=dict)
    api_calls: int = 0
    dry_run: bool = False
    before: JSON = field(default_factory=dict)


# --- the event on Google -----------------------------------------------------------------


class SeriesEvent:
    """The recurring event of one series on its calendar (`calendar` is a Calendar v3
    resource from `build_clients`). `api_calls` counts the requests made (not retries)."""

    def __init__(
        self,
        calendar: Any,
        series: Series,
        num_retries: int = NUM_RETRIES,
        deadline: Deadline | None = None,
    ) -> None:
        self._events = calendar.events()
        self.series = series
        self.schedule = series.schedule
        self.num_retries = num_retries
        self.deadline = deadline or Deadline(None)
        self.api_calls = 0

    # -- reading ------------------------------------------------------------------------------

    def find(self) -> JSON | None:
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
                answers.events,
                gone=self._calendar_gone(),
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
        except NotFound:
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
                answers.events,
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
        event: JSON | None = None
        for event_id in (series_event_id(self.series), new_event_id()):
            body["id"] = event_id
            try:
                event = self._insert(body, send_invites)
                break
            except ApiError as error:
                if error.status != 409:
                    raise
                landed = self.find()
                if landed is not None:
                    # Landed by our own retried POST (the 409 answered a second send), or
                    # made by a concurrent `run` (a 409 on our first send): only the first
                    # is this call's doing.
                    ours = error.sends > 1 and landed.get("id") == body["id"]
                    return CreateResult(landed, ours, self.api_calls - calls_before)
                invitation = self.invitation(event_id)
                if invitation is not None:
                    # Run from an attendee's account: the calendar holds the organizer's
                    # event as an invitation (same id, without our private property). A
                    # second series would double every meeting: use theirs.
                    return CreateResult(
                        invitation,
                        False,
                        self.api_calls - calls_before,
                        organizer=organizer_of(invitation),
                    )
        if event is None:
            raise GoogleError(
                "could not create the series' event: Google Calendar answered 409 for both ids "
                "tried, and no event of the series is visible: run the command again"
            )
        return CreateResult(dict(event), True, self.api_calls - calls_before)

    def _insert(self, body: JSON, send_invites: bool) -> JSON:
        return self._execute(
            self._events.insert(
                calendarId=self.series.calendar_id,
                body=body,
                sendUpdates=_send_updates(send_invites),
                **_conference_version(body),
            ),
            "create the series' event",
            answers.event,
            gone=self._calendar_gone(),
        )

    def invitation(self, event_id: str | None = None) -> JSON | None:
        """The event `event_id` (default: the series' derived id) when this calendar holds
        it as an invitation from someone else: live, and its organizer is not this calendar.

        An attendee's copy of the organizer's event carries the same id but not the
        organizer's private extended properties (calendar.v3.json,
        Event.extendedProperties.private: "private to the copy of the event that appears on
        this calendar"), so `find()` does not see it."""
        try:
            event = self._execute(
                self._events.get(
                    calendarId=self.series.calendar_id,
                    eventId=event_id or series_event_id(self.series),
                ),
                "look for an invitation to the series' event",
                answers.event,
            )
        except NotFound:
            return None
        organizer = event.get("organizer") or {}
        if event.get("status") == "cancelled" or organizer.get("self") or not organizer:
            return None
        return dict(event)

    def update(
        self, doc_url: str, send_invites: bool = True, dry_run: bool = False
    ) -> UpdateResult:
        """Push config changes (title, time, rule, link, attendees, description) to the
        event with one patch; no patch when it is already in step."""
        calls_before = self.api_calls
        existing = self._require_event()
        changes = plan_update(existing, self.series, self.schedule, doc_url)
        if not changes or dry_run:
            return UpdateResult(
                existing, changes, self.api_calls - calls_before, dry_run, before=existing
            )
        event = self._execute(
            self._events.patch(
                calendarId=self.series.calendar_id,
                eventId=existing["id"],
                body=changes,
                sendUpdates=_send_updates(send_invites),
                **_conference_version(changes),
            ),
            "update the series' event",
            answers.event,
        )
        return UpdateResult(dict(event), changes, self.api_calls - calls_before, before=existing)

    def move(
        self,
        meeting_date: dt.date,
        to: dt.datetime,
        send_invites: bool = True,
        dry_run: bool = False,
    ) -> JSON:
        """Move the meeting scheduled on `meeting_date` (series zone) to start at `to`.

        Returns the instance as patched (as it would be, with `dry_run`)."""
        _require_aware(to, "to")
        tz = self.series.timezone
        instance = self._instance_on(meeting_date)
        start = parse_event_time(instance.get("start"), tz)
        end = parse_event_time(instance.get("end"), tz)
        duration = end - start if start is not None and end is not None else self.series.duration
        body: JSON = {
            "start": event_time(to, tz),
            "end": event_time(to.astimezone(dt.UTC) + duration, tz),
        }
        if instance.get("status") == "cancelled":
            body["status"] = "confirmed"  # moving a skipped meeting brings it back
        return self._patch_instance(instance, body, send_invites, "move the meeting", dry_run)

    def skip(self, meeting_date: dt.date, send_invites: bool = True, dry_run: bool = False) -> JSON:
        """Cancel the one meeting scheduled on `meeting_date` (the series stays)."""
        instance = self._instance_on(meeting_date)
        if instance.get("status") == "cancelled":
            return instance  # already skipped: nothing to write, nobody to mail again
        return self._patch_instance(
            instance, {"status": "cancelled"}, send_invites, "cancel the meeting", dry_run
        )

    def delete(self, send_invites: bool = True, dry_run: bool = False) -> JSON:
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
            answers.anything,
        )
        return event

    # -- internals ----------------------------------------------------------------------------

    def _require_event(self) -> JSON:
        event = self.find()
        if event is None:
            invitation = self.invitation()
            if invitation is not None:
                raise GworkflowError(
                    f"series {self.series.id!r}: calendar {self.series.calendar_id!r} holds "
                    f"{organizer_of(invitation)}'s event as an invitation; only its organizer "
                    "can change it: run this command from the organizer's gworkflow"
                )
            raise NotFound(
                f"series {self.series.id!r} has no event on calendar {self.series.calendar_id!r}; "
                "create it with `gworkflow event create`"
            )
        return event

    def _instance_on(self, meeting_date: dt.date) -> JSON:
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
            answers.events,
        )
        items = answer.get("items", [])
        scheduled: list[dt.date] = []
        for item in items:
            original = parse_event_time(item.get("originalStartTime") or item.get("start"), tz)
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
        instance: JSON,
        body: JSON,
        send_invites: bool,
        doing: str,
        dry_run: bool = False,
    ) -> JSON:
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
            answers.event,
        )
        return dict(answer)

    def _meeting(self, item: JSON) -> Meeting:
        tz = self.series.timezone
        original = parse_event_time(item.get("originalStartTime"), tz)
        # Google strips a cancelled instance down to id/status/originalStartTime.
        start = parse_event_time(item.get("start"), tz) or original
        if start is None:
            raise GoogleError(
                f"Google Calendar sent an instance without a start time: {item.get('id')}"
            )
        end = parse_event_time(item.get("end"), tz)
        if end is None:
            end = (start.astimezone(dt.UTC) + self.series.duration).astimezone(tz)
        status: MeetingStatus = "confirmed"
        if item.get("status") == "cancelled":
            status = "cancelled"
        elif original is not None and start != original:
            status = "moved"
        return Meeting(start=start, end=end, status=status, original_start=original or start)

    def _calendar_gone(self) -> str:
        # For calls addressed to the calendar itself (list, insert), a 404 can only mean
        # the calendar: Google answers 404 for an unknown calendar id and for one the
        # account cannot see.
        return (
            f"calendar {self.series.calendar_id!r} was not found or is not shared with the "
            f"signed-in account: check calendar_id of series {self.series.id!r} in the config"
        )

    def _execute(
        self, request: Request, doing: str, expect: Checker, gone: str | None = None
    ) -> JSON:
        """Run one request through the gateway, counting it; `expect` checks the answer and
        `gone` replaces the hint for a 404/410."""
        self.api_calls += 1
        calendar_id = self.series.calendar_id
        call = Call(
            CALENDAR,
            doing,
            gone=gone
            or (
                f"the event or calendar {calendar_id!r} was deleted, or access to it was lost; "
                "check calendar_id in the config, or make the event again with "
                "`gworkflow event create`"
            ),
            # Google's 403 requiredAccessLevel: "You need to have writer access to this
            # calendar." (docs/google-api-notes.md).
            denied=(
                f"you need writer access to calendar {calendar_id!r}: ask its owner to share "
                "it with 'Make changes to events', or set calendar_id of series "
                f"{self.series.id!r} in the config to a calendar you own"
            ),
            expect=expect,
        )
        return execute(request, call, self.num_retries, self.deadline)


def organizer_of(event: JSON) -> str:
    """Who organizes `event`: their e-mail, else their name."""
    organizer = event.get("organizer") or {}
    return str(organizer.get("email") or organizer.get("displayName") or "someone else")


def _send_updates(send_invites: bool) -> str:
    return "all" if send_invites else "none"


def _conference_version(body: JSON) -> dict[str, int]:
    # "Version 0 assumes no conference data support and ignores conference data in the
    # event's body" (calendar.v3.json, conferenceDataVersion).
    return {"conferenceDataVersion": 1} if "conferenceData" in body else {}


def _require_aware(value: dt.datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, not {value.isoformat()}")
