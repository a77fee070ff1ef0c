"""A Zoom fake: Server-to-Server OAuth tokens and recurring (type 8) meetings.

Routes (under the sandbox base URL, mirroring `https://zoom.us` and `https://api.zoom.us`):
`POST /zoom/oauth/token` (grant_type=account_credentials, Basic auth),
`POST /zoom/v2/users/me/meetings` and `GET /zoom/v2/meetings/{id}` (Bearer token).
Validation follows Zoom's documented limits for a monthly recurrence: `repeat_interval` <= 3,
`monthly_day` (1-31) or `monthly_week` (-1, 1-4) + `monthly_week_day` (1=Sunday..7=Saturday),
`end_times` (<= 50) or `end_date_time`, not both. Errors use Zoom's shape
`{"code": 300, "message": ...}` (400), `{"code": 124, "message": "Invalid access token."}`
(401), `{"code": 3001, ...}` (404).

Only the monthly recurrence gworkflow creates is emulated (daily/weekly are refused with a
message saying so). The HTTP side lives in server.py.
"""

from __future__ import annotations

import base64
import copy
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule

JSON = dict[str, Any]
TOKEN_SECONDS = 3599
HOST_EMAIL = "you@example.com"
_WEEKDAYS = (rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA)  # Zoom: 1=Sunday


class ZoomError(Exception):
    """A Zoom error answer: HTTP status and Zoom's body."""

    def __init__(self, status: int, body: JSON) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body


def _invalid(message: str) -> ZoomError:
    return ZoomError(400, {"code": 300, "message": message})


class ZoomStore:
    """Access tokens and meetings of one emulated Zoom account."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))
        self.tokens: set[str] = set()
        self.meetings: dict[str, JSON] = {}

    # -- OAuth ------------------------------------------------------------------------------

    def token(self, form: dict[str, str], authorization: str | None) -> JSON:
        """Server-to-Server OAuth: account_credentials + Basic client_id:client_secret."""
        if not _basic_credentials(authorization):
            raise ZoomError(
                401, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
            )
        if form.get("grant_type") != "account_credentials":
            raise ZoomError(
                400, {"reason": "Unsupported grant type", "error": "unsupported_grant_type"}
            )
        if not form.get("account_id"):
            raise ZoomError(400, {"reason": "Missing account_id", "error": "invalid_request"})
        token = "sandbox-zoom-" + secrets.token_urlsafe(24)
        self.tokens.add(token)
        return {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": TOKEN_SECONDS,
            "scope": "meeting:write:meeting:admin meeting:read:meeting:admin",
        }

    def check_bearer(self, authorization: str | None) -> None:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or token not in self.tokens:
            raise ZoomError(401, {"code": 124, "message": "Invalid access token."})

    # -- meetings ---------------------------------------------------------------------------

    def create_meeting(self, body: Any) -> JSON:
        if not isinstance(body, dict):
            raise _invalid("Request Body should be a valid JSON object.")
        meeting_type = body.get("type", 2)
        if meeting_type not in (1, 2, 3, 8):
            raise _invalid(f"Invalid field: type {meeting_type!r}.")
        timezone = body.get("timezone") or "UTC"
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise _invalid(f"Invalid timezone: {timezone}.") from None
        start = _parse_start(body.get("start_time"), zone) if body.get("start_time") else None
        if meeting_type == 8 and start is None:
            raise _invalid("start_time is required for a recurring meeting with fixed time.")
        duration = body.get("duration", 60)
        if not isinstance(duration, int) or isinstance(duration, bool) or duration < 0:
            raise _invalid("Invalid field: duration.")
        recurrence = body.get("recurrence")
        occurrences: list[JSON] = []
        if meeting_type == 8:
            if not isinstance(recurrence, dict):
                raise _invalid(
                    "recurrence is required for a recurring meeting with fixed time (type 8)."
                )
            assert start is not None
            occurrences = _occurrences(_check_recurrence(recurrence), start, zone, duration)
        meeting_id = str(80_000_000_000 + secrets.randbelow(9_999_999_999))
        password = secrets.token_hex(3)
        encrypted = secrets.token_urlsafe(24)
        now = self._clock().astimezone(UTC)
        meeting: JSON = {
            "uuid": base64.b64encode(secrets.token_bytes(16)).decode(),
            "id": int(meeting_id),
            "host_id": "sandbox-host",
            "host_email": HOST_EMAIL,
            "topic": body.get("topic", "Zoom meeting"),
            "type": meeting_type,
            "status": "waiting",
            "duration": duration,
            "timezone": timezone,
            "agenda": body.get("agenda", ""),
            "created_at": _zoom_time(now),
            "start_url": f"https://zoom.us/s/{meeting_id}?zak=sandbox",
            "join_url": f"https://zoom.us/j/{meeting_id}?pwd={encrypted}",
            "password": password,
            "h323_password": password,
            "pstn_password": password,
            "encrypted_password": encrypted,
            "settings": {
                "join_before_host": False,
                "waiting_room": True,
                **body.get("settings", {}),
            },
            "pre_schedule": False,
        }
        if start is not None:
            meeting["start_time"] = _zoom_time(start)
        if meeting_type == 8:
            meeting["occurrences"] = occurrences
            meeting["recurrence"] = copy.deepcopy(recurrence)
        self.meetings[meeting_id] = meeting
        return copy.deepcopy(meeting)

    def get_meeting(self, meeting_id: str) -> JSON:
        meeting = self.meetings.get(meeting_id)
        if meeting is None:
            raise ZoomError(
                404, {"code": 3001, "message": f"Meeting does not exist: {meeting_id}."}
            )
        return copy.deepcopy(meeting)

    def reset(self) -> None:
        self.tokens.clear()
        self.meetings.clear()

    def to_state(self) -> JSON:
        return {"tokens": sorted(self.tokens), "meetings": copy.deepcopy(self.meetings)}

    def from_state(self, state: JSON) -> None:
        self.tokens = set(state.get("tokens", []))
        self.meetings = copy.deepcopy(state.get("meetings", {}))


def _basic_credentials(authorization: str | None) -> bool:
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        client_id, sep, secret = base64.b64decode(encoded).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return False
    return bool(sep and client_id and secret)


def _parse_start(value: Any, zone: ZoneInfo) -> datetime:
    """Zoom's start_time: `yyyy-MM-ddTHH:mm:ssZ` (UTC) or `yyyy-MM-ddTHH:mm:ss` in `timezone`."""
    if not isinstance(value, str):
        raise _invalid("Invalid field: start_time.")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _invalid(f"Invalid field: start_time {value!r}.") from None
    return parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed


def _zoom_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _int_field(recurrence: JSON, name: str) -> int | None:
    value = recurrence.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise _invalid(f"Invalid field: recurrence.{name} must be an integer.")
    return value


def _check_recurrence(recurrence: JSON) -> JSON:
    """The checked monthly recurrence; raises Zoom's 400 for anything Zoom refuses."""
    kind = _int_field(recurrence, "type")
    if kind not in (1, 2, 3):
        raise _invalid("Invalid field: recurrence.type.")
    if kind != 3:
        raise _invalid("The sandbox emulates monthly recurrence (type 3) only.")
    interval = _int_field(recurrence, "repeat_interval") or 1
    if not 1 <= interval <= 3:
        raise _invalid("Invalid field: recurrence.repeat_interval (monthly: 1 to 3).")
    day = _int_field(recurrence, "monthly_day")
    week = _int_field(recurrence, "monthly_week")
    week_day = _int_field(recurrence, "monthly_week_day")
    if day is not None and (week is not None or week_day is not None):
        raise _invalid("Use recurrence.monthly_day or recurrence.monthly_week, not both.")
    if day is None and (week is None or week_day is None):
        raise _invalid(
            "A monthly recurrence needs monthly_day, or monthly_week and monthly_week_day."
        )
    if day is not None and not 1 <= day <= 31:
        raise _invalid("Invalid field: recurrence.monthly_day (1 to 31).")
    if week is not None and week not in (-1, 1, 2, 3, 4):
        raise _invalid("Invalid field: recurrence.monthly_week (-1, 1, 2, 3 or 4).")
    if week_day is not None and not 1 <= week_day <= 7:
        raise _invalid("Invalid field: recurrence.monthly_week_day (1=Sunday to 7=Saturday).")
    end_times = _int_field(recurrence, "end_times")
    end_date_time = recurrence.get("end_date_time")
    if end_times is not None and end_date_time is not None:
        raise _invalid("Use recurrence.end_times or recurrence.end_date_time, not both.")
    if end_times is not None and not 1 <= end_times <= 50:
        raise _invalid("Invalid field: recurrence.end_times (1 to 50).")
    until = None
    if end_date_time is not None:
        until = _parse_start(end_date_time, ZoneInfo("UTC"))
    return {
        "interval": interval,
        "day": day,
        "week": week,
        "week_day": week_day,
        # Zoom's default when neither end is given is a single occurrence.
        "count": end_times if until is None else None,
        "until": until,
    }


def _occurrences(rule: JSON, start: datetime, zone: ZoneInfo, duration: int) -> list[JSON]:
    local_start = start.astimezone(zone).replace(tzinfo=None)
    kwargs: dict[str, Any] = {"dtstart": local_start, "interval": rule["interval"]}
    if rule["day"] is not None:
        kwargs["bymonthday"] = rule["day"]
    else:
        kwargs["byweekday"] = _WEEKDAYS[rule["week_day"] - 1](rule["week"])
    if rule["until"] is not None:
        kwargs["until"] = rule["until"].astimezone(zone).replace(tzinfo=None)
    else:
        kwargs["count"] = rule["count"] or 1
    out = []
    for local in rrule.rrule(rrule.MONTHLY, **kwargs):
        moment = local.replace(tzinfo=zone)
        out.append(
            {
                "occurrence_id": str(int(moment.timestamp() * 1000)),
                "start_time": _zoom_time(moment),
                "duration": duration,
                "status": "available",
            }
        )
    return out
