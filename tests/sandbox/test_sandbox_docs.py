"""The sandbox's Google Docs engine against the captured documents and Google's rules."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import googleapiclient
import pytest
from support.captures import FIXTURE_FILES, FIXTURES

from gworkflow.sandbox.docs import DocsStore, check_index_consistency
from gworkflow.sandbox.errors import ApiError

JSON = dict[str, Any]


def load(name: str) -> JSON:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def roundtrip(value: Any) -> Any:
    return json.loads(json.dumps(value))


def body_of(doc: JSON, tab: int = 0) -> list[JSON]:
    if "tabs" in doc:
        return doc["tabs"][tab]["documentTab"]["body"]["content"]  # type: ignore[no-any-return]
    return doc["body"]["content"]  # type: ignore[no-any-return]


def paragraph_text(item: JSON) -> str:
    return "".join(
        e["textRun"]["content"] if "textRun" in e else "\ufffc"
        for e in item["paragraph"]["elements"]
    )


def texts(doc: JSON) -> list[str]:
    return [paragraph_text(item) for item in body_of(doc) if "paragraph" in item]


def paragraph_at(doc: JSON, index: int) -> JSON:
    for item in body_of(doc):
        if "paragraph" in item and item.get("startIndex", 0) <= index < item["endIndex"]:
            return item
    raise AssertionError(f"no paragraph at {index}")


def update(store: DocsStore, doc_id: str, *requests: JSON, **body: Any) -> JSON:
    result = store.batch_update(doc_id, {"requests": list(requests), **body})
    for tabs in (True, False):
        check_index_consistency(store.get(doc_id, include_tabs_content=tabs))
    return result


def insert(index: int, text: str, **location: Any) -> JSON:
    return {"insertText": {"location": {"index": index, **location}, "text": text}}


def append(text: str) -> JSON:
    return {"insertText": {"endOfSegmentLocation": {}, "text": text}}


def rejects(store: DocsStore, doc_id: str, *requests: JSON, **body: Any) -> ApiError:
    before = store.get(doc_id, include_tabs_content=True)
    with pytest.raises(ApiError) as caught:
        store.batch_update(doc_id, {"requests": list(requests), **body})
    assert store.get(doc_id, include_tabs_content=True) == before, "a failed batch changed the doc"
    return caught.value


@pytest.fixture
def store() -> DocsStore:
    return DocsStore(seed=7)


def seeded(store: DocsStore, name: str) -> str:
    return store.seed(load(name))


def blank(store: DocsStore, text: str = "") -> str:
    doc_id = str(store.create({"title": "Check-ins"})["documentId"])
    if text:
        update(store, doc_id, insert(1, text))
    return doc_id


# --- seeding and the two forms -------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_reads_back_identical_in_its_own_form(path: Path) -> None:
    original = json.loads(path.read_text(encoding="utf-8"))
    store = DocsStore()
    doc_id = store.seed(original)
    assert doc_id == original["documentId"]
    got = store.get(doc_id, include_tabs_content="tabs" in original)
    assert roundtrip(got) == original


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_indexes_are_consistent_in_both_forms(path: Path) -> None:
    original = json.loads(path.read_text(encoding="utf-8"))
    check_index_consistency(original)
    store = DocsStore()
    doc_id = store.seed(original)
    for tabs in (True, False):
        check_index_consistency(store.get(doc_id, include_tabs_content=tabs))


def test_legacy_doc_read_with_tabs_has_one_tab_t0(store: DocsStore) -> None:
    original = load("legacy-lists.json")
    got = store.get(store.seed(original), include_tabs_content=True)
    assert "body" not in got and "lists" not in got
    assert len(got["tabs"]) == 1
    tab = got["tabs"][0]
    assert tab["tabProperties"] == {"tabId": "t.0", "title": "Lists"}  # index 0 omitted
    assert tab["documentTab"]["body"] == original["body"]
    assert tab["documentTab"]["lists"] == original["lists"]
    assert got["revisionId"] == original["revisionId"]


def test_tabs_doc_read_without_tabs_shows_first_tab(store: DocsStore) -> None:
    original = load("tabs-three-tabs.json")
    got = store.get(store.seed(original), include_tabs_content=False)
    assert "tabs" not in got
    assert got["body"] == original["tabs"][0]["documentTab"]["body"]
    assert got["title"] == original["title"]


def test_seed_mints_an_id_when_taken(store: DocsStore) -> None:
    first = seeded(store, "legacy-lists.json")
    second = seeded(store, "legacy-tables.json")  # the capture reuses the same documentId
    assert first != second
    assert store.get(second, include_tabs_content=False)["title"] == "Tables"


def test_checker_catches_a_run_whose_length_is_wrong() -> None:
    doc = load("tabs-headings-bullets.json")
    body_of(doc)[1]["paragraph"]["elements"][0]["textRun"]["content"] = "Intro\n"
    with pytest.raises(AssertionError):
        check_index_consistency(doc)


def test_created_doc_is_a_section_break_and_one_empty_paragraph(store: DocsStore) -> None:
    doc = store.create({"title": "Check-ins"})
    assert doc["title"] == "Check-ins"
    assert "tabs" not in doc
    content = doc["body"]["content"]
    assert content[0]["endIndex"] == 1 and "startIndex" not in content[0]
    assert [paragraph_text(i) for i in content[1:]] == ["\n"]
    assert content[1]["startIndex"] == 1 and content[1]["endIndex"] == 2
    check_index_consistency(doc)


# --- insertText ------------------------------------------------------------------------


def test_insert_into_a_real_paragraph_shifts_everything_after(store: DocsStore) -> None:
    doc_id = seeded(store, "tabs-headings-bullets.json")
    update(store, doc_id, insert(24, "very "))  # "This is a |plain paragraph"
    doc = store.get(doc_id, include_tabs_content=True)
    item = paragraph_at(doc, 14)
    assert paragraph_text(item) == "This is a very plain paragraph with no formatting.\n"
    assert item["endIndex"] == 65
    assert paragraph_at(doc, 65)["startIndex"] == 65
    assert paragraph_text(paragraph_at(doc, 65)) == "Second plain paragraph.\n"


def test_inserted_text_takes_the_style_of_the_text_before_it(store: DocsStore) -> None:
    doc_id = seeded(store, "tabs-headings-bullets.json")
    update(store, doc_id, insert(121, "!"))  # right after "bold text"
    runs = paragraph_at(store.get(doc_id, True), 103)["paragraph"]["elements"]
    assert runs[1]["textRun"] == {"content": "bold text!", "textStyle": {"bold": True}}
    assert runs[2]["textRun"]["content"] == " and "


def test_newline_split_copies_style_and_bullet(store: DocsStore) -> None:
    doc_id = seeded(store, "legacy-lists.json")
    update(store, doc_id, insert(13, "\nSecond"))  # end of "List item 1"
    doc = store.get(doc_id, include_tabs_content=False)
    first, second = paragraph_at(doc, 2), paragraph_at(doc, 14)
    assert paragraph_text(first) == "List item 1\n"
    assert paragraph_text(second) == "Second\n"
    assert (second["startIndex"], second["endIndex"]) == (14, 21)
    assert second["paragraph"]["bullet"]["listId"] == first["paragraph"]["bullet"]["listId"]
    assert "nestingLevel" not in second["paragraph"]["bullet"]
    assert second["paragraph"]["paragraphStyle"] == first["paragraph"]["paragraphStyle"]
    assert paragraph_text(paragraph_at(doc, 21)) == "Sublist item 1\n"


def test_end_of_segment_appends_before_the_final_newline(store: DocsStore) -> None:
    doc_id = blank(store, "Intro\n")
    update(store, doc_id, append("Agenda\nItem"))
    assert texts(store.get(doc_id, False)) == ["Intro\n", "Agenda\n", "Item\n"]


def test_control_characters_are_stripped(store: DocsStore) -> None:
    doc_id = blank(store)
    update(store, doc_id, insert(1, "a\x00b\rc\ue000d\te"))
    assert texts(store.get(doc_id, False)) == ["abcd\te\n"]


def test_index_zero_is_rejected(store: DocsStore) -> None:
    doc_id = blank(store, "Hello\n")
    error = rejects(store, doc_id, insert(0, "x"))
    assert error.code == 400
    assert error.message.startswith(
        "Invalid requests[0].insertText: The insertion index must be inside the bounds of an "
        "existing paragraph."
    )


def test_index_past_the_end_is_rejected(store: DocsStore) -> None:
    doc_id = blank(store, "Hello\n")  # end index 8
    error = rejects(store, doc_id, insert(8, "x"))
    assert error.message == (
        "Invalid requests[0].insertText: Index 8 must be less than the end index of the "
        "referenced segment, 8."
    )


def test_table_start_is_not_inside_a_paragraph_but_a_cell_is(store: DocsStore) -> None:
    doc_id = seeded(store, "legacy-tables.json")
    assert rejects(store, doc_id, insert(2, "x")).code == 400  # the table's start index
    assert rejects(store, doc_id, insert(4, "x")).code == 400  # a cell's start index
    update(store, doc_id, insert(5, "My "))  # "Col 1" in the first cell
    table = store.get(doc_id, False)["body"]["content"][2]
    assert (table["startIndex"], table["endIndex"]) == (2, 115)
    first_cell, second_cell = table["table"]["tableRows"][0]["tableCells"][:2]
    assert paragraph_text(first_cell["content"][0]) == "My Col 1\n"
    assert (first_cell["endIndex"], second_cell["startIndex"]) == (14, 14)


# --- surrogate pairs -------------------------------------------------------------------


def test_an_emoji_is_two_units_and_cannot_be_split(store: DocsStore) -> None:
    doc_id = blank(store, "a\U0001f600b\n")
    item = paragraph_at(store.get(doc_id, False), 1)
    assert item["endIndex"] == 6  # a, two halves, b, newline
    # Deleting one half is a 400 (docs.v1.json DeleteContentRangeRequest.range: "Deleting
    # one code unit of a surrogate pair"); an insertion between the halves lands after the
    # pair instead (docs/google-api-notes.md, "Surrogate pairs and grapheme clusters").
    assert rejects(
        store, doc_id, {"deleteContentRange": {"range": {"startIndex": 2, "endIndex": 3}}}
    )
    update(store, doc_id, {"deleteContentRange": {"range": {"startIndex": 2, "endIndex": 4}}})
    assert texts(store.get(doc_id, False)) == ["ab\n", "\n"]


# --- deleteContentRange ------------------------------------------------------------------


def delete(start: int, end: int) -> JSON:
    return {"deleteContentRange": {"range": {"startIndex": start, "endIndex": end}}}


def test_deleting_the_final_newline_is_rejected(store: DocsStore) -> None:
    doc_id = blank(store, "Hello\n")  # "Hello\n" [1,7), final "\n" [7,8)
    error = rejects(store, doc_id, delete(1, 8))
    assert error.message == (
        "Invalid requests[0].deleteContentRange: The range cannot include the newline "
        "character at the end of the segment."
    )


def test_deleting_across_paragraphs_merges_them(store: DocsStore) -> None:
    doc_id = seeded(store, "tabs-headings-bullets.json")
    update(store, doc_id, delete(6, 24))  # "Intro|duction\nThis is a |plain"
    doc = store.get(doc_id, True)
    merged = paragraph_at(doc, 1)
    assert paragraph_text(merged) == "Introplain paragraph with no formatting.\n"
    assert merged["paragraph"]["paragraphStyle"]["namedStyleType"] == "HEADING_1"
    assert merged["endIndex"] == 42
    assert paragraph_text(paragraph_at(doc, 42)) == "Second plain paragraph.\n"


def test_deleting_whole_paragraphs_keeps_the_next_ones_style(store: DocsStore) -> None:
    doc_id = seeded(store, "tabs-headings-bullets.json")
    update(store, doc_id, delete(14, 84))  # both plain paragraphs
    doc = store.get(doc_id, True)
    nxt = paragraph_at(doc, 14)
    assert paragraph_text(nxt) == "Formatting Section\n"
    assert nxt["paragraph"]["paragraphStyle"]["namedStyleType"] == "HEADING_2"


def test_a_table_is_deleted_whole_or_not_at_all(store: DocsStore) -> None:
    doc_id = seeded(store, "legacy-tables.json")
    assert rejects(store, doc_id, delete(1, 20)).code == 400  # into the first row
    assert rejects(store, doc_id, delete(5, 13)).code == 400  # across two cells
    assert rejects(store, doc_id, delete(1, 2)).code == 400  # the newline before the table
    update(store, doc_id, delete(5, 9))  # "Col " inside a cell is fine
    update(store, doc_id, delete(2, 108))  # the whole table (now 4 shorter)
    content = store.get(doc_id, False)["body"]["content"]
    assert "table" not in content[2]


# --- batches ---------------------------------------------------------------------------


def test_a_batch_with_one_bad_request_changes_nothing(store: DocsStore) -> None:
    doc_id = blank(store, "Hello\n")
    revision = store.get(doc_id, False)["revisionId"]
    error = rejects(store, doc_id, insert(1, "fine "), insert(0, "bad"))
    assert error.message.startswith("Invalid requests[1].insertText:")
    assert store.get(doc_id, False)["revisionId"] == revision
    assert texts(store.get(doc_id, False)) == ["Hello\n", "\n"]


def test_revision_changes_on_each_write_and_stale_ones_are_refused(store: DocsStore) -> None:
    doc_id = blank(store)
    old = store.get(doc_id, False)["revisionId"]
    result = update(store, doc_id, insert(1, "x"), writeControl={"requiredRevisionId": old})
    new = result["writeControl"]["requiredRevisionId"]
    assert new != old and store.get(doc_id, True)["revisionId"] == new
    assert result["replies"] == [{}]
    error = rejects(store, doc_id, insert(1, "y"), writeControl={"requiredRevisionId": old})
    assert error.code == 400 and "revision" in error.message
    update(store, doc_id, insert(1, "z"), writeControl={"targetRevisionId": old})


def test_unknown_and_missing_documents_are_404(store: DocsStore) -> None:
    doc_id = blank(store)
    store.delete(doc_id)
    for call in (
        lambda: store.get(doc_id, True),
        lambda: store.batch_update(doc_id, {"requests": [insert(1, "x")]}),
        lambda: store.delete(doc_id),
    ):
        with pytest.raises(ApiError) as caught:
            call()
        assert (caught.value.code, caught.value.message) == (404, "Requested entity was not found.")
    assert store.summaries() == []


def test_state_survives_json(store: DocsStore) -> None:
    doc_id = blank(store, "Kept\n")
    seeded(store, "legacy-lists.json")
    state = roundtrip(store.to_state())
    again = DocsStore.from_state(state)
    assert again.get(doc_id, True) == store.get(doc_id, True)
    assert sorted(s["title"] for s in again.summaries()) == ["Check-ins", "Lists"]
    update(again, doc_id, append("more"))


# --- styles ----------------------------------------------------------------------------


def text_style(start: int, end: int, fields: str, **style: Any) -> JSON:
    return {
        "updateTextStyle": {
            "range": {"startIndex": start, "endIndex": end},
            "textStyle": style,
            "fields": fields,
        }
    }


def test_text_style_splits_runs_and_merges_them_back(store: DocsStore) -> None:
    doc_id = blank(store, "Hello world\n")
    update(store, doc_id, text_style(7, 12, "bold,link", bold=True, link={"url": "https://x.org"}))
    runs = paragraph_at(store.get(doc_id, False), 1)["paragraph"]["elements"]
    assert [r["textRun"]["content"] for r in runs] == ["Hello ", "world", "\n"]
    assert runs[1]["textRun"]["textStyle"] == {"bold": True, "link": {"url": "https://x.org"}}
    assert (runs[1]["startIndex"], runs[1]["endIndex"]) == (7, 12)
    update(store, doc_id, text_style(1, 13, "*"))
    runs = paragraph_at(store.get(doc_id, False), 1)["paragraph"]["elements"]
    assert [r["textRun"] for r in runs] == [{"content": "Hello world\n", "textStyle": {}}]


def test_style_requests_need_a_field_mask(store: DocsStore) -> None:
    doc_id = blank(store, "Hello\n")
    error = rejects(store, doc_id, text_style(1, 3, "", bold=True))
    assert "At least one field must be listed in 'fields'" in error.message


def paragraph_style(start: int, end: int, named: str) -> JSON:
    return {
        "updateParagraphStyle": {
            "range": {"startIndex": start, "endIndex": end},
            "paragraphStyle": {"namedStyleType": named},
            "fields": "namedStyleType",
        }
    }


def test_headings_get_a_heading_id_and_lose_it_again(store: DocsStore) -> None:
    doc_id = blank(store, "Meeting\nnotes\n")
    update(store, doc_id, paragraph_style(1, 3, "HEADING_2"))
    style = paragraph_at(store.get(doc_id, False), 1)["paragraph"]["paragraphStyle"]
    assert style["namedStyleType"] == "HEADING_2"
    assert style["headingId"].startswith("h.") and len(style["headingId"]) == 14
    assert style["direction"] == "LEFT_TO_RIGHT"  # fields outside the mask stay
    assert (
        paragraph_at(store.get(doc_id, False), 9)["paragraph"]["paragraphStyle"]["namedStyleType"]
        == "NORMAL_TEXT"
    )
    update(store, doc_id, paragraph_style(1, 3, "NORMAL_TEXT"))
    style = paragraph_at(store.get(doc_id, False), 1)["paragraph"]["paragraphStyle"]
    assert "headingId" not in style


# --- bullets ---------------------------------------------------------------------------


def bullets(start: int, end: int, preset: str = "BULLET_CHECKBOX") -> JSON:
    return {
        "createParagraphBullets": {
            "range": {"startIndex": start, "endIndex": end},
            "bulletPreset": preset,
        }
    }


def test_bullets_take_nesting_from_leading_tabs_and_remove_them(store: DocsStore) -> None:
    doc_id = blank(store)
    text = "Goals\n\tsubmit IRDL\n\t\tdraft\nback\n"
    result = update(
        store,
        doc_id,
        insert(1, text),
        bullets(1, 1 + len(text)),
        {"createNamedRange": {"name": "after", "range": {"startIndex": 25, "endIndex": 29}}},
    )
    assert result["replies"][:2] == [{}, {}]
    doc = store.get(doc_id, False)
    assert texts(doc) == ["Goals\n", "submit IRDL\n", "draft\n", "back\n", "\n"]
    items = [i for i in body_of(doc) if "paragraph" in i][:4]
    levels = [i["paragraph"]["bullet"].get("nestingLevel") for i in items]
    assert levels == [None, 1, 2, None]
    assert "bullet" not in [i for i in body_of(doc) if "paragraph" in i][4]["paragraph"]
    assert [(i["startIndex"], i["endIndex"]) for i in items] == [
        (1, 7),
        (7, 19),
        (19, 25),
        (25, 30),
    ]
    list_id = items[0]["paragraph"]["bullet"]["listId"]
    level = doc["lists"][list_id]["listProperties"]["nestingLevels"][0]
    assert level["glyphType"] == "GLYPH_TYPE_UNSPECIFIED" and "glyphSymbol" not in level
    # the named range was made after the tabs went: it is not moved by them
    ranges = doc["namedRanges"]["after"]["namedRanges"][0]["ranges"]
    assert (ranges[0]["startIndex"], ranges[0]["endIndex"]) == (25, 29)


def test_tab_removal_moves_named_ranges_made_before(store: DocsStore) -> None:
    doc_id = blank(store, "a\n\t\tb\n")
    result = update(
        store,
        doc_id,
        {"createNamedRange": {"name": "b", "range": {"startIndex": 5, "endIndex": 6}}},
        bullets(1, 7, "BULLET_DISC_CIRCLE_SQUARE"),
    )
    assert set(result["replies"][0]["createNamedRange"]) == {"namedRangeId"}
    doc = store.get(doc_id, False)
    assert texts(doc)[1] == "b\n"
    rng = doc["namedRanges"]["b"]["namedRanges"][0]["ranges"][0]
    assert (rng["startIndex"], rng["endIndex"]) == (3, 4)
    levels = doc["lists"][paragraph_at(doc, 1)["paragraph"]["bullet"]["listId"]]
    first = levels["listProperties"]["nestingLevels"][0]
    assert (first["glyphSymbol"], first["glyphFormat"]) == ("\u25cf", "%0")
    assert "glyphType" not in first


def discovery_presets() -> list[str]:
    path = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / "docs.v1.json"
    schema = json.loads(path.read_text(encoding="utf-8"))["schemas"]
    enum = schema["CreateParagraphBulletsRequest"]["properties"]["bulletPreset"]["enum"]
    return [p for p in enum if p != "BULLET_GLYPH_PRESET_UNSPECIFIED"]


@pytest.mark.parametrize("preset", discovery_presets())
def test_every_bullet_preset_of_the_discovery_doc_works(store: DocsStore, preset: str) -> None:
    doc_id = blank(store, "one\n\ttwo\n")
    update(store, doc_id, bullets(1, 9, preset))
    doc = store.get(doc_id, False)
    bullet = paragraph_at(doc, 5)["paragraph"]["bullet"]
    level = doc["lists"][bullet["listId"]]["listProperties"]["nestingLevels"][1]
    assert bullet["nestingLevel"] == 1
    unordered = preset.startswith("BULLET_") and preset != "BULLET_CHECKBOX"
    assert ("glyphSymbol" in level) == unordered
    assert ("glyphType" in level) != unordered


def test_delete_paragraph_bullets(store: DocsStore) -> None:
    doc_id = seeded(store, "legacy-lists.json")
    update(store, doc_id, {"deleteParagraphBullets": {"range": {"startIndex": 2, "endIndex": 29}}})
    doc = store.get(doc_id, False)
    assert "bullet" not in paragraph_at(doc, 2)["paragraph"]
    assert "bullet" not in paragraph_at(doc, 14)["paragraph"]
    assert "bullet" in paragraph_at(doc, 29)["paragraph"]


# --- named ranges ----------------------------------------------------------------------


def named(name: str, start: int, end: int) -> JSON:
    return {"createNamedRange": {"name": name, "range": {"startIndex": start, "endIndex": end}}}


def range_of(store: DocsStore, doc_id: str, name: str) -> tuple[int, int] | None:
    groups = store.get(doc_id, False).get("namedRanges", {})
    if name not in groups:
        return None
    rng = groups[name]["namedRanges"][0]["ranges"][0]
    return rng["startIndex"], rng["endIndex"]


def test_named_ranges_move_with_the_text(store: DocsStore) -> None:
    doc_id = blank(store, "Hello world\n")
    update(store, doc_id, named("m", 7, 12))  # "world"
    update(store, doc_id, insert(1, "Big "))
    assert range_of(store, doc_id, "m") == (11, 16)
    update(store, doc_id, insert(13, "XX"))  # inside: it grows
    assert range_of(store, doc_id, "m") == (11, 18)
    update(store, doc_id, insert(18, "!"))  # right after it: not included
    assert range_of(store, doc_id, "m") == (11, 18)
    update(store, doc_id, delete(9, 13))  # overlaps its start: it shrinks
    assert range_of(store, doc_id, "m") == (9, 14)
    update(store, doc_id, delete(8, 15))  # covers it: it goes
    assert range_of(store, doc_id, "m") is None
    assert "namedRanges" not in store.get(doc_id, True)["tabs"][0]["documentTab"]


def test_named_range_names_are_1_to_256_units(store: DocsStore) -> None:
    doc_id = blank(store, "Hello\n")
    assert rejects(store, doc_id, named("", 1, 3)).code == 400
    assert rejects(store, doc_id, named("\U0001f600" * 129, 1, 3)).code == 400  # 258 units
    update(store, doc_id, named("x" * 256, 1, 3))


def test_delete_named_range_by_id_and_by_name(store: DocsStore) -> None:
    doc_id = blank(store, "Hello\n")
    reply = update(store, doc_id, named("a", 1, 3), named("a", 2, 4), named("b", 1, 2))
    first_id = reply["replies"][0]["createNamedRange"]["namedRangeId"]
    update(store, doc_id, {"deleteNamedRange": {"namedRangeId": first_id}})
    groups = store.get(doc_id, False)["namedRanges"]
    assert [n["namedRangeId"] for n in groups["a"]["namedRanges"]] == [
        reply["replies"][1]["createNamedRange"]["namedRangeId"]
    ]
    update(store, doc_id, {"deleteNamedRange": {"name": "a"}})
    assert set(store.get(doc_id, False)["namedRanges"]) == {"b"}


# --- replaceAllText and inline elements ---------------------------------------------------


def test_replace_all_text_counts_and_keeps_indexes(store: DocsStore) -> None:
    doc_id = blank(store, "Goal: X\nAnother goal\n")
    reply = update(
        store,
        doc_id,
        {"replaceAllText": {"containsText": {"text": "goal"}, "replaceText": "Target"}},
        {
            "replaceAllText": {
                "containsText": {"text": "nope", "matchCase": True},
                "replaceText": "",
            }
        },
    )
    assert reply["replies"] == [
        {"replaceAllText": {"occurrencesChanged": 2}},
        {"replaceAllText": {}},
    ]
    assert texts(store.get(doc_id, False)) == ["Target: X\n", "Another Target\n", "\n"]


def test_person_date_and_rich_link_take_one_index_each(store: DocsStore) -> None:
    doc_id = blank(store, "Hi \n")
    update(
        store,
        doc_id,
        {"insertPerson": {"location": {"index": 4}, "personProperties": {"email": "a@b.org"}}},
        {
            "insertDate": {
                "location": {"index": 5},
                "dateElementProperties": {
                    "timestamp": "2025-05-13T18:00:00Z",
                    "timeZoneId": "America/New_York",
                },
            }
        },
        {
            "insertRichLink": {
                "endOfSegmentLocation": {},
                "richLinkProperties": {"uri": "https://docs.google.com/document/d/x"},
            }
        },
        insert(2, "!"),
    )
    doc = store.get(doc_id, False)
    elements = paragraph_at(doc, 1)["paragraph"]["elements"]
    kinds = [next(k for k in e if k not in ("startIndex", "endIndex")) for e in elements]
    assert kinds == ["textRun", "person", "dateElement", "textRun"]
    assert elements[0]["textRun"]["content"] == "H!i "
    last = paragraph_at(doc, 8)["paragraph"]["elements"]
    assert (last[0]["startIndex"], last[0]["endIndex"]) == (8, 9)
    assert last[0]["richLink"]["richLinkProperties"]["uri"].endswith("/d/x")
    assert [(e["startIndex"], e["endIndex"]) for e in elements[1:3]] == [(5, 6), (6, 7)]
    person = elements[1]["person"]
    assert person["personProperties"] == {"email": "a@b.org"}
    assert person["personId"].startswith("kix.")
    assert elements[2]["dateElement"]["dateElementProperties"]["displayText"] == "May 13, 2025"


def test_edits_around_existing_inline_elements_keep_them(store: DocsStore) -> None:
    doc = load("tabs-three-tabs.json")
    doc_id = store.seed(copy.deepcopy(doc))
    rules = [
        e
        for item in body_of(doc)
        if "paragraph" in item
        for e in item["paragraph"]["elements"]
        if "horizontalRule" in e
    ]
    first = rules[0]
    update(store, doc_id, insert(first["startIndex"], "before "))
    after = store.get(doc_id, True)
    moved = [
        e
        for item in body_of(after)
        if "paragraph" in item
        for e in item["paragraph"]["elements"]
        if "horizontalRule" in e
    ]
    assert len(moved) == len(rules)
    assert moved[0]["startIndex"] == first["startIndex"] + 7
    assert moved[0]["horizontalRule"] == first["horizontalRule"]
    assert body_of(after, 1) == body_of(doc, 1)  # other tabs untouched


# --- tabs ------------------------------------------------------------------------------


def test_add_a_tab_and_write_into_it(store: DocsStore) -> None:
    doc_id = seeded(store, "tabs-headings-bullets.json")
    reply = update(store, doc_id, {"addDocumentTab": {"tabProperties": {"title": "2025"}}})
    props = reply["replies"][0]["addDocumentTab"]["tabProperties"]
    assert props["title"] == "2025" and props["index"] == 1 and props["tabId"].startswith("t.")
    update(store, doc_id, insert(1, "In the new tab", tabId=props["tabId"]))
    doc = store.get(doc_id, True)
    assert [t["tabProperties"]["title"] for t in doc["tabs"]] == ["Tab 1", "2025"]
    assert [paragraph_text(i) for i in body_of(doc, 1) if "paragraph" in i] == ["In the new tab\n"]
    assert body_of(store.get(doc_id, False)) == body_of(load("tabs-headings-bullets.json"))
    assert rejects(store, doc_id, insert(1, "x", tabId="t.nope")).code == 400


# --- many edits in a row ---------------------------------------------------------------


def random_request(rng: random.Random, end: int) -> JSON:
    a = rng.randrange(0, end)
    b = rng.randrange(a, min(end, a + 30) + 1)
    rng_json = {"startIndex": a, "endIndex": b}
    return rng.choice(
        [
            insert(a, rng.choice(["x", "ab\ncd", "\n", "\t\tz\n", "\U0001f600"])),
            delete(a, b),
            text_style(a, b, "bold", bold=True),
            paragraph_style(a, b, "HEADING_3"),
            bullets(a, b),
            {"deleteParagraphBullets": {"range": rng_json}},
            named("n", a, b),
            {"replaceAllText": {"containsText": {"text": "e"}, "replaceText": "E\n"}},
            {"insertPerson": {"location": {"index": a}, "personProperties": {"email": "a@b.org"}}},
        ]
    )


@pytest.mark.parametrize(
    "name", ["legacy-lists.json", "legacy-tables.json", "tabs-headings-bullets.json"]
)
def test_indexes_stay_consistent_through_random_edits(name: str) -> None:
    store = DocsStore(seed=1)
    doc_id = seeded(store, name)
    rng = random.Random(name)
    applied = 0
    for _ in range(40):
        end = body_of(store.get(doc_id, True))[-1]["endIndex"]
        try:
            update(store, doc_id, random_request(rng, end))
            applied += 1
        except ApiError as error:
            assert error.code == 400 and error.message.startswith("Invalid requests[0].")
    assert applied > 20  # most random edits are valid ones


def test_splitting_a_heading_gives_the_new_one_its_own_heading_id(store: DocsStore) -> None:
    doc_id = seeded(store, "tabs-headings-bullets.json")
    update(store, doc_id, insert(6, "\n"))  # "Intro|duction", a HEADING_1 with an id
    doc = store.get(doc_id, True)
    first, second = paragraph_at(doc, 1), paragraph_at(doc, 7)
    assert (paragraph_text(first), paragraph_text(second)) == ("Intro\n", "duction\n")
    ids = [p["paragraph"]["paragraphStyle"]["headingId"] for p in (first, second)]
    assert ids[0] == "h.klpxbx6hfx27" and ids[1].startswith("h.") and ids[1] != ids[0]
    assert second["paragraph"]["paragraphStyle"]["namedStyleType"] == "HEADING_1"
