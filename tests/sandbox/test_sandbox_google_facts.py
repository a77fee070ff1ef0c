"""The sandbox's copies of facts about Google, each checked against fixed values written out
from its source (tests/support/google_facts.py), never against the product's copy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from support import witness
from support.google_facts import (
    RECURRENCES,
    STRIP_INPUT,
    STRIP_OUTPUT,
    TEXT_STYLE_FIELDS,
    Recurrence,
    discovery,
)

from gworkflow.sandbox.calendar import CalendarStore
from gworkflow.sandbox.docs import DocsStore
from gworkflow.sandbox.docs_requests import TEXT_STYLE_FIELDS as SANDBOX_TEXT_STYLE_FIELDS


def _doc_with(text_request: dict[str, Any]) -> dict[str, Any]:
    store = DocsStore()
    doc_id = store.create({"title": "Facts"})["documentId"]
    store.batch_update(doc_id, {"requests": [text_request]})
    return store.get(doc_id, include_tabs_content=True)


def test_insert_text_strips_exactly_the_documented_characters() -> None:
    doc = _doc_with({"insertText": {"location": {"index": 1}, "text": STRIP_INPUT}})
    assert witness.all_text(doc) == STRIP_OUTPUT + "\n"


def test_the_text_style_fields_are_the_discovery_documents() -> None:
    properties = discovery("docs.v1")["schemas"]["TextStyle"]["properties"]
    assert sorted(properties) == list(TEXT_STYLE_FIELDS)
    assert sorted(SANDBOX_TEXT_STYLE_FIELDS) == list(TEXT_STYLE_FIELDS)


def test_a_star_mask_resets_every_text_style_field() -> None:
    store = DocsStore()
    doc_id = store.create({"title": "Facts"})["documentId"]
    styled = {
        "bold": True,
        "italic": True,
        "underline": True,
        "strikethrough": True,
        "smallCaps": True,
        "baselineOffset": "SUPERSCRIPT",
        "fontSize": {"magnitude": 14, "unit": "PT"},
        "link": {"url": "https://example.org"},
        "weightedFontFamily": {"fontFamily": "Lora", "weight": 400},
        "foregroundColor": {"color": {"rgbColor": {"red": 1}}},
        "backgroundColor": {"color": {"rgbColor": {"blue": 1}}},
    }
    assert sorted(styled) == list(TEXT_STYLE_FIELDS)  # one of each, so none is left out
    whole = {"startIndex": 1, "endIndex": 5}
    store.batch_update(
        doc_id,
        {
            "requests": [
                {"insertText": {"location": {"index": 1}, "text": "Goal"}},
                {"updateTextStyle": {"range": whole, "textStyle": styled, "fields": "*"}},
            ]
        },
    )
    goal = witness.paragraphs(store.get(doc_id, True))[0].runs[0]
    assert goal[0] == "Goal" and sorted(goal[1]) == list(TEXT_STYLE_FIELDS)
    store.batch_update(
        doc_id,
        {"requests": [{"updateTextStyle": {"range": whole, "textStyle": {}, "fields": "*"}}]},
    )
    assert witness.paragraphs(store.get(doc_id, True))[0].runs == (("Goal\n", {}),)


@pytest.mark.parametrize("case", RECURRENCES, ids=lambda case: case.why)
def test_instances_fall_on_the_rfc_5545_instants_across_dst(case: Recurrence) -> None:
    store = CalendarStore(clock=lambda: dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    first = dt.datetime.fromisoformat(case.first)
    end = (first + dt.timedelta(hours=1)).isoformat()
    event = store.insert(
        "primary",
        {
            "summary": case.why,
            "start": {"dateTime": case.first, "timeZone": case.zone},
            "end": {"dateTime": end, "timeZone": case.zone},
            "recurrence": [f"{case.rrule};COUNT={len(case.instants)}"],
        },
        {},
    )
    items = store.instances("primary", event["id"], {})["items"]
    utc = [
        dt.datetime.fromisoformat(item["start"]["dateTime"])
        .astimezone(dt.UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        for item in items
    ]
    assert utc == list(case.instants)
    # The instance id carries the UTC start too (calendar.v3 instance ids).
    suffixes = [item["id"].rsplit("_", 1)[1] for item in items]
    assert suffixes == [i.replace("-", "").replace(":", "") for i in case.instants]
