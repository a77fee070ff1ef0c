"""The Calendar v3 emulator engine: events on in-memory calendars, recurrence expanded
with dateutil in each event's own time zone, conference data, paging.

What lives here: `CalendarStore` with one method per `events.*` call the sandbox server
routes to (insert/get/list/patch/update/delete/instances), Google's error answers as
`ApiError`, a log of invitation mail (`CalendarStore.invitations`) and a JSON-able
state for saving the sandbox between runs.

Users and calendars: the sandbox has users (SANDBOX_USER, plus any added with `add_user`);
each owns a primary calendar whose id is their e-mail, and `add_calendar` grants a user
owner, writer or reader access to a calendar. Every call is made by the acting user
(`acting_as`): "primary" is theirs, a calendar they cannot see is 404, writing with only
reader access is 403 requiredAccessLevel. An event inserted with attendees who are sandbox
users appears in each one's primary calendar as their copy: the same id, the organizer
named, without the organizer's private extended properties (docs/google-api-notes.md,
"Attendees' copies and private extended properties"). A copy is a view of the organizer's
event (so later changes show through) plus what the attendee set on it themselves.

What does not: HTTP, query-string parsing, schema validation of enum parameters (the
server does those), calendars/calendarList/acl resources, sync tokens, watch channels,
attendees' replies to invitations.

Facts about Google's behaviour are cited next to the code that copies them. The
authority for parameter semantics is the discovery document shipped with
google-api-python-client (googleapiclient/discovery_cache/documents/calendar.v3.json).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import itertools
import json
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rruleset, rrulestr

from gworkflow.sandbox.behaviors import Behaviors
from gworkflow.sandbox.errors import ApiError

# The sandbox's default user: the one acting unless another is chosen, owner of "primary".
SANDBOX_USER = "sandbox-user@example.com"
# The access a user can have to a calendar (calendar.v3.json, CalendarListEntry.accessRole,
# less freeBusyReader, which sees no events).
ACCESS_ROLES = ("owner", "writer", "reader")
# What an attendee may set on their own copy of an event; the rest is the organizer's.
_ATTENDEE_FIELDS = ("extendedProperties", "reminders", "colorId", "transparency")
# Shared properties only the organizer may change (Calendar errors guide: 403
# forbiddenForNonOrganizer, "Shared properties can only be changed by the organizer of the
# event.").
_SHARED_FIELDS = ("guestsCanInviteOthers", "guestsCanModify", "guestsCanSeeOtherGuests")
# What the cancelled_instance_body=minimal switch keeps: calendar.v3.json, Event.status,
# "Cancelled exceptions are only guaranteed to have values for the id, recurringEventId and
# originalStartTime fields populated." (plus the status itself and the resource's kind/etag).
_MINIMAL_CANCELLED = ("kind", "etag", "id", "status", "recurringEventId", "originalStartTime")
# The time zone of the sandbox calendars (Google answers with the calendar's zone in list).
CALENDAR_TIME_ZONE = "UTC"
# calendar.v3.json, events.list maxResults: "By default the value is 250 events. The page
# size can never be larger than 2500 events."
DEFAULT_PAGE_SIZE = 250
MAX_PAGE_SIZE = 2500
# An RRULE without COUNT/UNTIL is infinite: expansion stops after this many instances
# (two years of a daily meeting) when no timeMax bounds it.
INSTANCE_CAP = 730

# Fields a client cannot write: Google ignores them in request bodies.
_READ_ONLY = frozenset(
    {
        "kind",
        "etag",
        "id",
        "htmlLink",
        "created",
        "updated",
        "creator",
        "organizer",
        "iCalUID",
        "recurringEventId",
        "originalStartTime",
        "sequence",
        "conferenceData",  # handled by _conference(), gated on conferenceDataVersion
    }
)
_ID_RE = re.compile(r"[a-v0-9]{5,1024}")
_INSTANCE_SUFFIX_RE = re.compile(r"\d{8}(T\d{6}Z)?")
_MEET_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Spelled out because CalendarStore.list shadows the builtin inside the class body.
_Resources = list[dict[str, Any]]


def _bad_request(message: str, reason: str = "invalid") -> ApiError:
    return ApiError(400, message, reason)


def _not_found() -> ApiError:
    # Google's body for an unknown event or calendar id: 404 "Not Found", reason notFound.
    return ApiError(404, "Not Found", "notFound")


def _no_write_access() -> ApiError:
    # Writing to a calendar the user may only read (spatie/laravel-google-calendar#95;
    # docs/google-api-notes.md, "Calendar access: 403 requiredAccessLevel or 404").
    return ApiError(
        403, "You need to have writer access to this calendar.", "requiredAccessLevel", "calendar"
    )


def _not_emulated(what: str) -> ApiError:
    # An honest answer for what the sandbox does not model, never mistaken for Google's.
    return ApiError(501, f"The sandbox does not emulate {what}.", "notImplemented")


def _gone() -> ApiError:
    # Deleting an already deleted event: 410 "Resource has been deleted"
    # (googleapis/google-api-python-client#210, derekantrican/GAS-ICS-Sync#472).
    return ApiError(410, "Resource has been deleted", "deleted")


# ---------------------------------------------------------------------------- times


def _format_utc(moment: datetime) -> str:
    """Google's `created`/`updated` form: UTC with milliseconds and Z."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _format_local(moment: datetime) -> str:
    """RFC 3339 with the moment's own offset, seconds precision (Z for UTC)."""
    text = moment.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _parse_rfc3339(value: object, name: str) -> datetime:
    """A query parameter such as timeMin: RFC 3339 with a mandatory offset."""
    if not isinstance(value, str):
        raise _bad_request(f"Invalid value for {name}.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _bad_request(f"Invalid value for {name}.") from None
    if moment.tzinfo is None:
        # calendar.v3.json: "Must be an RFC3339 timestamp with mandatory time zone offset".
        raise _bad_request(f"Invalid value for {name}.")
    return moment


def _zone(name: str, which: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # Google: 400 "Invalid time zone definition for start time." for a name that is
        # not an IANA id (golinuxcloud.com/fix-google-calendar-api-unknown-time-zone).
        raise _bad_request(f"Invalid time zone definition for {which} time.") from None


@dataclass(frozen=True)
class _When:
    """One parsed `start`/`end`: an aware moment, the zone it is shown in, all-day flag."""

    moment: datetime
    zone: ZoneInfo | None
    all_day: bool

    def to_api(self) -> dict[str, str]:
        if self.all_day:
            return {"date": self.moment.date().isoformat()}
        if self.zone is None:
            return {"dateTime": _format_local(self.moment)}
        return {
            "dateTime": _format_local(self.moment.astimezone(self.zone)),
            "timeZone": self.zone.key,
        }


def _parse_when(value: object, which: str, *, recurring: bool) -> _When:
    """Parse an event's `start` or `end` object as Google validates it."""
    if not isinstance(value, dict) or not (value.get("dateTime") or value.get("date")):
        raise _bad_request(f"Missing {which} time.", "required")
    if value.get("date") and not value.get("dateTime"):
        try:
            day = date.fromisoformat(str(value["date"]))
        except ValueError:
            raise _bad_request(f"Invalid {which} time.") from None
        # All-day events are placed on the calendar's own day boundaries.
        midnight = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(CALENDAR_TIME_ZONE))
        return _When(midnight, None, all_day=True)
    zone_name = value.get("timeZone")
    zone = _zone(str(zone_name), which) if zone_name else None
    try:
        moment = datetime.fromisoformat(str(value["dateTime"]))
    except ValueError:
        raise _bad_request(f"Invalid {which} time.") from None
    if recurring and zone is None:
        # A recurring event needs an IANA zone to expand in (DST); an offset alone is a 400
        # "Missing time zone definition for start time." (docs/google-api-notes.md,
        # "Recurring events need start.timeZone").
        raise _bad_request(f"Missing time zone definition for {which} time.")
    if moment.tzinfo is None:
        if zone is None:
            raise _bad_request(f"Missing time zone definition for {which} time.")
        moment = moment.replace(tzinfo=zone)
    return _When(moment, zone, all_day=False)


# ----------------------------------------------------------------------- recurrence


def _instance_suffix(original: datetime, all_day: bool) -> str:
    """Instance id suffix: the UTC original start (YYYYMMDDTHHMMSSZ), or YYYYMMDD all-day."""
    if all_day:
        return original.strftime("%Y%m%d")
    return original.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _until_in_utc(rule: str, zone: ZoneInfo | None) -> str:
    """dateutil refuses a floating UNTIL with an aware DTSTART; Google accepts one
    (and a DATE UNTIL), read in the event's zone. Rewrite it to UTC."""
    if zone is None:
        return rule

    def fix(match: re.Match[str]) -> str:
        value = match.group(1)
        if value.endswith("Z"):
            return match.group(0)
        if len(value) == 8:
            local = datetime.strptime(value, "%Y%m%d").replace(
                hour=23, minute=59, second=59, tzinfo=zone
            )
        else:
            local = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
        return "UNTIL=" + local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    return re.sub(r"UNTIL=([0-9TZ]+)", fix, rule, flags=re.IGNORECASE)


def _date_list(line: str, start: _When) -> list[datetime]:
    """EXDATE/RDATE values as moments comparable with the rule's occurrences."""
    head, _, values = line.partition(":")
    params = dict(p.split("=", 1) for p in head.split(";")[1:] if "=" in p)
    tzid = params.get("TZID")
    moments = []
    for raw in filter(None, values.split(",")):
        raw = raw.strip()
        if len(raw) == 8:  # a DATE: for a timed event, the occurrence on that day
            day = datetime.strptime(raw, "%Y%m%d")
            if start.all_day:
                moments.append(day)
                continue
            local = start.moment.astimezone(start.zone)
            moments.append(
                datetime.combine(day.date(), local.timetz().replace(tzinfo=None), start.zone)
            )
        elif raw.endswith("Z"):
            moment = datetime.strptime(raw, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            moments.append(moment if not start.all_day else moment.replace(tzinfo=None))
        else:
            naive = datetime.strptime(raw, "%Y%m%dT%H%M%S")
            zone = _zone(tzid, "start") if tzid else start.zone
            moments.append(naive.replace(tzinfo=zone) if not start.all_day else naive)
    return moments


def _build_ruleset(recurrence: list[Any], start: _When) -> tuple[rruleset, datetime]:
    """The event's recurrence as a dateutil rruleset anchored at its local start.

    The anchor is the wall time in start.timeZone, so dateutil keeps 14:00 local on
    every date and zoneinfo gives each date its own offset (DST-correct). All-day events
    expand on naive midnights.

    Sources (the sandbox's own copy of what the product's schedule also computes; each is
    tested against literal instants in tests/support/google_facts.py): RFC 5545 3.3.10
    for the rule; calendar.v3.json EventDateTime.timeZone, "specifies the time zone in
    which the recurrence is expanded"; RFC 5545 3.3.5 for a local time in the DST gap (the
    offset before the gap) or repeated (the first one), which zoneinfo's fold=0 gives.
    See docs/google-api-notes.md, "RRULE expansion follows RFC 5545" and "Nonexistent and
    repeated local times"."""
    anchor = (
        start.moment.replace(tzinfo=None) if start.all_day else start.moment.astimezone(start.zone)
    )
    rset = rruleset()
    has_rule = False
    for line in recurrence:
        if not isinstance(line, str):
            raise _bad_request("Invalid recurrence rule.")
        name = line.split(":", 1)[0].split(";", 1)[0].strip().upper()
        try:
            if name in ("RRULE", "EXRULE"):
                text = _until_in_utc(line.split(":", 1)[1], start.zone)
                parsed = rrulestr(text, dtstart=anchor)
                if not isinstance(parsed, rrule):
                    raise ValueError(line)
                (rset.rrule if name == "RRULE" else rset.exrule)(parsed)
                has_rule = has_rule or name == "RRULE"
            elif name in ("EXDATE", "RDATE"):
                for moment in _date_list(line, start):
                    (rset.exdate if name == "EXDATE" else rset.rdate)(moment)
                has_rule = has_rule or name == "RDATE"
            else:
                # recurrence[] holds RRULE, EXRULE, RDATE and EXDATE lines only: "This field
                # is omitted for single events or instances of recurring events" and DTSTART
                # / DTEND "are not allowed" (calendar.v3.json, Event.recurrence).
                raise ValueError(line)
        except (ValueError, IndexError, TypeError):
            raise _bad_request("Invalid recurrence rule.") from None
    if not has_rule:
        raise _bad_request("Invalid recurrence rule.")
    # RFC 5545 3.8.5.3: DTSTART is the first instance even where the rule would not
    # produce it, and Google shows the event on its start date in that case too.
    rset.rdate(anchor)
    return rset, anchor


# ------------------------------------------------------------------------- records


@dataclass
class _Record:
    """One stored event: its resource (the series master for a recurring event) and the
    per-instance overrides of a recurring one, keyed by instance id suffix.

    An attendee's copy has `copy_of` = [organizer's calendar, event id] and keeps in
    `event` only what the attendee set on it (see `CalendarStore._view`)."""

    event: dict[str, Any]
    exceptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    copy_of: list[str] | None = None

    @property
    def recurring(self) -> bool:
        return bool(self.event.get("recurrence"))

    def start(self) -> _When:
        return _parse_when(self.event["start"], "start", recurring=self.recurring)

    def end(self) -> _When:
        return _parse_when(self.event["end"], "end", recurring=self.recurring)


def _merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Patch semantics: objects merge recursively, arrays and scalars replace, null clears."""
    merged = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            if key in ("start", "end", "originalStartTime") and ("date" in value) != (
                "date" in merged[key]
            ):
                merged[key] = copy.deepcopy(value)  # switching all-day <-> timed
            else:
                merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _writable(body: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in body.items() if k not in _READ_ONLY}


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


def _html_link(event_id: str, calendar_id: str) -> str:
    eid = base64.urlsafe_b64encode(f"{event_id} {calendar_id}".encode()).decode().rstrip("=")
    return f"https://www.google.com/calendar/event?eid={eid}"


def _new_event_id() -> str:
    # Google's generated ids are 26 base32hex characters (lowercase a-v, 0-9).
    return base64.b32hexencode(uuid.uuid4().bytes).decode().lower().rstrip("=")


def _meet_code(seed: str) -> str:
    """A Meet code (xxx-yyyy-zzz), derived from the event and requestId so it is stable."""
    digest = hashlib.sha256(seed.encode()).digest()
    letters = "".join(_MEET_LETTERS[b % 26] for b in digest[:10])
    return f"{letters[:3]}-{letters[3:7]}-{letters[7:10]}"


def _property_filters(value: object) -> list[tuple[str, str]]:
    """privateExtendedProperty=k=v, repeatable; every constraint must match."""
    if value is None:
        raw: list[object] = []
    elif isinstance(value, str):
        raw = [value]
    elif isinstance(value, list | tuple):
        raw = list(value)
    else:
        raw = [value]
    pairs = []
    for item in raw:
        key, sep, expected = str(item).partition("=")
        if not sep:
            raise _bad_request("Invalid extended property constraint.")
        pairs.append((key, expected))
    return pairs


class CalendarStore:
    """Every calendar of the sandbox user and the events on them."""

    def __init__(
        self, clock: Callable[[], datetime] | None = None, behaviors: Behaviors | None = None
    ) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.RLock()
        self.behaviors = behaviors or Behaviors()
        self._calendars: dict[str, dict[str, _Record]] = {}
        # calendar id -> {user e-mail: "owner" | "writer" | "reader"}
        self._access: dict[str, dict[str, str]] = {}
        self._users: list[str] = []
        self.user = SANDBOX_USER  # who is making the current call
        self.add_user(SANDBOX_USER)
        self._revision = 0
        # One entry per write: {"eventId", "sendUpdates", "attendees": [emails]}; what
        # Google would have mailed. Tests read it; nothing is sent.
        self.invitations: list[dict[str, Any]] = []

    # ------------------------------------------------------------ users and calendars

    def add_user(self, email: str) -> None:
        """A sandbox user: owner of the primary calendar whose id is `email`."""
        with self._lock:
            if not isinstance(email, str) or "@" not in email:
                raise ValueError(f"a user is an e-mail address, not {email!r}")
            if email not in self._users:
                self._users.append(email)
            self._calendars.setdefault(email, {})
            self._access.setdefault(email, {})[email] = "owner"

    def users(self) -> list[str]:
        with self._lock:
            return list(self._users)

    def add_calendar(self, calendar_id: str, access: str, user: str | None = None) -> None:
        """Give `user` (default: the acting user) `access` to `calendar_id`, creating the
        calendar if it does not exist (a shared or secondary calendar)."""
        with self._lock:
            if not isinstance(calendar_id, str) or not calendar_id or calendar_id == "primary":
                raise ValueError("a calendar needs an id (not 'primary')")
            if access not in ACCESS_ROLES:
                raise ValueError(f"access must be one of {', '.join(ACCESS_ROLES)}, not {access!r}")
            who = user or self.user
            self.add_user(who)
            self._calendars.setdefault(calendar_id, {})
            self._access.setdefault(calendar_id, {})[who] = access

    @contextmanager
    def acting_as(self, user: str | None) -> Iterator[None]:
        """Make the calls inside as `user` (a sandbox user; None: the default user)."""
        with self._lock:
            previous = self.user
            who = user or SANDBOX_USER
            self.add_user(who)
            self.user = who
            try:
                yield
            finally:
                self.user = previous

    # ------------------------------------------------------------ events.* methods

    def insert(
        self, calendar_id: str, body: dict[str, Any], params: dict[str, Any]
    ) -> dict[str, Any]:
        """events.insert."""
        with self._lock:
            key = self._resolve(calendar_id)
            events = self._calendar(calendar_id, write=True)
            event_id = body.get("id")
            if event_id is None:
                event_id = _new_event_id()
            elif not isinstance(event_id, str) or not _ID_RE.fullmatch(event_id):
                # 400 "Invalid resource id value." (odoo/odoo#18180,
                # googleworkspace/dotnet-samples#33); rules in calendar.v3.json Event.id.
                raise _bad_request("Invalid resource id value.")
            elif event_id in events:
                # Even a deleted id stays taken (googleapis/google-api-python-client#210).
                raise ApiError(409, "The requested identifier already exists.", "duplicate")
            now = self._now()
            event = _writable(body)
            event.update(
                {
                    "kind": "calendar#event",
                    "id": event_id,
                    "status": body.get("status") or "confirmed",
                    "htmlLink": _html_link(event_id, key),
                    "created": now,
                    "iCalUID": body.get("iCalUID") or f"{event_id}@google.com",
                    "sequence": 0,
                    # "self": whether the person is the calendar this copy is on.
                    "creator": _person(self.user, key),
                    "organizer": _person(key, key),
                }
            )
            conference, fresh = self._conference(event_id, body, None, params, full=True)
            if conference is not None:
                event["conferenceData"] = conference
            event = self._normalize(event)
            self._stamp(event)
            record = _Record(event)
            events[event_id] = record
            self._log(event_id, params, event)
            self._send_copies(key, record)
            return self._answer(event, fresh)

    def get(self, calendar_id: str, event_id: str, params: dict[str, Any]) -> dict[str, Any]:
        """events.get; a deleted event still answers, with status "cancelled"
        (googleapis/google-api-java-client#1535, bobuk/gcalsync#14)."""
        with self._lock:
            _, record, suffix = self._lookup(calendar_id, event_id)
            if suffix is None:
                return self._present_read(record.event)
            return self._present_read(self._instance_or_404(record, suffix))

    def list(self, calendar_id: str, params: dict[str, Any]) -> dict[str, Any]:
        """events.list: filters, expansion with singleEvents, ordering and paging."""
        with self._lock:
            events = self._calendar(calendar_id)
            single = _truthy(params.get("singleEvents"))
            show_deleted = _truthy(params.get("showDeleted"))
            order_by = params.get("orderBy")
            if order_by == "startTime" and not single:
                # Google: 400 "The requested ordering is not available for the particular
                # query." (orderBy=startTime is only for expanded, single events).
                raise _bad_request(
                    "The requested ordering is not available for the particular query.",
                    "badRequest",
                )
            low, high = self._window(params)
            private = _property_filters(params.get("privateExtendedProperty"))
            shared = _property_filters(params.get("sharedExtendedProperty"))
            query = str(params.get("q") or "").strip().lower()

            def wanted(event: dict[str, Any]) -> bool:
                return (
                    _props_match(event, "private", private)
                    and _props_match(event, "shared", shared)
                    and (not query or _text_match(event, query))
                )

            items: list[dict[str, Any]] = []
            for record in self._views(self._resolve(calendar_id), events):
                master = record.event
                master_deleted = master.get("status") == "cancelled"
                if not record.recurring:
                    if (
                        (show_deleted or not master_deleted)
                        and wanted(master)
                        and _overlaps(record.start(), record.end(), low, high)
                    ):
                        items.append(master)
                    continue
                if master_deleted and not show_deleted:
                    continue
                if single:
                    for instance in self._expand(record, low, high):
                        if instance.get("status") == "cancelled" and not show_deleted:
                            continue
                        if wanted(instance):
                            items.append(instance)
                    continue
                # Not expanded: the master once if the series touches the window, plus its
                # exceptions, cancelled ones included: "Cancelled instances of recurring
                # events (but not the underlying recurring event) will still be included if
                # showDeleted and singleEvents are both False." (calendar.v3.json)
                if wanted(master) and next(self._occurrences(record, low, high), None):
                    items.append(master)
                for suffix in record.exceptions:
                    exception = self._instance(record, suffix)
                    if exception is None or not wanted(exception):
                        continue
                    if _overlaps(_inst_start(exception), _inst_end(exception), low, high):
                        items.append(exception)
            if order_by == "updated":
                items.sort(key=lambda e: (e["updated"], e["id"]))
            elif single:
                items.sort(key=lambda e: (_sort_start(e), e["id"]))
            return self._page(items, params, calendar_id)

    def patch(
        self, calendar_id: str, event_id: str, body: dict[str, Any], params: dict[str, Any]
    ) -> dict[str, Any]:
        """events.patch: merge semantics; on an instance id, an exception instance."""
        with self._lock:
            return self._write(calendar_id, event_id, body, params, full=False)

    def update(
        self, calendar_id: str, event_id: str, body: dict[str, Any], params: dict[str, Any]
    ) -> dict[str, Any]:
        """events.update: the body replaces every writable field."""
        with self._lock:
            return self._write(calendar_id, event_id, body, params, full=True)

    def delete(self, calendar_id: str, event_id: str, params: dict[str, Any]) -> None:
        """events.delete: the event (or one instance) becomes status "cancelled"."""
        with self._lock:
            raw, record, suffix = self._lookup(calendar_id, event_id, write=True)
            if raw.copy_of is not None:
                # An attendee removes the event from their own calendar only.
                if suffix is not None:
                    raise _not_emulated("an attendee deleting one meeting of their copy")
                if record.event.get("status") == "cancelled":
                    raise _gone()
                raw.event["status"] = "cancelled"
                return
            if suffix is None:
                if record.event.get("status") == "cancelled":
                    raise _gone()
                record.event["status"] = "cancelled"
                self._stamp(record.event)
                self._log(record.event["id"], params, record.event)
                return
            instance = self._instance_or_404(record, suffix)
            if instance.get("status") == "cancelled":
                raise _gone()
            override = record.exceptions.setdefault(suffix, {})
            override["status"] = "cancelled"
            self._stamp(override)
            self._log(instance["id"], params, instance)

    def instances(self, calendar_id: str, event_id: str, params: dict[str, Any]) -> dict[str, Any]:
        """events.instances: the series expanded in start.timeZone, exceptions applied."""
        with self._lock:
            _, record, suffix = self._lookup(calendar_id, event_id)
            if suffix is not None:
                raise _not_found()
            low, high = self._window(params)
            show_deleted = _truthy(params.get("showDeleted"))
            # calendar.v3.json: timeMin is "Lower bound (inclusive)" for events.instances but
            # "(exclusive)" for events.list; the switch instances_time_min plays both
            # (docs/google-api-notes.md, "timeMin is inclusive for instances, exclusive for
            # list").
            inclusive = self.behaviors.is_("instances_time_min", "inclusive")
            if not record.recurring:
                # A single event is its own only instance.
                overlaps = _overlaps(record.start(), record.end(), low, high, inclusive)
                items = [record.event] if overlaps else []
            else:
                items = list(self._expand(record, low, high, inclusive))
            if not show_deleted:
                items = [e for e in items if e.get("status") != "cancelled"]
            if params.get("originalStart"):
                wanted = _parse_rfc3339(params["originalStart"], "originalStart")
                items = [e for e in items if _original_start(e) == wanted]
            items.sort(key=lambda e: (_sort_start(e), e["id"]))
            return self._page(items, params, calendar_id)

    # --------------------------------------------------------------- inspection

    def summaries(self) -> _Resources:
        """One line per event for the sandbox's HTML index."""
        with self._lock:
            rows = []
            for calendar_id, events in self._calendars.items():
                for record in events.values():
                    if record.copy_of is not None:
                        continue  # an attendee's copy is the same event: listed once
                    event = record.event
                    exceptions = []
                    for suffix in record.exceptions:
                        instance = self._instance(record, suffix)
                        if instance is not None:
                            exceptions.append(
                                {
                                    "id": instance["id"],
                                    "status": instance["status"],
                                    "start": instance["start"],
                                }
                            )
                    rows.append(
                        {
                            "calendarId": calendar_id,
                            "id": event["id"],
                            "summary": event.get("summary", ""),
                            "status": event["status"],
                            "start": copy.deepcopy(event["start"]),
                            "end": copy.deepcopy(event["end"]),
                            "recurrence": list(event.get("recurrence", [])),
                            "location": event.get("location", ""),
                            "attendees": [a.get("email") for a in event.get("attendees", [])],
                            "hangoutLink": event.get("hangoutLink"),
                            "exceptions": exceptions,
                        }
                    )
            return rows

    def to_state(self) -> dict[str, Any]:
        """Everything, as JSON-able data (from_state reads it back)."""
        with self._lock:
            return copy.deepcopy(
                {
                    "version": 1,
                    "revision": self._revision,
                    "users": self._users,
                    "access": self._access,
                    "calendars": {
                        cid: {eid: _record_state(r) for eid, r in events.items()}
                        for cid, events in self._calendars.items()
                    },
                    "invitations": self.invitations,
                }
            )

    @classmethod
    def from_state(
        cls,
        state: dict[str, Any],
        clock: Callable[[], datetime] | None = None,
        behaviors: Behaviors | None = None,
    ) -> CalendarStore:
        store = cls(clock, behaviors)
        state = copy.deepcopy(state)
        store._revision = int(state.get("revision", 0))
        for user in state.get("users", []):
            store.add_user(user)
        for cid, events in state.get("calendars", {}).items():
            store._calendars[cid] = {
                eid: _Record(data["event"], data.get("exceptions", {}), data.get("copyOf"))
                for eid, data in events.items()
            }
            if "access" not in state:
                # Saved before calendars had access rules: its owner was the only user.
                store._access.setdefault(cid, {}).setdefault(SANDBOX_USER, "owner")
        for cid, roles in state.get("access", {}).items():
            store._access.setdefault(cid, {}).update(roles)
        store.invitations = list(state.get("invitations", []))
        return store

    # --------------------------------------------------------------- internals

    def _now(self) -> str:
        return _format_utc(self._clock())

    def _stamp(self, resource: dict[str, Any]) -> None:
        """New `updated` and `etag` (Google's etags are quoted decimal numbers)."""
        self._revision += 1
        moment = self._clock()
        resource["updated"] = _format_utc(moment)
        micros = int(moment.timestamp() * 1_000_000)
        resource["etag"] = f'"{micros * 1000 + self._revision % 1000}"'

    def _resolve(self, calendar_id: str) -> str:
        return self.user if calendar_id == "primary" else calendar_id

    def _role(self, calendar_id: str) -> str | None:
        """The acting user's access to a calendar; None when they cannot see it."""
        key = self._resolve(calendar_id)
        if key not in self._calendars:
            return None
        return self._access.get(key, {}).get(self.user)

    def _calendar(self, calendar_id: str, write: bool = False) -> dict[str, _Record]:
        """A calendar's records, if the acting user may see it (and write to it)."""
        role = self._role(calendar_id)
        if role is None:
            # An unknown calendar and one the user may not see answer alike: 404 "Not
            # Found" (docs/google-api-notes.md, "Calendar access: 403 requiredAccessLevel
            # or 404").
            raise _not_found()
        if write and role == "reader":
            raise _no_write_access()
        return self._calendars[self._resolve(calendar_id)]

    def _lookup(
        self, calendar_id: str, event_id: str, write: bool = False
    ) -> tuple[_Record, _Record, str | None]:
        """(stored record, record as this calendar shows it, instance suffix or None) for
        an event id. The two records differ only for an attendee's copy."""
        key = self._resolve(calendar_id)
        events = self._calendar(calendar_id, write=write)
        base, suffix = event_id, None
        if event_id not in events:
            base, sep, suffix = event_id.rpartition("_")
            if not (sep and base in events and _INSTANCE_SUFFIX_RE.fullmatch(suffix)):
                raise _not_found()
        raw = events[base]
        view = self._view(key, raw)
        if view is None or (suffix is not None and not view.recurring):
            raise _not_found()
        return raw, view, suffix

    def _view(self, owner: str, record: _Record) -> _Record | None:
        """The record as calendar `owner` shows it: itself, or for an attendee's copy the
        organizer's event as the attendee sees it (None if that event is gone)."""
        if record.copy_of is None:
            return record
        organizer_calendar, event_id = record.copy_of
        original = self._calendars.get(organizer_calendar, {}).get(event_id)
        if original is None or original.copy_of is not None:
            return None
        exceptions = {
            suffix: _without_private(override) for suffix, override in original.exceptions.items()
        }
        return _Record(_attendee_copy(original.event, owner, record.event), exceptions)

    def _views(self, owner: str, events: dict[str, _Record]) -> Iterator[_Record]:
        for record in events.values():
            view = self._view(owner, record)
            if view is not None:
                yield view

    def _send_copies(self, organizer_calendar: str, record: _Record) -> None:
        """Put the event in the primary calendar of each attendee who is a sandbox user
        (once: later changes show through the copy)."""
        event_id = record.event["id"]
        for attendee in record.event.get("attendees", []):
            email = attendee.get("email")
            if email == organizer_calendar or email not in self._users:
                continue
            theirs = self._calendars.setdefault(email, {})
            if event_id not in theirs:  # an event of their own with that id keeps it
                theirs[event_id] = _Record({}, copy_of=[organizer_calendar, event_id])

    def _write_copy(
        self,
        owner: str,
        raw: _Record,
        view: _Record,
        suffix: str | None,
        body: dict[str, Any],
        full: bool,
    ) -> dict[str, Any]:
        """An attendee's patch/update of their copy: only what is theirs to set."""
        shared = (body.get("extendedProperties") or {}).get("shared") is not None
        if shared or any(name in body for name in _SHARED_FIELDS):
            raise ApiError(
                403,
                "Shared properties can only be changed by the organizer of the event.",
                "forbiddenForNonOrganizer",
                "calendar",
            )
        if suffix is not None:
            raise _not_emulated("an attendee editing one meeting of their copy")
        changes = _writable(body)
        other = sorted(
            name
            for name, value in changes.items()
            if name not in _ATTENDEE_FIELDS and value != view.event.get(name)
        )
        if other:
            raise _not_emulated(f"an attendee editing {', '.join(other)} of their copy")
        local = raw.event
        for name in _ATTENDEE_FIELDS:
            if name == "extendedProperties":
                private = (changes.get(name) or {}).get("private")
                if private is not None or full:
                    mine = local.setdefault(name, {}).setdefault("private", {})
                    if full:
                        mine.clear()
                    mine.update(private or {})
            elif name in changes:
                local[name] = copy.deepcopy(changes[name])
            elif full:
                local.pop(name, None)
        updated = self._view(owner, raw)
        assert updated is not None  # `view` existed a moment ago
        return self._present(updated.event)

    def _log(self, event_id: str, params: dict[str, Any], event: dict[str, Any]) -> None:
        send = params.get("sendUpdates")
        if send is None:
            # Legacy sendNotifications=true meant "all"; the default is no mail
            # (calendar.v3.json, events.insert sendUpdates: "The default is false.").
            send = "all" if _truthy(params.get("sendNotifications")) else "none"
        self.invitations.append(
            {
                "eventId": event_id,
                "sendUpdates": send,
                "attendees": [a["email"] for a in event.get("attendees", []) if "email" in a],
            }
        )

    def _normalize(self, event: dict[str, Any]) -> dict[str, Any]:
        """Validate an event resource and put it in Google's answer form."""
        recurring = bool(event.get("recurrence"))
        start = _parse_when(event.get("start"), "start", recurring=recurring)
        end = _parse_when(event.get("end"), "end", recurring=recurring)
        if end.moment < start.moment or start.all_day != end.all_day:
            raise _bad_request("The specified time range is empty.", "timeRangeEmpty")
        event["start"], event["end"] = start.to_api(), end.to_api()
        if recurring:
            recurrence = event["recurrence"]
            if not isinstance(recurrence, list):
                raise _bad_request("Invalid recurrence rule.")
            _build_ruleset(recurrence, start)
        else:
            event.pop("recurrence", None)
        attendees = []
        organizer = (event.get("organizer") or {}).get("email")
        for attendee in event.get("attendees") or []:
            if not isinstance(attendee, dict) or not attendee.get("email"):
                raise _bad_request("Missing attendee email.", "required")
            attendee = dict(attendee)
            if attendee["email"] == organizer:
                attendee.setdefault("organizer", True)
                attendee.setdefault("self", True)
                attendee.setdefault("responseStatus", "accepted")
            attendee.setdefault("responseStatus", "needsAction")
            attendees.append(attendee)
        if attendees:
            event["attendees"] = attendees
        else:
            event.pop("attendees", None)
        event.setdefault("reminders", {"useDefault": True})
        event.setdefault("eventType", "default")
        return event

    def _conference(
        self,
        event_id: str,
        body: dict[str, Any],
        existing: dict[str, Any] | None,
        params: dict[str, Any],
        *,
        full: bool,
    ) -> tuple[dict[str, Any] | None, bool]:
        """The conferenceData the event ends up with after this write, and whether this
        write asked for a new conference."""
        # "Version 0 assumes no conference data support and ignores conference data in the
        # event's body." (calendar.v3.json, conferenceDataVersion); a client without
        # conferenceDataVersion=1 gets no error and no conference
        # (googleapis/google-api-nodejs-client#3052).
        if str(params.get("conferenceDataVersion", 0)) != "1":
            return existing, False
        if "conferenceData" not in body:
            return (None if full else existing), False
        data = body["conferenceData"]
        if data is None:
            return None, False
        if not isinstance(data, dict):
            raise _bad_request("Invalid conference data.")
        key_type = ((data.get("conferenceSolution") or {}).get("key") or {}).get("type")
        request = data.get("createRequest")
        request_type = (
            ((request.get("conferenceSolutionKey") or {}).get("type"))
            if isinstance(request, dict)
            else None
        )
        if "addOn" in (key_type, request_type):
            # Only a Workspace add-on may write conferenceSolution.key.type "addOn"; the
            # API answers other clients 400 "Invalid conference type value." (reason
            # "invalid"), the same answer as for a type the calendar does not allow
            # (googleapis/google-api-php-client#2077, google-api-dotnet-client#2760).
            raise _bad_request("Invalid conference type value.")
        if request is None:
            return copy.deepcopy(data), False  # copying existing conference data is allowed
        if request_type != "hangoutsMeet":
            raise _bad_request("Invalid conference type value.")
        request_id = str(request.get("requestId") or "")
        if existing and (existing.get("createRequest") or {}).get("requestId") == request_id:
            return existing, False  # the same requestId is the same conference, not a new one
        code = _meet_code(f"{event_id}:{request_id}")
        return {
            "createRequest": {
                "requestId": request_id,
                "conferenceSolutionKey": {"type": "hangoutsMeet"},
                "status": {"statusCode": "success"},
            },
            "entryPoints": [
                {
                    "entryPointType": "video",
                    "uri": f"https://meet.google.com/{code}",
                    "label": f"meet.google.com/{code}",
                }
            ],
            "conferenceSolution": {
                "key": {"type": "hangoutsMeet"},
                "name": "Google Meet",
                "iconUri": "https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/"
                "web-512dp/logo_meet_2020q4_color_2x_web_512dp.png",
            },
            "conferenceId": code,
        }, True

    def _write(
        self,
        calendar_id: str,
        event_id: str,
        body: dict[str, Any],
        params: dict[str, Any],
        *,
        full: bool,
    ) -> dict[str, Any]:
        raw, record, suffix = self._lookup(calendar_id, event_id, write=True)
        key = self._resolve(calendar_id)
        if raw.copy_of is not None:
            return self._write_copy(key, raw, record, suffix, body, full)
        if suffix is not None:
            return self._write_instance(record, suffix, body, params, full=full)
        old = record.event
        kept = {k: old[k] for k in _READ_ONLY if k in old}
        event = {**_writable(body), **kept} if full else _merge(old, _writable(body))
        event.pop("conferenceData", None)
        conference, fresh = self._conference(
            old["id"], body, old.get("conferenceData"), params, full=full
        )
        if conference is not None:
            event["conferenceData"] = conference
        event.setdefault("status", "confirmed")
        event = self._normalize(event)
        if any(event.get(k) != old.get(k) for k in ("start", "end", "recurrence")):
            event["sequence"] = old.get("sequence", 0) + 1
        # Exceptions stay keyed by their original start: those the new rule still
        # produces keep their overrides, the others simply stop showing.
        self._stamp(event)
        record.event = event
        self._log(event["id"], params, event)
        self._send_copies(key, record)
        return self._answer(event, fresh)

    def _write_instance(
        self,
        record: _Record,
        suffix: str,
        body: dict[str, Any],
        params: dict[str, Any],
        *,
        full: bool,
    ) -> dict[str, Any]:
        """Patch/update of one instance: its override becomes an exception."""
        before = self._instance_or_404(record, suffix)
        changes = _writable(body)
        changes.pop("recurrence", None)  # an instance has no recurrence of its own
        override = record.exceptions.get(suffix, {})
        if full:
            generated = self._instance(record, suffix, with_override=False) or before
            keep = {k: generated[k] for k in ("start", "end") if k not in changes}
            override = {**changes, **keep}
        else:
            override = _merge(override, changes)
        # Validate the instance as it will be, and store its times in normalized form.
        candidate = _merge(self._instance(record, suffix, with_override=False) or before, override)
        candidate.pop("recurrence", None)
        self._normalize(candidate)
        for key in [*override, "start", "end"]:
            if key in candidate:
                override[key] = candidate[key]
        if full:
            override.setdefault("status", "confirmed")
        if candidate["start"] != before["start"] or candidate["end"] != before["end"]:
            override["sequence"] = before.get("sequence", 0) + 1
        # Only a conference written to this instance becomes part of its override; the
        # others keep following the series.
        fresh = False
        if "conferenceData" in body and str(params.get("conferenceDataVersion", 0)) == "1":
            conference, fresh = self._conference(
                before["id"], body, before.get("conferenceData"), params, full=False
            )
            override["conferenceData"] = conference
        self._stamp(override)
        record.exceptions[suffix] = override
        instance = self._instance_or_404(record, suffix)
        self._log(instance["id"], params, instance)
        return self._answer(instance, fresh)

    def _window(self, params: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
        low = _parse_rfc3339(params["timeMin"], "timeMin") if params.get("timeMin") else None
        high = _parse_rfc3339(params["timeMax"], "timeMax") if params.get("timeMax") else None
        if low is not None and high is not None and low >= high:
            # calendar.v3.json: "If timeMin is set, timeMax must be greater than timeMin."
            raise _bad_request("The specified time range is empty.", "timeRangeEmpty")
        return low, high

    def _occurrences(
        self,
        record: _Record,
        low: datetime | None,
        high: datetime | None,
        inclusive: bool = False,
    ) -> Iterator[datetime]:
        """Original starts whose (unmoved) instance overlaps [low, high), at most
        INSTANCE_CAP of them (`inclusive`: an instance ending exactly at `low` counts). All-day
        occurrences are naive midnights."""
        start, end = record.start(), record.end()
        rset, anchor = _build_ruleset(record.event["recurrence"], start)
        duration = end.moment - start.moment
        if low is None:
            since = anchor
        else:
            since_aware = (low - duration).astimezone(start.zone or ZoneInfo(CALENDAR_TIME_ZONE))
            since = since_aware.replace(tzinfo=None) if start.all_day else since_aware
            since = max(since, anchor)
        for original in itertools.islice(rset.xafter(since, inc=True), INSTANCE_CAP):
            aware = _aware(original)
            if high is not None and aware >= high:
                return
            if low is None or aware + duration > low or (inclusive and aware + duration == low):
                yield original

    def _expand(
        self,
        record: _Record,
        low: datetime | None,
        high: datetime | None,
        inclusive: bool = False,
    ) -> Iterator[dict[str, Any]]:
        """The instances in [low, high): occurrences with their exceptions applied, plus
        exceptions moved into the window from an original start outside it."""
        all_day = record.start().all_day
        seen = set()
        for original in self._occurrences(record, low, high, inclusive):
            suffix = _instance_suffix(original, all_day)
            seen.add(suffix)
            instance = self._make_instance(record, original, suffix)
            if _overlaps(_inst_start(instance), _inst_end(instance), low, high, inclusive):
                yield instance
        for suffix in record.exceptions:
            if suffix in seen:
                continue
            moved = self._instance(record, suffix)
            if moved is not None and _overlaps(
                _inst_start(moved), _inst_end(moved), low, high, inclusive
            ):
                yield moved

    def _original(self, record: _Record, suffix: str) -> datetime | None:
        """The occurrence a suffix names, if the series (still) produces it."""
        start = record.start()
        rset, _ = _build_ruleset(record.event["recurrence"], start)
        try:
            if start.all_day:
                wanted = datetime.strptime(suffix, "%Y%m%d")
            else:
                utc = datetime.strptime(suffix, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                wanted = utc.astimezone(start.zone)
        except ValueError:
            return None
        found = rset.after(wanted, inc=True)
        if found is None or _aware(found) != _aware(wanted):
            return None
        return found

    def _instance(
        self, record: _Record, suffix: str, *, with_override: bool = True
    ) -> dict[str, Any] | None:
        """One instance resource, or None if the series does not produce `suffix`."""
        original = self._original(record, suffix)
        if original is None:
            return None
        return self._make_instance(record, original, suffix, with_override=with_override)

    @staticmethod
    def _make_instance(
        record: _Record, original: datetime, suffix: str, *, with_override: bool = True
    ) -> dict[str, Any]:
        master = record.event
        start, end = record.start(), record.end()
        instance = {k: copy.deepcopy(v) for k, v in master.items() if k != "recurrence"}
        instance["id"] = f"{master['id']}_{suffix}"
        instance["recurringEventId"] = master["id"]
        zone = None if start.all_day else start.zone
        first = _When(_aware(original), zone, all_day=start.all_day)
        last = _When(first.moment + (end.moment - start.moment), zone, all_day=start.all_day)
        instance["originalStartTime"] = first.to_api()
        instance["start"], instance["end"] = first.to_api(), last.to_api()
        override = record.exceptions.get(suffix)
        if with_override and override:
            instance = _merge(instance, override)
        if master.get("status") == "cancelled":
            instance["status"] = "cancelled"  # deleting a series cancels every instance
        return instance

    def _instance_or_404(self, record: _Record, suffix: str) -> dict[str, Any]:
        instance = self._instance(record, suffix)
        if instance is None:
            raise _not_found()
        return instance

    def _page(self, items: _Resources, params: dict[str, Any], calendar_id: str) -> dict[str, Any]:
        try:
            size = int(params.get("maxResults") or DEFAULT_PAGE_SIZE)
        except (TypeError, ValueError):
            raise _bad_request("Invalid value for maxResults.") from None
        if size < 1:
            raise _bad_request("Invalid value for maxResults.")
        size = min(size, MAX_PAGE_SIZE)
        offset = _read_page_token(params.get("pageToken"))
        page = items[offset : offset + size]
        events = self._calendar(calendar_id)
        updated = max(
            (r.event["updated"] for r in events.values() if "updated" in r.event),
            default=_format_utc(self._clock()),
        )
        result: dict[str, Any] = {
            "kind": "calendar#events",
            "etag": f'"{self._revision}"',
            "summary": self._resolve(calendar_id),
            "updated": updated,
            "timeZone": CALENDAR_TIME_ZONE,
            "accessRole": self._role(calendar_id),
            "defaultReminders": [],
            "items": [self._present_read(e) for e in page],
        }
        if offset + size < len(items):
            result["nextPageToken"] = _make_page_token(offset + size)
        return result

    def _present_read(self, event: dict[str, Any]) -> dict[str, Any]:
        """An event as a read (get, list, instances) returns it: a cancelled instance keeps
        only its guaranteed fields under cancelled_instance_body=minimal
        (docs/google-api-notes.md, "Fields of a cancelled instance")."""
        answer = self._present(event)
        minimal = self.behaviors.is_("cancelled_instance_body", "minimal")
        if minimal and answer.get("status") == "cancelled" and answer.get("recurringEventId"):
            return {k: answer[k] for k in _MINIMAL_CANCELLED if k in answer}
        return answer

    def _answer(self, event: dict[str, Any], fresh_conference: bool) -> dict[str, Any]:
        """An event as a write returns it. A conference asked for by this write is still
        pending in the answer under conference_create=pending; the stored event has it, so
        the next read shows the link (calendar.v3.json, ConferenceData.createRequest: "The
        data is generated asynchronously."; docs/google-api-notes.md, "How long a Meet
        request stays pending")."""
        answer = self._present(event)
        if fresh_conference and self.behaviors.is_("conference_create", "pending"):
            request = copy.deepcopy(answer["conferenceData"]["createRequest"])
            request["status"] = {"statusCode": "pending"}
            answer["conferenceData"] = {"createRequest": request}
            answer.pop("hangoutLink", None)
        return answer

    @staticmethod
    def _present(event: dict[str, Any]) -> dict[str, Any]:
        """A copy for the caller, with Meet's top-level hangoutLink like Google adds."""
        answer = copy.deepcopy(event)
        conference = answer.get("conferenceData") or {}
        key = ((conference.get("conferenceSolution") or {}).get("key") or {}).get("type")
        if key == "hangoutsMeet":
            for entry in conference.get("entryPoints", []):
                if entry.get("entryPointType") == "video":
                    answer["hangoutLink"] = entry["uri"]
        else:
            answer.pop("hangoutLink", None)
        return answer


# ------------------------------------------------------------------------- helpers


def _aware(moment: datetime) -> datetime:
    """Occurrences of all-day series are naive midnights on the calendar's days."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=ZoneInfo(CALENDAR_TIME_ZONE))
    return moment


def _overlaps(
    start: _When,
    end: _When,
    low: datetime | None,
    high: datetime | None,
    inclusive: bool = False,
) -> bool:
    # timeMin bounds the end, timeMax the start (exclusive) (calendar.v3.json); timeMin is
    # exclusive for events.list and inclusive for events.instances (`inclusive`).
    if high is not None and start.moment >= high:
        return False
    return low is None or end.moment > low or (inclusive and end.moment == low)


def _inst_start(event: dict[str, Any]) -> _When:
    return _parse_when(event["start"], "start", recurring=False)


def _inst_end(event: dict[str, Any]) -> _When:
    return _parse_when(event["end"], "end", recurring=False)


def _sort_start(event: dict[str, Any]) -> datetime:
    return _inst_start(event).moment.astimezone(UTC)


def _original_start(event: dict[str, Any]) -> datetime | None:
    original = event.get("originalStartTime")
    if not original:
        return None
    return _parse_when(original, "start", recurring=False).moment


def _props_match(event: dict[str, Any], scope: str, pairs: list[tuple[str, str]]) -> bool:
    props = (event.get("extendedProperties") or {}).get(scope) or {}
    return all(props.get(key) == value for key, value in pairs)


def _text_match(event: dict[str, Any], query: str) -> bool:
    """q: every term must appear in summary, description, location or an attendee."""
    fields = [event.get("summary"), event.get("description"), event.get("location")]
    for person in [*event.get("attendees", []), event.get("organizer") or {}]:
        fields += [person.get("email"), person.get("displayName")]
    haystack = " ".join(str(f) for f in fields if f).lower()
    return all(term in haystack for term in query.split())


def _make_page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def _read_page_token(token: object) -> int:
    if not token:
        return 0
    try:
        text = str(token)
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        offset = int(data["o"])
    except (ValueError, KeyError, TypeError):
        raise _bad_request("Invalid page token value.") from None
    if offset < 0:
        raise _bad_request("Invalid page token value.")
    return offset


def _person(email: str, calendar: str) -> dict[str, Any]:
    """A creator/organizer entry; "self": whether it is the calendar this copy is on."""
    return {"email": email, "self": True} if email == calendar else {"email": email}


def _without_private(resource: dict[str, Any]) -> dict[str, Any]:
    """A copy of `resource` without private extended properties (they are per calendar)."""
    out = copy.deepcopy(resource)
    props = out.get("extendedProperties")
    if isinstance(props, dict):
        props.pop("private", None)
        if not props:
            del out["extendedProperties"]
    return out


def _attendee_copy(event: dict[str, Any], owner: str, local: dict[str, Any]) -> dict[str, Any]:
    """The organizer's `event` as it appears in attendee `owner`'s calendar, with what the
    attendee set on their copy (`local`).

    calendar.v3.json: extendedProperties.private are "Properties that are private to the
    copy of the event that appears on this calendar."; organizer/creator/attendee "self" is
    "Whether ... corresponds to the calendar on which this copy of the event appears."; the
    copy keeps the event's id (docs/google-api-notes.md, "Attendees' copies: same event id").
    """
    view = _without_private(event)
    private = (local.get("extendedProperties") or {}).get("private")
    if private:
        view.setdefault("extendedProperties", {})["private"] = copy.deepcopy(private)
    for person in ("organizer", "creator"):
        if isinstance(view.get(person), dict):
            view[person] = _person(str(view[person].get("email", "")), owner)
    invited = False
    for attendee in view.get("attendees", []):
        attendee.pop("self", None)
        if attendee.get("email") == owner:
            attendee["self"] = True
            invited = True
    # Reminders and colours are the attendee's own; their calendar's defaults until set.
    view["reminders"] = copy.deepcopy(local.get("reminders", {"useDefault": True}))
    for name in ("colorId", "transparency"):
        view.pop(name, None)
        if name in local:
            view[name] = local[name]
    if local.get("status") == "cancelled" or not invited:
        view["status"] = "cancelled"  # removed by the attendee, or uninvited
    view["htmlLink"] = _html_link(str(view["id"]), owner)
    return view


def _record_state(record: _Record) -> dict[str, Any]:
    state: dict[str, Any] = {"event": record.event, "exceptions": record.exceptions}
    if record.copy_of is not None:
        state["copyOf"] = record.copy_of
    return state
