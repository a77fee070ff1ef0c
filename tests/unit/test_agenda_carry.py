"""What carries forward: goals (with done hints) and still-upcoming conferences."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.docbuilder import LIST_IDS, DocBuilder, date_chip, image, person, rich_link, run

from gworkflow.agenda.blocks import (
    CarriedConference,
    CarriedGoal,
    CarriedInvitation,
    ParticipantCarry,
    marker_name,
)
from gworkflow.agenda.carry import (
    Topic,
    carry_forward,
    heading_participant,
    heading_topic,
    participant_notes,
    read_done,
    since_label,
    to_json,
)
from gworkflow.agenda.context import build_context
from gworkflow.agenda.docjson import select_tab
from gworkflow.agenda.parse import find_sections, paragraphs
from gworkflow.agenda.render import render_section
from gworkflow.config import Participant, Series
from gworkflow.meeting import Meeting
from gworkflow.schedule import parse_schedule

SERIES = "ruth-heather"
NAMES = ["Ruth", "Heather"]
TODAY = dt.date(2027, 1, 5)
NEXT_MEETING = dt.date(2027, 1, 12)
DEC8 = dt.date(2026, 12, 8)


def section_rows(day: dt.date, people: dict[str, dict[str, list[Any]]]) -> list[tuple[Any, ...]]:
    """A section as the default template renders it; people -> {"goals": rows, ...}."""
    rows: list[tuple[Any, ...]] = [
        ("HEADING_1", f"Check-in {day.isoformat()}"),
        ("NORMAL_TEXT", "14:00 Chicago / 20:00 London"),
    ]
    for name, parts in people.items():
        rows.append(("HEADING_2", name))
        rows.append(("HEADING_3", "Achievements"))
        rows.extend(parts.get("achievements", []))
        rows.append(("HEADING_3", "Goals"))
        rows.extend(parts.get("goals", []))
        rows.append(("HEADING_3", "Upcoming Conferences"))
        rows.extend(parts.get("conferences", []))
    return rows


def _series() -> Series:
    zone = zoneinfo.ZoneInfo("America/Chicago")
    people = tuple(Participant(name, f"{name.lower()}@example.edu", zone) for name in NAMES)
    return Series(
        id=SERIES,
        title="Check-in",
        timezone=zone,
        schedule=parse_schedule("2nd Tuesday 14:00"),
        duration=dt.timedelta(hours=1),
        participants=people,
        topics=("invitations",),
    )


def marked_doc(sections: list[list[tuple[Any, ...]]], days: list[dt.date]) -> dict[str, Any]:
    builder = DocBuilder()
    builder.add("NORMAL_TEXT", "Running notes for Ruth and Heather")
    for rows, day in zip(sections, days, strict=True):
        start, end = builder.rows(rows)
        builder.mark(marker_name(SERIES, day), start, end)
    return builder.build(tabs=True)


def notes_of(rows: list[tuple[Any, ...]], names: list[str] = NAMES) -> list[ParticipantCarry]:
    builder = DocBuilder()
    start, end = builder.rows(rows)
    builder.mark(marker_name(SERIES, dt.date(2026, 12, 8)), start, end)
    (section,) = find_sections(select_tab(builder.build()), SERIES)
    return participant_notes(section, names, TODAY)


def check(text: str, level: int = 0) -> tuple[Any, ...]:
    return ("NORMAL_TEXT", text, "checklist", level)


# --- goals --------------------------------------------------------------------------------


def test_goals_with_nesting_done_hints_and_empty_items() -> None:
    ruth, heather = notes_of(
        section_rows(
            dt.date(2026, 12, 8),
            {
                "Ruth": {
                    "goals": [
                        check("Submit the IRDL application"),
                        check("Draft the statement", 1),
                        check("✅ Ask two referees", 1),
                        check("[x] Book the room"),
                        check("Done: renew membership"),
                        check("Read the CFP (done)"),
                        ("NORMAL_TEXT", [run("Finish the poster", strike=True)], "checklist"),
                        check("Write the abstract ✔️"),
                        check("[ ] Plan the survey"),
                        check(""),  # the empty item left to type into
                        check("✅"),
                    ]
                },
                "Heather": {"goals": [("NORMAL_TEXT", "Publish 📚 the zine 🎉", "bullet", 2)]},
            },
        )
    )
    assert ruth.goals == (
        CarriedGoal("Submit the IRDL application", 0, False, since=DEC8),
        CarriedGoal("Draft the statement", 1, False, since=DEC8),
        CarriedGoal("Ask two referees", 1, True, since=DEC8),
        CarriedGoal("Book the room", 0, True, since=DEC8),
        CarriedGoal("renew membership", 0, True, since=DEC8),
        CarriedGoal("Read the CFP", 0, True, since=DEC8),
        # Struck through: done, and the achievement shows a check mark, not a struck line.
        CarriedGoal("Finish the poster", 0, True, since=DEC8),
        CarriedGoal("Write the abstract", 0, True, since=DEC8),
        CarriedGoal("Plan the survey", 0, False, since=DEC8),
    )
    assert heather.goals == (CarriedGoal("Publish 📚 the zine 🎉", 2, False, since=DEC8),)


def test_plain_paragraphs_under_goals_count_and_chips_keep_their_text() -> None:
    (ruth,) = notes_of(
        section_rows(
            dt.date(2026, 12, 8),
            {
                "Ruth": {
                    "goals": [
                        ("NORMAL_TEXT", "Typed without a bullet"),
                        ("NORMAL_TEXT", "   "),
                        (
                            "NORMAL_TEXT",
                            [run("Meet "), person("h@example.edu", "Heather"), image()],
                            "numbered",
                        ),
                    ]
                }
            },
        ),
        ["Ruth"],
    )
    assert [g.text for g in ruth.goals] == ["Typed without a bullet", "Meet Heather"]


def test_text_under_the_wrong_heading_is_not_a_goal() -> None:
    rows = section_rows(
        dt.date(2026, 12, 8),
        {
            "Ruth": {
                "achievements": [check("Last month's goal as a prompt"), check("Got the grant!")],
                "goals": [check("Real goal")],
                "conferences": [("NORMAL_TEXT", "ALA Midwinter, 2027-01-24", "bullet")],
            }
        },
    )
    rows += [("HEADING_3", "Notes"), ("NORMAL_TEXT", "Chatted about cats", "checklist")]
    rows += [("HEADING_2", "Shared notes"), ("NORMAL_TEXT", "Next time: Zoom", "checklist")]
    (ruth,) = notes_of(rows, ["Ruth"])
    assert [g.text for g in ruth.goals] == ["Real goal"]


def test_renamed_and_emoji_headings_and_loose_participant_names() -> None:
    rows = [
        ("HEADING_1", "Check-in 2026-12-08"),
        ("HEADING_2", "Ruth Smith"),
        ("HEADING_3", "🎯 Goals for next month"),
        check("Ruth's goal"),
        ("HEADING_4", "Research"),  # a sub-heading inside Goals is still Goals
        check("Ruth's research goal"),
        ("HEADING_2", "Notes from Heather"),
        ("HEADING_3", "Progress on last month's goals"),  # achievements, not goals
        check("an old goal"),
        ("HEADING_3", "goals"),
        check("Heather's goal"),
    ]
    ruth, heather = notes_of(rows)
    assert [g.text for g in ruth.goals] == ["Ruth's goal", "Ruth's research goal"]
    assert [g.text for g in heather.goals] == ["Heather's goal"]


def test_flat_layout_keeps_topic_headings_with_their_participant() -> None:
    rows = [
        ("HEADING_1", "December 8, 2026"),
        ("HEADING_2", "Ruth"),
        ("HEADING_2", "Goals"),
        check("flat goal"),
        ("HEADING_2", "Heather"),
        ("HEADING_2", "Conferences"),
        ("NORMAL_TEXT", "LITA Forum"),
    ]
    ruth, heather = notes_of(rows)
    assert [g.text for g in ruth.goals] == ["flat goal"]
    assert heather.goals == ()
    assert heather.conferences == (CarriedConference("LITA Forum"),)


def test_participant_missing_from_the_section_gets_an_empty_carry() -> None:
    rows = section_rows(dt.date(2026, 12, 8), {"Ruth": {"goals": [check("mine")]}})
    ruth, heather, sam = notes_of(rows, ["Ruth", "Heather", "Sam"])
    assert ruth.goals == (CarriedGoal("mine", since=DEC8),)
    assert heather == ParticipantCarry("Heather")
    assert sam == ParticipantCarry("Sam")


# --- conferences --------------------------------------------------------------------------


def test_past_conferences_dropped_upcoming_and_undated_kept() -> None:
    (ruth,) = notes_of(
        section_rows(
            dt.date(2026, 12, 8),
            {
                "Ruth": {
                    "conferences": [
                        ("NORMAL_TEXT", "Charleston Conference, 2026-11-02", "bullet"),
                        ("NORMAL_TEXT", "ALA Midwinter, 2027-01-24", "bullet"),
                        ("NORMAL_TEXT", "ACRL, Jan 3-6, 2027", "bullet"),  # still on
                        ("NORMAL_TEXT", "Code4Lib December 2026", "bullet"),  # month over
                        ("NORMAL_TEXT", "LOEX January 2027", "bullet"),
                        ("NORMAL_TEXT", "IFLA WLIC", "bullet"),
                        ("NORMAL_TEXT", "details: Denver, 2027-04-01", "bullet", 1),
                        (
                            "NORMAL_TEXT",
                            [run("Computers in Libraries "), date_chip("Mar 3, 2027")],
                            "bullet",
                        ),
                        ("NORMAL_TEXT", "", "bullet"),
                    ]
                }
            },
        ),
        ["Ruth"],
    )
    assert ruth.conferences == (
        CarriedConference("ALA Midwinter, 2027-01-24", dt.date(2027, 1, 24)),
        CarriedConference("ACRL, Jan 3-6, 2027", dt.date(2027, 1, 3)),
        CarriedConference("LOEX January 2027", dt.date(2027, 1, 31)),
        # The date in a nested detail counts for its entry; the detail is not an entry.
        CarriedConference("IFLA WLIC", dt.date(2027, 4, 1)),
        CarriedConference("Computers in Libraries Mar 3, 2027", dt.date(2027, 3, 3)),
    )


def test_loose_conference_heading() -> None:
    rows = [
        ("HEADING_1", "Check-in 2026-12-08"),
        ("HEADING_2", "Ruth"),
        ("HEADING_3", "Upcoming conferences & events"),
        ("NORMAL_TEXT", "ALA Annual, 24 June 2027", "bullet"),
    ]
    (ruth,) = notes_of(rows, ["Ruth"])
    assert ruth.conferences == (
        CarriedConference("ALA Annual, 24 June 2027", dt.date(2027, 6, 24)),
    )


# --- carry_forward ------------------------------------------------------------------------


def test_carry_forward_new_doc() -> None:
    tab = select_tab(DocBuilder().build(tabs=True))
    meeting, carries = carry_forward(tab, SERIES, NAMES, NEXT_MEETING, TODAY)
    assert meeting is None
    assert carries == [ParticipantCarry("Ruth"), ParticipantCarry("Heather")]


def test_carry_forward_takes_latest_before_meeting_with_newest_at_top() -> None:
    days = [NEXT_MEETING, dt.date(2026, 12, 8), dt.date(2026, 11, 10)]
    sections = [
        section_rows(day, {"Ruth": {"goals": [check(f"goal from {day.isoformat()}")]}})
        for day in days
    ]
    tab = select_tab(marked_doc(sections, days))
    # The section for the meeting itself (written already) is not its own "previous".
    meeting, (ruth, heather) = carry_forward(tab, SERIES, NAMES, NEXT_MEETING, TODAY)
    assert meeting == dt.date(2026, 12, 8)
    # Set in the December section itself: carried through no section yet.
    assert ruth.goals == (CarriedGoal("goal from 2026-12-08", since=DEC8, carried=0),)
    assert heather == ParticipantCarry("Heather")


def test_carry_forward_from_hand_typed_history() -> None:
    builder = DocBuilder()
    builder.rows(section_rows(dt.date(2026, 11, 10), {"Ruth": {"goals": [check("old")]}}))
    builder.rows(section_rows(dt.date(2026, 12, 8), {"Ruth": {"goals": [check("newer")]}}))
    tab = select_tab(builder.build())
    meeting, (ruth, _) = carry_forward(tab, SERIES, NAMES, NEXT_MEETING, TODAY)
    assert meeting == dt.date(2026, 12, 8)
    assert [g.text for g in ruth.goals] == ["newer"]


def test_to_json_shape() -> None:
    carries = [
        ParticipantCarry(
            "Ruth",
            (
                CarriedGoal("Submit 📄", 1, True, since=dt.date(2026, 11, 10), carried=1),
                CarriedGoal("Draft", since=DEC8),
            ),
            (CarriedConference("ALA", dt.date(2027, 1, 24)), CarriedConference("IFLA")),
            achievements=("Got the grant",),
            invitations=(CarriedInvitation("Panel, monthly 1h for 6 months"),),
        )
    ]
    data = to_json(dt.date(2026, 12, 8), carries)
    assert json.loads(json.dumps(data)) == {
        "meeting": "2026-12-08",
        "participants": [
            {
                "name": "Ruth",
                "goals": [
                    {
                        "text": "Submit 📄",
                        "level": 1,
                        "done": True,
                        "since": "2026-11-10",
                        "carried": 1,
                    },
                    {
                        "text": "Draft",
                        "level": 0,
                        "done": False,
                        "since": "2026-12-08",
                        "carried": 0,
                    },
                ],
                "achievements": [
                    {"text": "Submit 📄", "from": "goals"},
                    {"text": "Got the grant", "from": "achievements"},
                ],
                "conferences": [
                    {"text": "ALA", "date": "2027-01-24"},
                    {"text": "IFLA", "date": None},
                ],
            }
        ],
    }
    assert to_json(None, [])["meeting"] is None
    # With the "invitations" topic on, the invitations come with what a yes costs.
    (person,) = to_json(DEC8, carries, ["invitations"])["participants"]
    assert person["invitations"] == [
        {
            "text": "Panel, monthly 1h for 6 months",
            "decision": None,
            "cost": {"meetings": 6, "hours_per_meeting": 1.0, "prep_hours": 1.0, "hours": 12.0},
        }
    ]


# --- small rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Goals", Topic.GOALS),
        ("🎯 Goals for next month", Topic.GOALS),
        ("Achievements", Topic.ACHIEVEMENTS),
        ("Progress on last month's goals", Topic.ACHIEVEMENTS),
        ("Upcoming Conferences", Topic.CONFERENCES),
        ("Upcoming conferences & events", Topic.CONFERENCES),
        ("Invitations to weigh", Topic.INVITATIONS),
        ("Weigh-in", None),
        ("Notes", None),
        ("Ruth", None),
    ],
)
def test_heading_topic(text: str, topic: Topic | None) -> None:
    assert heading_topic(text) is topic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ruth", 0),
        ("RUTH SMITH", 0),
        ("Notes from Ruth", 0),
        ("Ruth\u2019s goals", 0),
        ("Heather", 1),
        ("Ruthless", None),
        ("Goals", None),
    ],
)
def test_heading_participant(text: str, expected: int | None) -> None:
    assert heading_participant(text, ["Ruth", "Heather"]) == expected


def test_heading_participant_shared_given_names_need_the_full_name() -> None:
    names = ["Ruth Smith", "Ruth Jones"]
    assert heading_participant("Ruth", names) is None
    assert heading_participant("Ruth Jones", names) == 1
    assert heading_participant("Ruth Smith", ["Ruth", "Ruth Smith"]) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("☑ filed", ("filed", True)),
        ("✓ filed", ("filed", True)),
        ("[X] filed", ("filed", True)),
        ("DONE - filed", ("filed", True)),
        ("filed — done", ("filed", True)),
        ("filed\u000bsecond line", ("filed second line", False)),
        ("get it done", ("get it done", False)),
        ("✗ not filed", ("✗ not filed", False)),
    ],
)
def test_read_done(text: str, expected: tuple[str, bool]) -> None:
    assert read_done(text) == expected


# --- never crash --------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=12
) | st.sampled_from(
    ["Goals", "Ruth", "Heather", "Achievements", "Conferences", "2026-12-08", "✅ done", "Jan 2027"]
)
_ELEMENT = st.one_of(
    st.builds(
        run,
        _TEXT,
        bold=st.booleans(),
        strike=st.booleans(),
        link=st.none() | st.just("https://x.org"),
        suggested_insert=st.booleans(),
        suggested_delete=st.booleans(),
    ),
    st.builds(person, st.emails(), st.none() | _TEXT),
    st.builds(date_chip, st.none() | _TEXT),
    st.builds(rich_link, st.just("https://drive.google.com/x"), _TEXT),
    st.just(image()),
    st.sampled_from(
        [
            {"horizontalRule": {}},
            {"pageBreak": {}},
            {"columnBreak": {}},
            {"equation": {}},
            {"autoText": {"type": "PAGE_NUMBER"}},
            {"footnoteReference": {"footnoteId": "f1", "footnoteNumber": "1"}},
            {"somethingNew": {}},
        ]
    ),
)
_STYLE = st.sampled_from(
    ["NORMAL_TEXT", "TITLE", "SUBTITLE", *(f"HEADING_{n}" for n in range(1, 7))]
)
_ROW = st.tuples(
    _STYLE,
    st.lists(_ELEMENT, max_size=4),
    st.none() | st.sampled_from(sorted(LIST_IDS)),
    st.integers(0, 8),
)
_DAY = st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31))


@st.composite
def _docs(draw: st.DrawFn) -> dict[str, Any]:
    builder = DocBuilder()
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 9)) == 0:
            builder.table([[draw(_TEXT), draw(_TEXT)]])
            continue
        start = builder.index
        for row in draw(st.lists(_ROW, max_size=6)):
            builder.add(*row, heading_id=draw(st.booleans()))
        if draw(st.booleans()):
            series = draw(st.sampled_from([SERIES, "other"]))
            end = draw(st.integers(start, builder.index + 3))
            builder.mark(marker_name(series, draw(_DAY)), start, end)
    if draw(st.booleans()):
        builder.mark("gworkflow:bad:2026-02-30", 1, builder.index)
    doc = builder.build(tabs=draw(st.booleans()))
    if draw(st.booleans()):
        # A list whose levels say nothing, or no lists at all.
        fields = doc["tabs"][0]["documentTab"] if "tabs" in doc else doc
        fields["lists"] = draw(st.sampled_from([{}, {LIST_IDS["bullet"]: {}}]))
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_docs(), meeting=_DAY, today=_DAY)
def test_never_raises_on_generated_docs(
    doc: dict[str, Any], meeting: dt.date, today: dt.date
) -> None:
    tab = select_tab(doc)
    paras = paragraphs(tab)
    sections = find_sections(tab, SERIES)
    for section in sections:
        assert section.start <= section.end
        assert all(p in paras for p in section.paragraphs)
    found, carries = carry_forward(tab, SERIES, NAMES, meeting, today)
    assert found is None or found < meeting
    assert [c.name for c in carries] == NAMES
    json.dumps(to_json(found, carries, ["invitations"]))
    # Whatever was typed, the next section renders, and every open goal comes back as it
    # was typed (the template's Markdown never eats a character of it).
    series = _series()
    start = dt.datetime.combine(meeting, dt.time(14), series.timezone)
    blocks = render_section(
        series, build_context(series, Meeting(start, start), carries, found, start)
    )
    texts = [b.text for b in blocks]
    for carry in carries:
        for goal in carry.goals:
            if not goal.done:
                label = f" (since {since_label(goal.since, meeting)})" if goal.since else ""
                assert goal.text + label in texts
