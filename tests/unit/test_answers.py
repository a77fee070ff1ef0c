"""The shapes of Google's answers: every real captured answer passes; JSON of the wrong
shape (what a proxy or a broken server sends with a 200) is named in a few words, never
read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from support.captures import FIXTURE_FILES

from gworkflow.google import answers


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_every_captured_google_document_passes(path: Any) -> None:
    assert answers.document(json.loads(path.read_text(encoding="utf-8"))) is None


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (None, "the document is null, not an object"),
        ([], "the document is a list, not an object"),
        ({}, "the document has neither body nor tabs"),
        ({"body": "x"}, "body is a string, not an object"),
        ({"tabs": "x"}, "tabs is a string, not a list"),
        ({"tabs": ["x"]}, "tabs[0] is a string, not an object"),
        ({"body": {"content": {}}}, "body.content is an object, not a list"),
        (
            {"body": {"content": [{"paragraph": {"elements": [{"textRun": {"content": 3}}]}}]}},
            "body.content[0].paragraph.elements[0].textRun.content is a number, not a string",
        ),
        (
            {"tabs": [{"documentTab": {"body": {"content": [{"endIndex": "9"}]}}}]},
            "tabs[0].documentTab.body.content[0].endIndex is a string, not a number",
        ),
        (
            {"body": {}, "namedRanges": {"gworkflow:x": {"namedRanges": [{"ranges": [1]}]}}},
            "namedRanges['gworkflow:x'].namedRanges[0].ranges[0] is a number, not an object",
        ),
        ({"body": {}, "revisionId": 7}, "revisionId is a number, not a string"),
    ],
)
def test_a_document_of_the_wrong_shape_is_named(answer: Any, problem: str) -> None:
    assert answers.document(answer) == problem


def test_calendar_answers() -> None:
    event = {"id": "abc", "start": {"dateTime": "2026-12-08T14:00:00-06:00"}, "status": "confirmed"}
    assert answers.event(event) is None
    assert answers.event({}) == "the event has no id"
    assert answers.event({"id": "abc"}) == "the event has no start"
    assert answers.event({"id": "abc", "status": "cancelled"}) is None  # stripped by Google
    assert answers.events({"kind": "calendar#events", "items": [event]}) is None
    assert answers.events({"kind": "calendar#events"}) is None  # an empty page
    assert answers.events({}) == "the answer has no items (the events)"
    assert answers.events({"items": [{"id": "x", "start": "2026"}]}) == (
        "items[0].start is a string, not an object"
    )


def test_drive_and_docs_write_answers() -> None:
    assert answers.drive_file({"trashed": True}) is None
    assert answers.drive_file({"trashed": "no"}) == "trashed is a string, not true/false"
    assert (
        answers.permissions({"permissions": [{"emailAddress": "a@b.c", "role": "writer"}]}) is None
    )
    assert answers.permissions({}) == "the answer has no permissions"
    assert answers.batch_update_reply({"documentId": "d", "replies": []}) is None
    assert answers.batch_update_reply({}) == "the answer has neither documentId nor replies"
    assert answers.new_document({"documentId": "d"}) is None
    assert answers.new_document({"title": "x"}) == "the answer has no documentId"
