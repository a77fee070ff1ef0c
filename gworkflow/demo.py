"""`gworkflow demo`: the whole story on the sandbox, with no Google account.

A pair in two time zones gets a config, a running doc and a recurring event; then three
months go by: before each meeting the daily job appends the agenda, and between meetings
the pair types goals and conferences into the doc (through the sandbox's people route: a Docs
batchUpdate, as the browser would make) and marks a goal done; the next section shows it as an achievement, offers the
unfinished goals again and keeps the conferences still to come. Every step is
the real code path of `doc create`, `event create` and `run`, against the sandbox through
the real google-api-python-client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gworkflow.agenda.carry import since_label
from gworkflow.agenda.docjson import select_tab
from gworkflow.agenda.parse import paragraphs
from gworkflow.agenda.text import blocks_to_text
from gworkflow.config import EXAMPLE_CONFIG, Series, load_config, update_series
from gworkflow.google.calendar import SeriesEvent
from gworkflow.google.clients import build_clients
from gworkflow.google.docs import RunningDoc
from gworkflow.runner import RunOutcome, run_series, select_meeting
from gworkflow.sandbox.people import People

# The story, month by month: the goals each person types after the meeting, and the goal
# someone marks done before the next one (a goal not marked done comes back under Goals).
DEMO_GOALS = {
    "Ruth": [["Submit the IRDL application", "Draft the assessment survey"], [], []],
    "Heather": [["Finish the OER grant report"], ["Plan the spring workshop series"], []],
}
# The headings the default template (templates/agenda.md.j2) puts under each person's name:
# the pair types under them, found by their text as a person finds them.
GOALS = "Goals"
CONFERENCES = "Upcoming Conferences"

DEMO_DONE = [
    [("Ruth", "Submit the IRDL application")],
    [("Heather", "Finish the OER grant report")],
    [],
]
DEMO_CONFERENCES = {
    "Ruth": ["ACRL 2027, Minneapolis, 2027-04-07"],
    "Heather": ["ALA Annual 2027, 2027-06-24"],
}


@dataclass
class DemoResult:
    doc_id: str
    doc_title: str
    doc_text: str
    event_id: str
    runs: list[RunOutcome] = field(default_factory=list)
    api_calls: int = 0
    view_url: str = ""

    def as_text(self) -> str:
        lines = [f"{self.doc_title}", "=" * len(self.doc_title), "", self.doc_text, ""]
        lines.append(f"Sandbox API calls made: {self.api_calls}")
        if self.view_url:
            lines.append(f"See it as a page: {self.view_url}")
        return "\n".join(lines)

    def as_json(self) -> Any:
        return {
            "doc_id": self.doc_id,
            "event_id": self.event_id,
            "runs": [run.as_json() for run in self.runs],
            "api_calls": self.api_calls,
            "doc_text": self.doc_text,
        }


def write_demo_config(workdir: Path, endpoint: str) -> Path:
    """The README example, pointed at the sandbox."""
    path = workdir / "config.toml"
    text = EXAMPLE_CONFIG.replace(
        '# api_endpoint = "http://127.0.0.1:8765"   # optional: send every Google call to a sandbox',
        f'api_endpoint = "{endpoint}"',
    )
    path.write_text(text, encoding="utf-8")
    return path


def run_demo(
    sandbox: Any,
    workdir: Path,
    now: dt.datetime,
    progress: Callable[[str], None],
    months: int = 3,
) -> DemoResult:
    """Play `months` of check-ins on `sandbox` (a started `gworkflow.sandbox.server.Sandbox`)."""

    config_path = write_demo_config(workdir, sandbox.base_url)
    series = load_config(config_path).select(None)
    names = [p.name for p in series.participants]
    clients = build_clients(None, sandbox.base_url)
    running = RunningDoc(clients.docs, clients.drive)

    progress("Creating the running doc and sharing it with the pair ...")
    doc_id = str(running.create(f"{series.title} — running agenda")["documentId"])
    running.share(doc_id, [p.email for p in series.participants])
    update_series(config_path, series.id, {"doc_id": doc_id})
    series = load_config(config_path).select(None)

    progress("Creating the recurring calendar event with the Zoom link ...")
    event = SeriesEvent(clients.calendar, series)
    created = event.create(series.doc_url, now).event

    result = DemoResult(doc_id, "", "", str(created.get("id", "")))
    people = People(sandbox.base_url, doc_id)
    clock = now
    set_on: dict[tuple[str, str], dt.date] = {}
    for month in range(months):
        meeting = _next_meeting(series, event, clock)
        # The daily cron job on the first day within lead_days of the meeting appends the
        # agenda; the same job the next day finds it and does nothing.
        clock = max(
            clock, meeting.start - dt.timedelta(days=series.lead_days) + dt.timedelta(hours=1)
        )
        for day in (clock, clock + dt.timedelta(days=1)):
            outcome = run_series(series, running, event, day, workdir / f"run-{series.id}.lock")
            result.runs.append(outcome)
            progress(f"{day:%Y-%m-%d} daily run: {outcome.summary()}")
        # After the meeting, each person writes down their goals (and a conference).
        for name in names:
            goals = DEMO_GOALS[name][month % 3]
            if goals:
                people.type_items(meeting.key, (name, GOALS), goals)
                set_on.update({(name, goal): meeting.key for goal in goals})
            if month == 0:
                people.type_items(meeting.key, (name, CONFERENCES), DEMO_CONFERENCES[name])
        progress(f"{meeting.key}: the pair typed their goals into the doc")
        if month + 1 < months:
            # Before the next meeting someone notes a goal they finished: a goal carried
            # from an earlier section reads "... (since 8 Dec)" in this one.
            for name, goal in DEMO_DONE[month % 3]:
                since = set_on.get((name, goal), meeting.key)
                shown = (
                    goal
                    if since == meeting.key
                    else f"{goal} (since {since_label(since, meeting.key)})"
                )
                people.mark_done(meeting.key, (name, GOALS), shown)
        clock = meeting.end + dt.timedelta(hours=1)

    doc = running.fetch(doc_id)
    result.doc_title = str(doc.get("title", ""))
    result.doc_text = blocks_to_text(p.block for p in paragraphs(select_tab(doc)))
    result.api_calls = len(sandbox.requests_log())
    return result


def _next_meeting(series: Series, calendar: Any, after: dt.datetime) -> Any:

    return select_meeting(series, calendar, after)
