"""The product's copies of facts about Google, each checked against fixed values written out
from its source (tests/support/google_facts.py), never against the sandbox's copy."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from support.google_facts import (
    RECURRENCES,
    STRIP_INPUT,
    STRIP_OUTPUT,
    TEXT_STYLE_FIELDS,
    Recurrence,
    discovery,
)

from gworkflow.agenda.requests import TEXT_STYLE_FIELDS as PRODUCT_TEXT_STYLE_FIELDS
from gworkflow.agenda.requests import clean_text
from gworkflow.schedule import parse_schedule


def test_text_is_cleaned_of_exactly_what_insert_text_strips() -> None:
    # Our index arithmetic counts what Google will store; a character Google strips and we
    # kept would shift every index after it.
    assert clean_text(STRIP_INPUT) == STRIP_OUTPUT


def test_the_literal_text_style_fields_are_the_discovery_documents() -> None:
    properties = discovery("docs.v1")["schemas"]["TextStyle"]["properties"]
    assert sorted(properties) == list(TEXT_STYLE_FIELDS)


def test_the_reset_mask_names_every_text_style_field() -> None:
    # A field left out would let a new section inherit that style from the text before it.
    assert sorted(PRODUCT_TEXT_STYLE_FIELDS.split(",")) == list(TEXT_STYLE_FIELDS)


@pytest.mark.parametrize("case", RECURRENCES, ids=lambda case: case.why)
def test_meetings_fall_on_the_rfc_5545_instants_across_dst(case: Recurrence) -> None:
    schedule = parse_schedule(case.schedule)
    assert schedule.rrule() == case.rrule
    first = dt.datetime.fromisoformat(case.first)
    starts = schedule.occurrences(
        ZoneInfo(case.zone), first - dt.timedelta(minutes=1), len(case.instants)
    )
    utc = [start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for start in starts]
    assert utc == list(case.instants)
