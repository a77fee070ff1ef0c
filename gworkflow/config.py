"""config.toml -> typed, validated configuration; and careful write-back of single values.

Every error names the file, the key path and what is allowed, in one line, e.g.
`config.toml: series[0].participants[1].timezone: 'America/Chicgo' is not a known time zone
(did you mean 'America/Chicago'?)`. Unknown keys are errors, so a typo never silently
turns into a default. The schedule's grammar lives in `gworkflow.schedule`; the schedule is
parsed once, here, and a `Series` carries the parsed `Schedule`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import tempfile
import tomllib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import tomlkit

from gworkflow.deadline import parse_seconds
from gworkflow.errors import ConfigError
from gworkflow.schedule import Schedule, parse_schedule
from gworkflow.types import Position

ConferenceKind = Literal["zoom", "meet", "none"]
AuthMethod = Literal["oauth", "service_account"]
# Optional parts of each person's agenda, off unless a series lists them in `topics`.
TOPICS = ("invitations",)

EXAMPLE_CONFIG = """\
# gworkflow configuration. One file can hold several series (a pair or group that meets).
# Check it with `gworkflow config check`.

# api_endpoint = "http://127.0.0.1:8765"   # optional: send every Google call to a sandbox

[[series]]
id = "ruth-heather"                 # stable slug; also the marker used in Google
title = "Peer mentoring check-in"
timezone = "America/Chicago"        # the zone the event is anchored in
schedule = "2nd Tuesday 14:00"      # or "last Friday 10:30", "15th 09:00", or "RRULE:FREQ=MONTHLY;BYDAY=2TU;BYHOUR=14"
duration = "60m"
lead_days = 7                       # add the agenda section this many days before the meeting
reminders = ["30 minutes popup", "1 day email"]   # the event's reminders: at most 5; [] for none
calendar_id = "primary"
doc_id = ""                         # the running Google Doc; empty until `gworkflow doc create`
# tab = "2026"                      # optional: title or id of the doc tab to write into
# template = "agenda.md.j2"         # optional: a path; relative paths are relative to the config file
# position = "end"                  # "end" (default) or "top" (newest first)
# topics = ["invitations"]          # optional: add "Invitations to weigh" per person (the no committee)

[series.conference]
kind = "zoom"                       # zoom | meet | none
join_url = "https://zoom.us/j/85512345678?pwd=abc"
meeting_id = "855 1234 5678"
passcode = "314159"

[[series.participants]]
name = "Ruth"
email = "ruth@example.edu"
timezone = "America/New_York"

[[series.participants]]
name = "Heather"
email = "heather@example.org"
timezone = "America/Chicago"
"""


@dataclass(frozen=True)
class Participant:
    name: str
    email: str
    timezone: zoneinfo.ZoneInfo


@dataclass(frozen=True)
class Conference:
    kind: ConferenceKind = "none"
    join_url: str = ""
    meeting_id: str = ""
    passcode: str = ""


ReminderMethod = Literal["email", "popup"]


@dataclass(frozen=True)
class Reminder:
    """One of the event's reminders: `minutes` before the start, by e-mail or pop-up."""

    minutes: int
    method: ReminderMethod

    def describe(self) -> str:
        """E.g. "1 day email", the form the config file takes."""
        for unit, size in reversed(_REMINDER_UNITS.items()):
            if self.minutes and self.minutes % size == 0:
                count = self.minutes // size
                return f"{count} {unit}{'s' if count != 1 else ''} {self.method}"
        return f"{self.minutes} minutes {self.method}"


@dataclass(frozen=True)
class Series:
    """A pair or group that meets on one schedule and shares one running doc."""

    id: str
    title: str
    timezone: zoneinfo.ZoneInfo
    schedule: Schedule  # `schedule.text` is what the file says
    duration: dt.timedelta
    participants: tuple[Participant, ...]
    lead_days: int = 7
    calendar_id: str = "primary"
    doc_id: str = ""
    tab: str | None = None
    template: Path | None = None
    position: Position = "end"
    conference: Conference = field(default_factory=Conference)
    topics: tuple[str, ...] = ()
    # The event's reminder overrides (see "Event reminders" below).
    reminders: tuple[Reminder, ...] = field(default_factory=lambda: DEFAULT_REMINDERS)

    @property
    def doc_url(self) -> str:
        return f"https://docs.google.com/document/d/{self.doc_id}/edit" if self.doc_id else ""


@dataclass(frozen=True)
class AuthConfig:
    """How gworkflow signs in to Google. OAuth (a person's account) is the default."""

    method: AuthMethod = "oauth"
    client_secrets: Path | None = None
    service_account_file: Path | None = None
    # Workspace domain-wide delegation: the user the service account acts as.
    subject: str = ""


@dataclass(frozen=True)
class Config:
    path: Path
    series: tuple[Series, ...]
    api_endpoint: str = ""
    auth: AuthConfig = field(default_factory=AuthConfig)
    limits: Limits = field(default_factory=lambda: Limits())
    deadline: float | None = None  # seconds a command may take in all (None: the default)

    def select(self, series_id: str | None) -> Series:
        """The series named `series_id`; optional when the file has exactly one."""
        ids = ", ".join(s.id for s in self.series)
        if series_id is None:
            if len(self.series) == 1:
                return self.series[0]
            raise ConfigError(
                f"{self.path}: {len(self.series)} series are configured ({ids}): "
                "choose one with --series ID"
            )
        for series in self.series:
            if series.id == series_id:
                return series
        raise ConfigError(f"{self.path}: no series with id {series_id!r} (configured: {ids})")


# --- validation helpers --------------------------------------------------------------

T = TypeVar("T")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DURATION = re.compile(r"^(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?$")


class _Checker:
    """Reads one TOML table with a key-path prefix, so each error can say where it is."""

    def __init__(self, source: str, prefix: str, table: Mapping[str, Any]) -> None:
        self.source = source
        self.prefix = prefix
        self.table = table

    def fail(self, key: str, problem: str) -> ConfigError:
        where = f"{self.prefix}.{key}" if self.prefix else key
        return ConfigError(f"{self.source}: {where}: {problem}")

    def only(self, allowed: set[str]) -> None:
        for key in self.table:
            if key not in allowed:
                hint = difflib.get_close_matches(key, sorted(allowed), n=1)
                extra = f" (did you mean {hint[0]!r}?)" if hint else ""
                known = ", ".join(sorted(allowed))
                raise self.fail(key, f"unknown key{extra}; allowed keys: {known}")

    def get(self, key: str, kind: type[T], default: T | None = None) -> T:
        if key not in self.table:
            if default is None:
                raise self.fail(key, "is required")
            return default
        value = self.table[key]
        # TOML booleans are ints in Python; never accept one where a number is wanted.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, f"must be a {_TYPE_NAMES.get(kind, kind.__name__)}, not {value!r}")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        return self.get(key, str, default).strip()

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(key, default)
        if value not in allowed:
            raise self.fail(key, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def zone(self, key: str) -> zoneinfo.ZoneInfo:
        name = self.text(key)
        try:
            if name:
                return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            # OSError: a region alone ("America") is a directory of the zone database.
            pass
        raise self.fail(key, zone_problem(name))

    def nested(self, key: str, index: int | None = None) -> _Checker:
        value = self.table[key] if index is None else self.table[key][index]
        where = key if index is None else f"{key}[{index}]"
        prefix = f"{self.prefix}.{where}" if self.prefix else where
        if not isinstance(value, dict):
            raise self.fail(where, "must be a table")
        return _Checker(self.source, prefix, value)


_TYPE_NAMES = {
    str: "string",
    int: "whole number",
    bool: "true or false",
    list: "list",
    dict: "table",
}


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def suggest_zone(name: str) -> str | None:
    """The known IANA zone `name` most likely means ("america/chicago", "New York",
    "America/Chicgo"), or None."""
    wanted = "_".join(name.split()).casefold()
    if not wanted:
        return None
    zones = sorted(_known_zones())
    for zone in zones:
        if zone.casefold() == wanted:
            return zone
    # A city alone: the zone whose last part it is (prefer the region/city names).
    cities = [z for z in zones if z.rsplit("/", 1)[-1].casefold() == wanted]
    if cities:
        return min(cities, key=lambda z: (z.startswith(("Etc/", "US/")), z.count("/"), z))
    hint = difflib.get_close_matches(name, zones, n=1)
    return hint[0] if hint else None


def zone_problem(name: str) -> str:
    """The one-line complaint about a time zone that is not known, with a suggestion."""
    hint = suggest_zone(name)
    extra = f" (did you mean {hint!r}?)" if hint else " (use an IANA name like 'Europe/Berlin')"
    return f"{name!r} is not a known time zone{extra}"


def is_zone(name: str) -> bool:
    """Whether `name` is a time zone this machine knows."""
    if not name:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def email_problem(text: str) -> str | None:
    """Why `text` is not an e-mail address, or None when it is one."""
    return None if _EMAIL.match(text.strip()) else f"{text.strip()!r} is not an e-mail address"


def parse_duration(text: str) -> dt.timedelta | None:
    """ "60m", "1h", "1h30m", "90min" -> timedelta; None when not of that form."""
    match = _DURATION.match(text.strip().lower())
    if not text.strip() or not match or not (match["h"] or match["m"]):
        return None
    return dt.timedelta(hours=int(match["h"] or 0), minutes=int(match["m"] or 0))


def _series(check: _Checker, base_dir: Path) -> Series:
    check.only(
        {
            "id", "title", "timezone", "schedule", "duration", "lead_days", "calendar_id",
            "doc_id", "tab", "template", "position", "conference", "participants", "topics",
            "reminders",
        }
    )  # fmt: skip
    series_id = check.text("id")
    if not _SLUG.match(series_id):
        raise check.fail(
            "id",
            f"{series_id!r} must be a slug: lowercase letters, digits and '-' (e.g. 'ruth-heather')",
        )
    schedule_text = check.text("schedule")
    try:
        schedule = parse_schedule(schedule_text)
    except ValueError as exc:
        raise check.fail("schedule", str(exc)) from None
    duration_text = check.text("duration", "60m")
    duration = parse_duration(duration_text)
    if duration is None or not dt.timedelta(minutes=5) <= duration <= dt.timedelta(hours=12):
        raise check.fail(
            "duration",
            f"{duration_text!r} must be between 5m and 12h, written like '60m' or '1h30m'",
        )
    lead_days = check.get("lead_days", int, 7)
    if not 0 <= lead_days <= 60:
        raise check.fail("lead_days", f"{lead_days} must be between 0 and 60")
    template_text = check.text("template", "")
    template = None
    if template_text:
        template = Path(template_text).expanduser()
        if not template.is_absolute():
            template = base_dir / template
    conference = Conference()
    if "conference" in check.table:
        conference = _conference(check.nested("conference"))
    participants = check.get("participants", list)
    if not participants:
        raise check.fail("participants", "list at least one participant ([[series.participants]])")
    people = tuple(_participant(check.nested("participants", i)) for i in range(len(participants)))
    seen: set[str] = set()
    for i, person in enumerate(people):
        if person.name.casefold() in seen:
            raise check.fail(f"participants[{i}].name", f"{person.name!r} is listed twice")
        seen.add(person.name.casefold())
    tab = check.text("tab", "") or None
    topics = _topics(check)
    return Series(
        id=series_id,
        title=check.text("title", "Peer mentoring check-in") or "Peer mentoring check-in",
        timezone=check.zone("timezone"),
        schedule=schedule,
        duration=duration,
        participants=people,
        lead_days=lead_days,
        calendar_id=check.text("calendar_id", "primary") or "primary",
        doc_id=check.text("doc_id", ""),
        tab=tab,
        template=template,
        position="top" if check.choice("position", ("end", "top"), "end") == "top" else "end",
        conference=conference,
        topics=topics,
        reminders=_reminders(check),
    )


def _topics(check: _Checker) -> tuple[str, ...]:
    topics = check.get("topics", list, [])
    chosen: list[str] = []
    for i, topic in enumerate(topics):
        if not isinstance(topic, str) or topic.strip() not in TOPICS:
            hint = difflib.get_close_matches(str(topic), TOPICS, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise check.fail(
                f"topics[{i}]", f"{topic!r} is not a topic{extra}; topics: {', '.join(TOPICS)}"
            )
        if topic.strip() not in chosen:
            chosen.append(topic.strip())
    return tuple(chosen)


def _conference(check: _Checker) -> Conference:
    check.only({"kind", "join_url", "meeting_id", "passcode"})
    kind = check.choice("kind", ("zoom", "meet", "none"), "none")
    join_url = check.text("join_url", "")
    if join_url and not join_url.startswith("https://"):
        raise check.fail("join_url", f"{join_url!r} must be an https:// link")
    if kind == "zoom" and not join_url:
        raise check.fail(
            "join_url", 'is required when kind = "zoom" (or run `gworkflow zoom create`)'
        )
    conference_kind: ConferenceKind = (
        "zoom" if kind == "zoom" else "meet" if kind == "meet" else "none"
    )
    return Conference(
        kind=conference_kind,
        join_url=join_url,
        meeting_id=check.text("meeting_id", ""),
        passcode=check.text("passcode", ""),
    )


def _participant(check: _Checker) -> Participant:
    check.only({"name", "email", "timezone"})
    name = check.text("name")
    if not name:
        raise check.fail("name", "must not be empty")
    email = check.text("email")
    if not _EMAIL.match(email):
        raise check.fail("email", f"{email!r} is not an e-mail address")
    return Participant(name=name, email=email, timezone=check.zone("timezone"))


def _auth(check: _Checker, base_dir: Path) -> AuthConfig:
    check.only({"method", "client_secrets", "service_account_file", "subject"})
    method = check.choice("method", ("oauth", "service_account"), "oauth")

    def path(key: str) -> Path | None:
        text = check.text(key, "")
        if not text:
            return None
        found = Path(text).expanduser()
        return found if found.is_absolute() else base_dir / found

    service_account_file = path("service_account_file")
    if method == "service_account" and service_account_file is None:
        raise check.fail("service_account_file", 'is required when method = "service_account"')
    return AuthConfig(
        method="service_account" if method == "service_account" else "oauth",
        client_secrets=path("client_secrets"),
        service_account_file=service_account_file,
        subject=check.text("subject", ""),
    )


# --- [limits]: how fast runs over many series may call Google -------------------------
#
# Google's per-user quotas (docs/google-api-notes.md, "Docs quotas and the 429 answer",
# "Calendar quotas" and "Drive quotas": for Drive, its last per-request figure, 12,000 a
# minute). `run --all`, `status --all` and the `create --all` commands pace themselves
# below these (gworkflow.pacing); raise them when the Cloud project has more quota.


@dataclass(frozen=True)
class Limits:
    """Requests per minute per API (and per kind, for Docs) that runs over many series may
    make, and how many series they work on at once."""

    docs_read_per_minute: int = 300
    docs_write_per_minute: int = 60
    calendar_per_minute: int = 600
    drive_per_minute: int = 12_000
    workers: int = 4

    def per_minute(self) -> dict[str, int]:
        """The rate of each quota, keyed as `gworkflow.pacing` names them."""
        return {
            "docs_read": self.docs_read_per_minute,
            "docs_write": self.docs_write_per_minute,
            "calendar": self.calendar_per_minute,
            "drive": self.drive_per_minute,
        }


_MAX_PER_MINUTE = 1_000_000
_MAX_WORKERS = 32


def _limits(check: _Checker) -> Limits:
    defaults = Limits()
    rates = (
        "docs_read_per_minute",
        "docs_write_per_minute",
        "calendar_per_minute",
        "drive_per_minute",
    )
    check.only({*rates, "workers"})
    values: dict[str, int] = {}
    for key in rates:
        value = check.get(key, int, getattr(defaults, key))
        if not 1 <= value <= _MAX_PER_MINUTE:
            raise check.fail(
                key, f"{value} must be between 1 and {_MAX_PER_MINUTE:,} requests per minute"
            )
        values[key] = value
    workers = check.get("workers", int, defaults.workers)
    if not 1 <= workers <= _MAX_WORKERS:
        raise check.fail("workers", f"{workers} must be between 1 and {_MAX_WORKERS}")
    return Limits(workers=workers, **values)


def parse_config(text: str, path: Path) -> Config:
    """Validate the TOML `text` of the file at `path` (used in messages and for relative paths)."""
    source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already ends in "(at line L, column C)".
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    top = _Checker(source, "", data)
    top.only({"series", "api_endpoint", "auth", "limits", "deadline"})
    series_list = top.get("series", list, [])
    if not series_list:
        raise ConfigError(
            f"{source}: no [[series]] configured; see `gworkflow config example` for the shape"
        )
    series = tuple(_series(top.nested("series", i), path.parent) for i in range(len(series_list)))
    ids = [s.id for s in series]
    for i, series_id in enumerate(ids):
        if series_id in ids[:i]:
            raise top.fail(f"series[{i}].id", f"{series_id!r} is used by another series")
    endpoint = top.text("api_endpoint", "")
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise top.fail("api_endpoint", f"{endpoint!r} must start with http:// or https://")
    auth = _auth(top.nested("auth"), path.parent) if "auth" in data else AuthConfig()
    limits = _limits(top.nested("limits")) if "limits" in data else Limits()
    deadline = None
    if "deadline" in data:
        value = data["deadline"]
        deadline = parse_seconds(str(value)) if isinstance(value, int | str) else None
        if deadline is None or isinstance(value, bool):
            raise top.fail("deadline", f"{value!r} must be a duration like '2m' or '90s'")
    return Config(
        path=path,
        series=series,
        api_endpoint=endpoint,
        auth=auth,
        limits=limits,
        deadline=deadline,
    )


def load_config(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such config file; create one with "
            f"`gworkflow config example > {path}` and edit it"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from None
    return parse_config(text, path)


def write_atomically(path: Path, text: str, mode: int | None = None) -> None:
    """Replace `path` with `text` so a crash leaves either the old or the new file.

    `mode` sets the permission bits of the new file (e.g. 0o600 for tokens); otherwise the
    old file's mode is kept.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update_series(path: Path, series_id: str, values: Mapping[str, Any], table: str = "") -> None:
    """Set keys of one series (or of its sub-table `table`, e.g. "conference") in place.

    tomlkit keeps the user's comments, order and layout; only the named values change.
    """
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    for entry in document.get("series", []):
        if entry.get("id") == series_id:
            target = entry
            if table:
                if table not in entry:
                    entry[table] = tomlkit.table()
                target = entry[table]
            for key, value in values.items():
                target[key] = value
            write_atomically(path, tomlkit.dumps(document))
            return
    raise ConfigError(f"{path}: no series with id {series_id!r} to update")


# --- Event reminders -----------------------------------------------------------------
# `reminders = ["1 day email", "10 minutes popup"]` in a series: the event's reminder
# overrides. Google takes at most 5, each 0..40320 minutes before the start (calendar.v3.json:
# schemas.Event.properties.reminders.properties.overrides.description and
# schemas.EventReminder.properties.minutes.description).

MAX_REMINDERS = 5
MAX_REMINDER_MINUTES = 40320
_REMINDER_UNITS = {"minute": 1, "hour": 60, "day": 24 * 60, "week": 7 * 24 * 60}
_REMINDER = re.compile(
    r"^(?P<n>\d+)\s*(?P<unit>minute|min|hour|day|week)s?\s+(?:before\s+)?(?:by\s+)?"
    r"(?P<method>email|e-mail|popup|pop-up)$"
)
# What gworkflow sent before reminders were configurable: a pop-up half an hour before,
# an e-mail the day before.
DEFAULT_REMINDERS: tuple[Reminder, ...] = (Reminder(30, "popup"), Reminder(24 * 60, "email"))


def parse_reminder(text: str) -> Reminder:
    """ "1 day email", "10 minutes popup" -> Reminder; ValueError with a one-line reason."""
    match = _REMINDER.match(" ".join(text.strip().lower().split()))
    if not match:
        raise ValueError(
            f"{text!r} is not a reminder; write it like '1 day email' or '10 minutes popup' "
            "(minutes, hours, days or weeks; email or popup)"
        )
    unit = "minute" if match["unit"] == "min" else match["unit"]
    minutes = int(match["n"]) * _REMINDER_UNITS[unit]
    if minutes > MAX_REMINDER_MINUTES:
        raise ValueError(f"{text!r} is more than 4 weeks before; Google allows at most 4 weeks")
    method: ReminderMethod = "email" if match["method"] in ("email", "e-mail") else "popup"
    return Reminder(minutes, method)


def _reminders(check: _Checker) -> tuple[Reminder, ...]:
    if "reminders" not in check.table:
        return DEFAULT_REMINDERS
    entries = check.get("reminders", list)
    if len(entries) > MAX_REMINDERS:
        raise check.fail("reminders", f"{len(entries)} reminders; Google allows at most 5")
    found: list[Reminder] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, str):
            raise check.fail(
                f"reminders[{i}]", f"must be a string like '1 day email', not {entry!r}"
            )
        try:
            reminder = parse_reminder(entry)
        except ValueError as exc:
            raise check.fail(f"reminders[{i}]", str(exc)) from None
        if reminder in found:
            raise check.fail(f"reminders[{i}]", f"{entry!r} is listed twice")
        found.append(reminder)
    return tuple(found)


# --- Placeholders left from the example ----------------------------------------------
# `config init` without a terminal writes EXAMPLE_CONFIG; its addresses and Zoom link are
# not anybody's. `config check` warns about them, `doc create` and `event create` refuse
# to share with or invite them.

SAMPLE_JOIN_URL = "https://zoom.us/j/85512345678?pwd=abc"
# RFC 2606 reserves example.com/.net/.org and the .example top-level domain; the example
# config also uses example.edu.
_PLACEHOLDER_DOMAINS = ("example.com", "example.net", "example.org", "example.edu", "example")


def is_placeholder_address(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].casefold().rstrip(".")
    return any(domain == d or domain.endswith(f".{d}") for d in _PLACEHOLDER_DOMAINS)


def placeholder_values(series: Series, links: bool = True) -> list[str]:
    """The example's placeholder values still in `series`: participants' addresses in a
    reserved example domain, and (with `links`) the example's sample Zoom link."""
    found = [p.email for p in series.participants if is_placeholder_address(p.email)]
    if links and series.conference.join_url == SAMPLE_JOIN_URL:
        found.append(f"the sample Zoom link {SAMPLE_JOIN_URL}")
    return found


def placeholder_warnings(config: Config) -> list[str]:
    """One line per series that still holds placeholder values from the example."""
    return [
        f"series {series.id!r}: {', '.join(found)} "
        f"{'is a placeholder' if len(found) == 1 else 'are placeholders'} from the example; "
        "put in the real ones (`gworkflow config edit`)"
        for series in config.series
        if (found := placeholder_values(series))
    ]
