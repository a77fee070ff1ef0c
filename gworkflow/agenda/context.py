"""The template context: everything an agenda template may use, as plain dicts and lists.

What lives here: `build_context` (one meeting of a series, plus what carries forward from the
last section) and the small text helpers it uses for names, dates and times, which the
template filters share (`city`, `long_date`, `clock_time`). What does not: the Jinja
environment, its filters and error messages (template.py), turning Markdown into blocks
(markdown.py), reading the doc (parse.py, carry.py).

The context (every datetime is timezone-aware):

    series:      {id, title, timezone (IANA name), doc_url, topics (e.g. ["invitations"]),
                  conference: {kind, join_url, meeting_id, passcode}}
    meeting:     {start, end (series zone), date (start date, series zone),
                  key (the scheduled date that names the section; differs from `date` only
                  for a moved meeting), original_start (or None), status
                  ("confirmed" | "moved" | "cancelled"), local: {participant name: start in
                  their zone}, zones: [{timezone, city, local_start, label}] one per distinct
                  zone, the series zone first; label is "14:00 Chicago", with the date added
                  when it differs from the series-zone date}
    participants: [{name, email, timezone, local_start,
                    goals: every goal of the previous section, open_goals: those not done,
                      done_goals: those marked done; each {text, spans, level, done, since,
                      since_label ("8 Dec"), carried},
                    progress: "Planned on 8 December: 2 goals, 1 done — ..." or "",
                    conferences: [{text, spans, date or None}],
                    invitations: the open ones, declined: those answered "no:"; each
                      {text, spans, cost: {meetings, hours_per_meeting, prep_hours, hours,
                      label ("≈ 6 meetings x (1 h + 1 h prep) = 12 h"), total ("12 h")}
                      or None}}]
    `spans` are the item as typed: [{text, bold, italic, strike, link, person}]; the
    `md_spans` filter writes them back as Markdown.
    previous_meeting: date of the previous section, or None
    doc_url:     link to the running doc ("" before it exists)
    now:         when the section is rendered
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence

from gworkflow.agenda.blocks import (
    MAX_NESTING,
    CarriedGoal,
    CarriedInvitation,
    ParticipantCarry,
    Span,
)
from gworkflow.agenda.carry import since_label
from gworkflow.agenda.weigh import hours_text, read_cost
from gworkflow.config import Series
from gworkflow.meeting import Meeting
from gworkflow.types import JSON


def city(zone: zoneinfo.ZoneInfo | str) -> str:
    """ "America/New_York" -> "New York": how people name a time zone in a sentence."""
    name = zone.key if isinstance(zone, zoneinfo.ZoneInfo) else str(zone)
    return name.rsplit("/", 1)[-1].replace("_", " ")


def long_date(value: dt.date | dt.datetime, year: bool = True) -> str:
    """ "Tuesday 8 December 2026" (no locale, no platform-specific strftime flags)."""
    text = f"{value:%A} {value.day} {value:%B}"
    return f"{text} {value.year}" if year else text


def day_month(value: dt.date | dt.datetime) -> str:
    """ "8 December"."""
    return f"{value.day} {value:%B}"


def clock_time(value: dt.datetime) -> str:
    """ "14:00": a time of day on the 24-hour clock."""
    return f"{value:%H:%M}"


def _normalized_levels(levels: Sequence[int]) -> list[int]:
    """Levels that never jump by more than one: a deeper jump in Markdown becomes a lazy
    paragraph continuation (the goal would merge into the one above it)."""
    out: list[int] = []
    for level in levels:
        ceiling = out[-1] + 1 if out else 0
        out.append(max(0, min(level, ceiling, MAX_NESTING)))
    return out


def _zones(series: Series, meeting: Meeting) -> list[JSON]:
    ordered: list[zoneinfo.ZoneInfo] = []
    participant_zones = [p.timezone for p in series.participants]
    if series.timezone in participant_zones:
        ordered.append(series.timezone)
    for zone in participant_zones:
        if zone not in ordered:
            ordered.append(zone)
    home_date = meeting.start.astimezone(series.timezone).date()
    zones = []
    for zone in ordered:
        local = meeting.start.astimezone(zone)
        label = f"{clock_time(local)} {city(zone)}"
        if local.date() != home_date:
            label += f" ({long_date(local, year=False)})"
        zones.append(
            {"timezone": zone.key, "city": city(zone), "local_start": local, "label": label}
        )
    return zones


def build_context(
    series: Series,
    meeting: Meeting,
    carries: Sequence[ParticipantCarry],
    previous: dt.date | None,
    now: dt.datetime,
) -> JSON:
    """Everything a template may use (see the module docstring); plain dicts and lists."""
    by_name = {carry.name.casefold(): carry for carry in carries}
    start = meeting.start.astimezone(series.timezone)
    participants = []
    for person in series.participants:
        carry = by_name.get(person.name.casefold(), ParticipantCarry(person.name))
        goals = carry.goals
        participants.append(
            {
                "name": person.name,
                "email": person.email,
                "timezone": person.timezone.key,
                "local_start": meeting.start.astimezone(person.timezone),
                "goals": _goals(goals, meeting.key),
                "open_goals": _goals([g for g in goals if not g.done], meeting.key),
                "done_goals": _goals([g for g in goals if g.done], meeting.key),
                "progress": progress_line(goals, previous),
                "conferences": [
                    {"text": _one_line(c.text), "spans": _spans(c.rich), "date": c.date}
                    for c in carry.conferences
                ],
                "invitations": [_invitation(i) for i in carry.invitations if not i.decision],
                "declined": [_invitation(i) for i in carry.invitations if i.decision == "no"],
            }
        )
    original = meeting.original_start
    return {
        "series": {
            "id": series.id,
            "title": series.title,
            "timezone": series.timezone.key,
            "doc_url": series.doc_url,
            "topics": list(series.topics),
            "conference": {
                "kind": series.conference.kind,
                "join_url": series.conference.join_url,
                "meeting_id": series.conference.meeting_id,
                "passcode": series.conference.passcode,
            },
        },
        "meeting": {
            "start": start,
            "end": meeting.end.astimezone(series.timezone),
            "date": start.date(),
            "key": meeting.key,
            "original_start": original.astimezone(series.timezone) if original else None,
            "status": meeting.status,
            "local": meeting.local_times(series.participants),
            "zones": _zones(series, meeting),
        },
        "participants": participants,
        "previous_meeting": previous,
        "doc_url": series.doc_url,
        "now": now,
    }


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _spans(spans: Sequence[Span]) -> list[JSON]:
    return [
        {
            "text": span.text,
            "bold": span.bold,
            "italic": span.italic,
            "strike": span.strike,
            "link": span.link,
            "person": span.person,
        }
        for span in spans
    ]


def _goals(goals: Sequence[CarriedGoal], meeting: dt.date) -> list[JSON]:
    levels = _normalized_levels([goal.level for goal in goals])
    return [
        {
            "text": _one_line(goal.text),
            "spans": _spans(goal.rich),
            "level": level,
            "done": goal.done,
            "since": goal.since,
            "since_label": since_label(goal.since, meeting) if goal.since else "",
            "carried": goal.carried,
        }
        for goal, level in zip(goals, levels, strict=True)
    ]


def _invitation(invitation: CarriedInvitation) -> JSON:
    cost = read_cost(invitation.text)
    return {
        "text": _one_line(invitation.text),
        "spans": _spans(invitation.rich),
        "cost": None
        if cost is None
        else {**cost.as_json(), "label": cost.label, "total": hours_text(cost.hours)},
    }


def progress_line(goals: Sequence[CarriedGoal], previous: dt.date | None) -> str:
    """The line at the top of a person's Achievements: what was planned last time, and how
    to record progress. "" when nothing was planned."""
    if previous is None or not goals:
        return ""
    planned = len(goals)
    done = sum(1 for goal in goals if goal.done)
    head = f"Planned on {day_month(previous)}: {planned} goal{'' if planned == 1 else 's'}"
    if done == planned:
        return f"{head}, {'done' if planned == 1 else 'all done'}."
    if done == 0:
        return f"{head}. Mark {'it' if planned == 1 else 'each'} ✅ under Goals when done."
    return f"{head}, {done} done. Mark the rest ✅ under Goals when done."
