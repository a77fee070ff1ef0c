"""Zoom: the monthly recurrence mapping and a small Server-to-Server OAuth client that
creates the series' recurring meeting.

What lives here: `zoom_recurrence` (Schedule -> Zoom's `recurrence` object), `ZoomClient`
(token + create meeting, over urllib with timeouts), `zoom_client_from_env`. What does not:
putting the join link into the calendar event (`gworkflow.google.calendar`), writing it
back into config.toml (the CLI, via `gworkflow.config.update_series`). Most users paste a
static join link into the config and never need this module.

Zoom facts (developers.zoom.us/docs/api/references/recurrence-object-definitions):
`type` 3 = monthly, `repeat_interval` at most 3 months, `monthly_day` 1-31, or
`monthly_week` (-1 = last, 1-4) + `monthly_week_day` (1 = Sunday .. 7 = Saturday),
`end_times` 1-50 or `end_date_time`, not both. A recurring meeting with a fixed time is
meeting `type` 8. Server-to-Server OAuth: POST {oauth}/oauth/token with
grant_type=account_credentials&account_id=..., Basic client_id:client_secret; a token lasts
one hour and there is no refresh token.

Secrets (client secret, access token) never appear in a message or a log.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from gworkflow.config import Series
from gworkflow.errors import ConfigError, GworkflowError
from gworkflow.schedule import MonthDay, Schedule

ZOOM_MAX_INTERVAL = 3
ZOOM_MAX_END_TIMES = 50
HTTP_TIMEOUT_SECONDS = 30
ENV_VARIABLES = ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET")

# urllib.request.urlopen's shape: (request, timeout=...) -> a response with .read().
Opener = Callable[..., Any]


class ZoomError(GworkflowError):
    """Zoom refused a request or could not be reached (one line, no secrets)."""


@dataclass(frozen=True)
class ZoomMeeting:
    """What the config and the calendar event need from a created meeting."""

    join_url: str
    meeting_id: str  # formatted like Zoom shows it: "855 1234 5678"
    passcode: str


def zoom_recurrence(
    schedule: Schedule,
    tz: ZoneInfo,
    first_start: dt.datetime,
    end_times: int = ZOOM_MAX_END_TIMES,
) -> dict[str, int]:
    """Zoom's `recurrence` object for `schedule`, starting at `first_start`.

    Zoom counts occurrences from the meeting's start_time, so `first_start` must be a
    meeting of the rule (in `tz`); the series ends after `end_times` meetings (Zoom's
    maximum is 50: about four years of monthly meetings)."""
    if schedule.interval_months > ZOOM_MAX_INTERVAL:
        raise ConfigError(
            f"Zoom repeats a meeting at most every {ZOOM_MAX_INTERVAL} months, not every "
            f"{schedule.interval_months}; use a static join_url in the config instead"
        )
    if not 1 <= end_times <= ZOOM_MAX_END_TIMES:
        raise ValueError(f"end_times must be 1 to {ZOOM_MAX_END_TIMES}, not {end_times}")
    if not schedule.is_occurrence(first_start, tz):
        raise ValueError(
            f"{first_start.isoformat()} is not a meeting of '{schedule.describe()}' in {tz.key}"
        )
    recurrence = {"type": 3, "repeat_interval": schedule.interval_months}
    by = schedule.by
    if isinstance(by, MonthDay):
        if by.day == -1:
            # Zoom's monthly_day is 1-31 and says nothing of months without that day.
            raise ConfigError(
                "Zoom cannot repeat on the last day of the month; pick a day from 1st to 28th "
                "or use a static join_url in the config"
            )
        recurrence["monthly_day"] = by.day
    else:
        recurrence["monthly_week"] = by.n
        # Python's weekday(): Monday = 0 .. Sunday = 6; Zoom's: Sunday = 1 .. Saturday = 7.
        recurrence["monthly_week_day"] = (by.weekday + 1) % 7 + 1
    recurrence["end_times"] = end_times
    return recurrence


def format_meeting_id(meeting_id: int | str) -> str:
    """Zoom's display form: 11 digits as 3-4-4 ("855 1234 5678"), 10 or 9 as 3-3-rest."""
    digits = str(meeting_id)
    if not digits.isdigit():
        return digits
    if len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if len(digits) in (9, 10):
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return digits


class ZoomClient:
    """A Server-to-Server OAuth app of one Zoom account. The token is fetched on first use
    and kept for this object's life (a CLI run is far shorter than the token's hour)."""

    def __init__(
        self,
        account_id: str,
        client_id: str,
        client_secret: str,
        oauth_base: str = "https://zoom.us",
        api_base: str = "https://api.zoom.us/v2",
        opener: Opener = urllib.request.urlopen,
    ) -> None:
        self.account_id = account_id
        self.client_id = client_id
        self._client_secret = client_secret
        self.oauth_base = oauth_base.rstrip("/")
        self.api_base = api_base.rstrip("/")
        self._open = opener
        self._token: str | None = None

    def __repr__(self) -> str:  # never show the secret or the token
        return f"ZoomClient(account_id={self.account_id!r}, api_base={self.api_base!r})"

    def token(self) -> str:
        """An access token (account_credentials grant)."""
        if self._token is None:
            form = urllib.parse.urlencode(
                {"grant_type": "account_credentials", "account_id": self.account_id}
            ).encode()
            basic = base64.b64encode(f"{self.client_id}:{self._client_secret}".encode()).decode()
            request = urllib.request.Request(
                f"{self.oauth_base}/oauth/token",
                data=form,
                method="POST",
                headers={
                    "Authorization": f"Basic {basic}",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            answer = self._send(request, "get a Zoom access token")
            token = answer.get("access_token")
            if not isinstance(token, str) or not token:
                raise ZoomError("Zoom's token answer has no access_token")
            self._token = token
        return self._token

    def create_meeting(
        self, series: Series, schedule: Schedule, first_start: dt.datetime
    ) -> ZoomMeeting:
        """Create the series' recurring meeting (type 8: recurring with a fixed time)."""
        body = meeting_body(series, schedule, first_start)
        request = urllib.request.Request(
            f"{self.api_base}/users/me/meetings",
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token()}",
                "Content-Type": "application/json",
            },
        )
        answer = self._send(request, "create the Zoom meeting")
        try:
            return ZoomMeeting(
                join_url=str(answer["join_url"]),
                meeting_id=format_meeting_id(answer["id"]),
                passcode=str(answer.get("password", "")),
            )
        except KeyError as missing:
            raise ZoomError(f"Zoom's meeting answer has no {missing}") from None

    def _send(self, request: urllib.request.Request, doing: str) -> dict[str, Any]:
        host = urllib.parse.urlsplit(request.full_url).netloc
        try:
            with self._open(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise ZoomError(f"could not {doing}: {_zoom_problem(error)}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ZoomError(f"could not {doing}: cannot reach {host} ({reason})") from None
        try:
            answer = json.loads(raw)
        except ValueError:
            raise ZoomError(f"could not {doing}: {host} did not answer with JSON") from None
        if not isinstance(answer, dict):
            raise ZoomError(f"could not {doing}: unexpected answer from {host}")
        return answer


def _zoom_problem(error: urllib.error.HTTPError) -> str:
    """One line from Zoom's error body ({"code","message"} or OAuth's {"reason","error"})."""
    detail = ""
    try:
        body = json.loads(error.read() or b"{}")
        detail = str(body.get("message") or body.get("reason") or body.get("error") or "")
    except (ValueError, AttributeError, OSError):
        pass
    line = f"Zoom answered {error.code}" + (f": {detail}" if detail else "")
    if error.code in (400, 401) and "token" in error.url:
        line += " (check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET)"
    elif error.code == 401:
        line += " (the app may lack the meeting:write scope)"
    return line


def meeting_body(series: Series, schedule: Schedule, first_start: dt.datetime) -> dict[str, Any]:
    """The body of Zoom's "create a meeting" request for the series."""
    tz = series.timezone
    return {
        "topic": series.title,
        "type": 8,
        # Local wall time plus `timezone`, so Zoom keeps the time across DST like Google. The
        # rule's time, not the first meeting's: on a day that time does not exist (02:30 as
        # clocks go forward) the first meeting is at 03:30, and the rest must stay at 02:30.
        "start_time": dt.datetime.combine(
            first_start.astimezone(tz).date(), schedule.time
        ).strftime("%Y-%m-%dT%H:%M:%S"),
        "timezone": tz.key,
        "duration": int(series.duration.total_seconds() // 60),
        "recurrence": zoom_recurrence(schedule, tz, first_start),
        "agenda": f"{series.title}: {schedule.describe()} ({tz.key})",
        # Peers meet without a host: whoever comes first must be able to start.
        "settings": {"join_before_host": True, "waiting_room": False},
    }


def zoom_client_from_env(environ: Mapping[str, str], opener: Opener | None = None) -> ZoomClient:
    """A ZoomClient from ZOOM_ACCOUNT_ID/ZOOM_CLIENT_ID/ZOOM_CLIENT_SECRET; ZOOM_OAUTH_BASE and
    ZOOM_API_BASE point it elsewhere (the sandbox: <base>/zoom and <base>/zoom/v2)."""
    missing = [name for name in ENV_VARIABLES if not environ.get(name, "").strip()]
    if missing:
        raise ConfigError(
            f"set {', '.join(missing)} to create Zoom meetings (a Server-to-Server OAuth app "
            "from marketplace.zoom.us), or put a static join_url in the config"
        )
    kwargs: dict[str, Any] = {}
    if opener is not None:
        kwargs["opener"] = opener
    return ZoomClient(
        account_id=environ["ZOOM_ACCOUNT_ID"].strip(),
        client_id=environ["ZOOM_CLIENT_ID"].strip(),
        client_secret=environ["ZOOM_CLIENT_SECRET"].strip(),
        oauth_base=environ.get("ZOOM_OAUTH_BASE", "").strip() or "https://zoom.us",
        api_base=environ.get("ZOOM_API_BASE", "").strip() or "https://api.zoom.us/v2",
        **kwargs,
    )
