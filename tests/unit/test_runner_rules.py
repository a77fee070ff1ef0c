"""The daily run's rules, with in-memory fakes of the doc and calendar ports (no HTTP).

The example series meets on the 2nd Tuesday at 14:00 in Chicago for an hour, and its
agenda is due 7 days (lead_days) before each meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support.docbuilder import DocBuilder

from gworkflow.agenda.blocks import Block
from gworkflow.config import EXAMPLE_CONFIG, Series, parse_config
from gworkflow.errors import ConfigError
from gworkflow.meeting import Meeting, MeetingStatus
from gworkflow.ports import AgendaDoc, AppendResult, Replan, SeriesCalendar
from gworkflow.runner import RunOutcome, run_series
from gworkflow.types import JSON, Position

CHICAGO = ZoneInfo("America/Chicago")
DEC_8 = dt.date(2026, 12, 8)
JAN_12 = dt.date(2027, 1, 12)
IN_WINDOW = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)  # 6 days before Dec 8
BEFORE_WINDOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
DEC_8_MARKER = "gworkflow:ruth-heather:2026-12-08"


def example_series(doc_id: str = "doc1") -> Series:
    text = EXAMPLE_CONFIG.replace('doc_id = ""', f'doc_id = "{doc_id}"')
    return parse_config(text, Path("config.toml")).select(None)


def meeting(
    day: dt.date, status: MeetingStatus = "confirmed", moved_to: dt.datetime | None = None
) -> Meeting:
    scheduled = dt.datetime(day.year, day.month, day.day, 14, 0, tzinfo=CHICAGO)
    start = moved_to or scheduled
    return Meeting(start, start + dt.timedelta(hours=1), status, original_start=scheduled)


@dataclass(frozen=True)
class Created:
    created: bool


@dataclass
class FakeCalendar:
    """The series' event: `meetings` as the calendar has them, or None when there is none.
    With `another_run_creates`, another run makes the event just before our insert."""

    meetings: list[Meeting] | None
    asked: list[dt.datetime] = field(default_factory=list)
    created: list[tuple[str, dt.datetime]] = field(default_factory=list)
    another_run_creates: bool = False

    def upcoming(self, after: dt.datetime, count: int) -> list[Meeting] | None:
        self.asked.append(after)
        if self.meetings is None:
            return None
        return [m for m in self.meetings if m.end > after][:count]

    def create(self, doc_url: str, now: dt.datetime) -> Created:
        self.created.append((doc_url, now))
        return Created(not self.another_run_creates)


@dataclass
class FakeDoc:
    """The running doc: people's notes, then one marked heading per section written."""

    markers: list[str] = field(default_factory=list)
    marker_found_by_writer: bool = False  # the writer finds the marker on its own re-read
    in_trash: bool = False
    fetched: list[str] = field(default_factory=list)
    appended: list[tuple[str, str | None, Position, str, int, bool]] = field(default_factory=list)

    def fetch(self, doc_id: str) -> JSON:
        self.fetched.append(doc_id)
        builder = DocBuilder()
        builder.add("NORMAL_TEXT", "Notes Ruth typed")
        for marker in self.markers:
            start, end = builder.add("HEADING_1", f"Check-in {marker.rsplit(':', 1)[-1]}")
            builder.mark(marker, start, end)
        return builder.build()

    def append_section(
        self,
        doc_id: str,
        tab: str | None,
        position: Position,
        marker: str,
        blocks: Sequence[Block],
        doc: JSON | None = None,
        replan: Replan | None = None,
    ) -> AppendResult:
        self.appended.append((doc_id, tab, position, marker, len(blocks), doc is not None))
        if self.marker_found_by_writer:
            # Our write met a stale revision; on re-reading, the marker was there.
            return AppendResult(False, 1, "r1", meanwhile=True)
        self.markers.append(marker)
        return AppendResult(True, 1, "r2")

    def trashed(self, doc_id: str) -> bool | None:
        return self.in_trash


def run(
    doc: AgendaDoc,
    calendar: SeriesCalendar,
    now: dt.datetime,
    tmp_path: Path,
    series: Series | None = None,
    dry_run: bool = False,
) -> RunOutcome:
    return run_series(
        series or example_series(), doc, calendar, now, tmp_path / "lock", dry_run=dry_run
    )


def test_a_meeting_more_than_lead_days_away_is_not_yet_due_and_the_doc_is_not_read(
    tmp_path: Path,
) -> None:
    doc, calendar = FakeDoc(), FakeCalendar([meeting(DEC_8), meeting(JAN_12)])
    outcome = run(doc, calendar, BEFORE_WINDOW, tmp_path)
    assert outcome.action == "not-yet"
    assert outcome.meeting == meeting(DEC_8)
    # It says which day the section will be added: lead_days (7) calendar days before.
    assert outcome.agenda_on == dt.date(2026, 12, 1)
    assert outcome.summary() == (
        "ruth-heather: next meeting 2026-12-08: will add its agenda on 2026-12-01"
    )
    assert doc.fetched == [] and doc.appended == []


def test_within_lead_days_the_section_is_written_once_from_one_read(tmp_path: Path) -> None:
    doc, calendar = FakeDoc(), FakeCalendar([meeting(DEC_8), meeting(JAN_12)])
    outcome = run(doc, calendar, IN_WINDOW, tmp_path)
    assert (outcome.action, outcome.meeting) == ("appended", meeting(DEC_8))
    assert not outcome.event_created
    assert doc.fetched == ["doc1"]
    ((doc_id, tab, position, marker, blocks, reused_read),) = doc.appended
    assert (doc_id, tab, position, marker) == ("doc1", None, "end", DEC_8_MARKER)
    assert blocks > 0 and reused_read  # the writer got the doc just read: no second read


def test_lead_days_counts_calendar_days_in_the_series_zone(tmp_path: Path) -> None:
    # Dec 8 at 14:00 Chicago, lead_days 7: the section is due from Tuesday Dec 1, all day.
    calendar = FakeCalendar([meeting(DEC_8)])
    last_minute_before = dt.datetime(2026, 11, 30, 23, 59, tzinfo=CHICAGO)
    outcome = run(FakeDoc(), calendar, last_minute_before, tmp_path)
    assert (outcome.action, outcome.agenda_on) == ("not-yet", dt.date(2026, 12, 1))
    midnight = dt.datetime(2026, 12, 1, 0, 0, tzinfo=CHICAGO)
    assert run(FakeDoc(), calendar, midnight, tmp_path).action == "appended"


def test_the_0717_cron_run_adds_a_1400_meeting_exactly_lead_days_before(tmp_path: Path) -> None:
    # The cron line `gworkflow cron print` suggests runs at 07:17: 6 h 43 min more than
    # 7 x 24 h before a 14:00 meeting. Measured in hours it appended six days before.
    calendar = FakeCalendar([meeting(DEC_8)])
    for day in (25, 26, 27, 28, 29, 30):
        cron = dt.datetime(2026, 11, day, 7, 17, tzinfo=CHICAGO)
        assert run(FakeDoc(), calendar, cron, tmp_path).action == "not-yet"
    doc = FakeDoc()
    outcome = run(doc, calendar, dt.datetime(2026, 12, 1, 7, 17, tzinfo=CHICAGO), tmp_path)
    assert outcome.action == "appended" and [a[3] for a in doc.appended] == [DEC_8_MARKER]


def test_the_day_is_the_series_zones_not_the_machines(tmp_path: Path) -> None:
    calendar = FakeCalendar([meeting(DEC_8)])
    # 03:00 UTC on Dec 1 is still Nov 30, 21:00 in Chicago: not yet.
    early_utc = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
    assert run(FakeDoc(), calendar, early_utc, tmp_path).action == "not-yet"
    # 06:17 UTC on Dec 1 is 00:17 in Chicago: due (a machine in Tokyo runs the same way).
    tokyo = dt.datetime(2026, 12, 1, 6, 17, tzinfo=dt.UTC).astimezone(ZoneInfo("Asia/Tokyo"))
    assert run(FakeDoc(), calendar, tokyo, tmp_path).action == "appended"


def test_lead_days_zero_adds_the_section_on_the_meeting_day(tmp_path: Path) -> None:
    series = replace(example_series(), lead_days=0)
    calendar = FakeCalendar([meeting(DEC_8)])
    eve = dt.datetime(2026, 12, 7, 23, 0, tzinfo=CHICAGO)
    outcome = run(FakeDoc(), calendar, eve, tmp_path, series)
    assert (outcome.action, outcome.agenda_on) == ("not-yet", DEC_8)
    morning = dt.datetime(2026, 12, 8, 7, 17, tzinfo=CHICAGO)
    assert run(FakeDoc(), calendar, morning, tmp_path, series).action == "appended"


def test_a_section_already_written_is_not_written_again(tmp_path: Path) -> None:
    doc, calendar = FakeDoc(), FakeCalendar([meeting(DEC_8)])
    assert run(doc, calendar, IN_WINDOW, tmp_path).action == "appended"
    again = run(doc, calendar, IN_WINDOW + dt.timedelta(days=1), tmp_path)
    assert again.action == "exists"
    assert again.summary() == "ruth-heather: the agenda for 2026-12-08 is already in the doc"
    assert len(doc.appended) == 1


def test_a_section_someone_else_wrote_first_is_reported_as_there(tmp_path: Path) -> None:
    # Another run wrote it between our read and our write: the writer finds the marker.
    doc = FakeDoc(marker_found_by_writer=True)
    outcome = run(doc, FakeCalendar([meeting(DEC_8)]), IN_WINDOW, tmp_path)
    assert outcome.action == "exists" and len(doc.appended) == 1
    assert outcome.summary() == (
        "ruth-heather: the agenda for 2026-12-08 is already there: another run wrote it"
    )


def test_a_missing_event_is_created_and_the_rule_gives_the_meetings(tmp_path: Path) -> None:
    series = example_series()
    doc, calendar = FakeDoc(), FakeCalendar(None)
    outcome = run(doc, calendar, IN_WINDOW, tmp_path, series)
    assert calendar.created == [(series.doc_url, IN_WINDOW)]
    assert outcome.event_created and outcome.action == "appended"
    assert outcome.meeting is not None and outcome.meeting.key == DEC_8
    assert outcome.summary() == (
        "ruth-heather: created the calendar event; appended the agenda for 2026-12-08"
    )


def test_an_existing_event_is_left_alone(tmp_path: Path) -> None:
    calendar = FakeCalendar([meeting(DEC_8)])
    assert not run(FakeDoc(), calendar, BEFORE_WINDOW, tmp_path).event_created
    assert calendar.created == []


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    doc, calendar = FakeDoc(), FakeCalendar(None)
    outcome = run(doc, calendar, IN_WINDOW, tmp_path, dry_run=True)
    assert outcome.action == "would-append" and not outcome.event_created
    assert outcome.summary() == "ruth-heather: would append the agenda for 2026-12-08 (dry run)"
    assert calendar.created == [] and doc.appended == []
    assert doc.fetched == ["doc1"]  # reading is fine: it shows what would be written


def test_a_dry_run_of_a_written_section_says_it_is_there(tmp_path: Path) -> None:
    doc = FakeDoc(markers=[DEC_8_MARKER])
    outcome = run(doc, FakeCalendar([meeting(DEC_8)]), IN_WINDOW, tmp_path, dry_run=True)
    assert outcome.action == "exists" and doc.appended == []


def test_a_cancelled_meeting_is_skipped_for_the_next_one(tmp_path: Path) -> None:
    doc = FakeDoc()
    calendar = FakeCalendar([meeting(DEC_8, "cancelled"), meeting(JAN_12)])
    outcome = run(doc, calendar, IN_WINDOW, tmp_path)
    assert (outcome.action, outcome.meeting) == ("not-yet", meeting(JAN_12))
    assert doc.appended == []


def test_a_moved_meeting_is_due_by_its_new_start_and_named_by_its_old_date(
    tmp_path: Path,
) -> None:
    moved = meeting(DEC_8, "moved", dt.datetime(2026, 12, 10, 14, 0, tzinfo=CHICAGO))
    doc, calendar = FakeDoc(), FakeCalendar([moved, meeting(JAN_12)])
    assert run(doc, calendar, IN_WINDOW, tmp_path).action == "not-yet"
    outcome = run(doc, calendar, IN_WINDOW + dt.timedelta(days=2), tmp_path)
    assert (outcome.action, outcome.meeting) == ("appended", moved)
    assert [entry[3] for entry in doc.appended] == [DEC_8_MARKER]


def test_a_meeting_under_way_still_gets_its_section_and_an_ended_one_does_not(
    tmp_path: Path,
) -> None:
    start = meeting(DEC_8).start
    calendar = FakeCalendar([meeting(DEC_8), meeting(JAN_12)])
    under_way = run(FakeDoc(), calendar, start + dt.timedelta(minutes=30), tmp_path)
    assert (under_way.action, under_way.meeting) == ("appended", meeting(DEC_8))
    # The calendar is asked from one meeting length back, so the one under way is listed.
    assert calendar.asked[-1] == start + dt.timedelta(minutes=30) - dt.timedelta(hours=1)
    ended = run(FakeDoc(), calendar, start + dt.timedelta(hours=1, minutes=1), tmp_path)
    assert (ended.action, ended.meeting) == ("not-yet", meeting(JAN_12))


def test_no_upcoming_meeting_is_said_plainly(tmp_path: Path) -> None:
    outcome = run(FakeDoc(), FakeCalendar([meeting(DEC_8, "cancelled")]), IN_WINDOW, tmp_path)
    assert outcome.action == "no-meeting"
    assert outcome.summary() == "ruth-heather: no upcoming meeting found"


def test_a_series_without_a_doc_stops_before_any_call(tmp_path: Path) -> None:
    doc, calendar = FakeDoc(), FakeCalendar(None)
    with pytest.raises(ConfigError, match="gworkflow doc create"):
        run(doc, calendar, IN_WINDOW, tmp_path, example_series(doc_id=""))
    assert calendar.asked == [] and calendar.created == [] and doc.fetched == []


def test_a_doc_in_the_trash_is_not_written_and_the_run_says_so(tmp_path: Path) -> None:
    from gworkflow.errors import NotFound

    doc = FakeDoc(in_trash=True)
    with pytest.raises(NotFound) as caught:
        run(doc, FakeCalendar([meeting(DEC_8)]), IN_WINDOW, tmp_path)
    assert "is in the Google Drive trash: restore it" in caught.value.message
    assert doc.appended == []


def test_the_event_another_run_created_is_not_reported_as_created(tmp_path: Path) -> None:
    calendar = FakeCalendar(None, another_run_creates=True)
    outcome = run(FakeDoc(), calendar, IN_WINDOW, tmp_path)
    assert calendar.created and not outcome.event_created
    assert outcome.summary() == "ruth-heather: appended the agenda for 2026-12-08"


def test_an_empty_template_is_a_template_error_naming_the_file(tmp_path: Path) -> None:
    from gworkflow.errors import TemplateError

    template = tmp_path / "empty.md.j2"
    template.write_text("\n   \n")
    text = EXAMPLE_CONFIG.replace('doc_id = ""', 'doc_id = "doc1"').replace(
        '# template = "agenda.md.j2"', f'template = "{template}"'
    )
    series = parse_config(text, tmp_path / "config.toml").select(None)
    with pytest.raises(TemplateError) as caught:
        run(FakeDoc(), FakeCalendar([meeting(DEC_8)]), IN_WINDOW, tmp_path, series)
    assert caught.value.message.startswith(f"template {template}: renders nothing")
    assert caught.value.exit_code == 2
