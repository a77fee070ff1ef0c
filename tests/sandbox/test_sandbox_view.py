"""The sandbox's document page as HTML, without a browser: what a reader sees (escaped text,
safe links, line breaks, the outline, the tabs) and what the page's script edits by (each
item's indexes, the range that deletes it, the revision)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from support.captures import FIXTURES
from support.docbuilder import DocBuilder, build_doc, date_chip, person, run
from support.htmltree import Node, parse

from gworkflow.sandbox import html as html_view
from gworkflow.sandbox.server import Sandbox


def _page(doc: dict[str, Any], tab: str | None = None) -> Node:
    return parse(html_view.render_document(doc, tab_id=tab))


def _article(doc: dict[str, Any], tab: str | None = None) -> Node:
    return _page(doc, tab).find("article", "page")


def _link(text: str, url: str) -> list[Any]:
    return [run(text, link=url)]


def test_text_is_escaped_and_only_web_and_mail_links_are_clickable() -> None:
    hostile = "<script>alert('x')</script> & \"quoted\""
    doc = build_doc(
        [
            ("HEADING_1", hostile),
            ("NORMAL_TEXT", _link("web", "https://example.org/?a=1&b='2'")),
            ("NORMAL_TEXT", _link("mail", "mailto:ruth@example.edu")),
            ("NORMAL_TEXT", _link("js", "javascript:alert(1)")),
            ("NORMAL_TEXT", _link("js2", " JaVaScRiPt:alert(1)")),
            ("NORMAL_TEXT", _link("js3", "java\tscript:alert(1)")),
            ("NORMAL_TEXT", _link("data", "data:text/html,<b>x</b>")),
            ("NORMAL_TEXT", _link("relative", "/_sandbox/reset")),
        ]
    )
    doc["title"] = "A <b> doc"
    raw = html_view.render_document(doc)
    assert "<script>alert" not in raw and "A &lt;b&gt; doc" in raw
    page = parse(raw)
    assert hostile in page.find("h1").text()
    hrefs = {a.text(): a.attrs["href"] for a in page.find("article").find_all("a")}
    assert hrefs == {"web": "https://example.org/?a=1&b='2'", "mail": "mailto:ruth@example.edu"}
    assert page.find("a", href="https://example.org/?a=1&b='2'").attrs["rel"] == (
        "noopener noreferrer"
    )
    shown = [p.text() for p in page.find("article").kids("p")]
    assert shown[-5:] == ["js", "js2", "js3", "data", "relative"]  # kept, as plain text
    assert not [a for a in page.find_all("a") if "script:" in a.attrs.get("href", "").lower()]


def test_rich_link_chips_with_unsafe_uris_are_not_links() -> None:
    chip = {"richLink": {"richLinkProperties": {"uri": "javascript:alert(1)", "title": "Agenda"}}}
    safe = {
        "richLink": {"richLinkProperties": {"uri": "https://docs.google.com/x", "title": "Doc"}}
    }
    page = _article(build_doc([("NORMAL_TEXT", [chip, safe])]))
    assert [a.text() for a in page.find_all("a")] == ["Doc"]
    assert "Agenda" in page.text()


def test_line_breaks_styles_headings_and_chips() -> None:
    doc = build_doc(
        [
            ("TITLE", "Running agenda"),
            ("SUBTITLE", "Ruth and Heather"),
            ("HEADING_3", "Goals"),
            ("NORMAL_TEXT", "first line\u000bsecond line"),
            ("NORMAL_TEXT", [run("bold", bold=True), run(" "), run("gone", strike=True)]),
            ("NORMAL_TEXT", [run("see "), person("ana@example.org", "Ana")]),
            ("NORMAL_TEXT", [run("on "), date_chip("Jan 14, 2027")]),
        ]
    )
    raw = html_view.render_document(doc)
    assert "\u000b" not in raw
    page = parse(raw).find("article")
    assert page.find("h1", "title").text() == "Running agenda"
    assert page.find("p", "subtitle").text() == "Ruth and Heather"
    assert page.find("h3").text() == "Goals"
    paragraphs = [p.text() for p in page.kids("p")]
    assert "first line\nsecond line" in paragraphs
    assert page.find("b").text() == "bold" and page.find("s").text() == "gone"
    assert "Ana" in page.find("span", "person").text()
    assert page.find("span", "date").text() == "Jan 14, 2027"


def test_lists_nest_with_their_kind_and_carry_their_indexes() -> None:
    builder = DocBuilder()
    builder.add("HEADING_3", "Goals")
    first = builder.add("NORMAL_TEXT", "Submit <IRDL>", "checklist")
    builder.add("NORMAL_TEXT", "Sub-step", "checklist", 1)
    builder.add("NORMAL_TEXT", "one", "numbered")
    builder.add("NORMAL_TEXT", "two", "numbered", 1)
    last = builder.add("NORMAL_TEXT", "a bullet", "bullet")
    page = _article(builder.build(tabs=True))
    checklist = page.kids("ul")[0]
    item = checklist.kids("li")[0]
    assert item.classes == {"check"}
    assert (item.attrs["data-start"], item.attrs["data-end"]) == tuple(map(str, first))
    assert item.find("span", "text").text() == "Submit <IRDL>"
    assert item.find("span", "text").attrs["contenteditable"] == "true"
    assert item.find("ul").find("li").find("span", "text").text() == "Sub-step"
    numbered = page.kids("ol")[0]
    assert numbered.attrs["style"] == "list-style-type:decimal"
    assert numbered.find("ol").attrs["style"] == "list-style-type:lower-alpha"
    bullet = page.kids("ul")[-1].find("li")
    assert bullet.attrs["data-glyph"] == "●"
    # The doc's last paragraph keeps its newline: deleting it takes the newline before it.
    assert bullet.attrs["data-delete"] == f"{last[0] - 1},{last[1] - 1}"
    assert item.attrs["data-delete"] == ",".join(map(str, first))


def test_done_struck_and_chip_items() -> None:
    doc = build_doc(
        [
            ("NORMAL_TEXT", "✅ Submit the IRDL application", "checklist"),
            ("NORMAL_TEXT", [run("Old goal", strike=True)], "checklist"),
            ("NORMAL_TEXT", [run("Ask "), person("ana@example.org", "Ana")], "checklist"),
            ("NORMAL_TEXT", "", "checklist"),
        ]
    )
    items = _article(doc).find_all("li")
    assert "data-done" in items[0].attrs and "data-struck" not in items[0].attrs
    assert "data-struck" in items[1].attrs
    # A person chip takes one index but shows a name: the page does not edit that item.
    assert "data-editable" not in items[2].attrs
    assert "contenteditable" not in items[2].find("span", "text").attrs
    assert "data-empty" in items[3].attrs


def test_the_outline_lists_the_headings_in_order_and_links_to_them() -> None:
    builder = DocBuilder()
    builder.add("TITLE", "Running agenda")
    builder.add("HEADING_1", "Check-in (2026-12-08)")
    builder.add("HEADING_2", "Ruth")
    builder.add("HEADING_3", "Goals")
    builder.add("NORMAL_TEXT", "not a heading")
    builder.add("HEADING_2", "", heading_id=False)  # empty headings stay out, as in Docs
    builder.add("HEADING_2", "Heather", heading_id=False)
    page = _page(builder.build(tabs=True))
    outline = page.find("ul", "outline")
    entries = [(li.attrs["class"], li.text()) for li in outline.kids("li")]
    assert entries == [
        ("lvl0", "Running agenda"),
        ("lvl1", "Check-in (2026-12-08)"),
        ("lvl2", "Ruth"),
        ("lvl3", "Goals"),
        ("lvl2", "Heather"),
    ]
    for li in outline.kids("li"):
        anchor = li.find("a").attrs["href"].removeprefix("#")
        assert page.find(id=anchor).text() == li.text()


def test_tabs_are_tabs_and_tab_picks_the_one_shown() -> None:
    doc = json.loads((FIXTURES / "tabs-three-tabs.json").read_text(encoding="utf-8"))
    titles = ["Version 1", "Version 2", "Version 3"]
    first = _page(doc)
    tabs = first.find("ul", "tabs").kids("li")
    assert [t.find("a").text() for t in tabs] == titles
    assert [t.find("a").attrs["href"] for t in tabs] == [
        "?tab=t.0",
        "?tab=t.onxbcvnykaov",
        "?tab=t.q5ol1vnmynzo",
    ]
    assert first.find("li", "selected").find("a").text() == "Version 1"
    third = _page(doc, "t.q5ol1vnmynzo")
    assert third.find("li", "selected").find("a").text() == "Version 3"
    assert third.find("article").attrs["data-tab-id"] == "t.q5ol1vnmynzo"
    assert third.find("article").text() != first.find("article").text()
    assert _page(doc, "t.nope").find("li", "selected").find("a").text() == "Version 1"


def test_no_revision_or_internal_ids_in_what_a_reader_sees() -> None:
    doc = build_doc([("HEADING_1", "Check-in"), ("NORMAL_TEXT", "Goal", "checklist")], tabs=True)
    doc["revisionId"] = "ALm37BVsecretRevision"
    page = _page(doc)
    shown = page.text()
    assert "ALm37BVsecretRevision" not in shown and "t.0" not in shown and "doc1" not in shown
    assert page.find("input", id="revision").attrs == {
        "type": "hidden",
        "id": "revision",
        "value": "ALm37BVsecretRevision",
    }
    assert page.find("body").attrs["data-doc-id"] == "doc1"


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_every_captured_google_doc_renders_with_its_headings(fixture: str) -> None:
    doc = json.loads((FIXTURES / fixture).read_text(encoding="utf-8"))
    page = _page(doc)
    article = page.find("article")
    headings = [
        h.text().strip()
        for h in article.iter()
        if h.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and h.text().strip()
    ]
    outline = [li.text() for li in page.find_all("ul", "outline") for li in li.kids("li")]
    assert outline == [h.replace("\n", " ") for h in headings]


def test_the_server_serves_the_view_and_its_tab_parameter(sandbox_server: Sandbox) -> None:
    sandbox_server.reset()
    doc = json.loads((FIXTURES / "tabs-three-tabs.json").read_text(encoding="utf-8"))
    doc_id = sandbox_server.docs.seed(doc)
    url = f"{sandbox_server.base_url}/view/documents/{doc_id}?tab=t.onxbcvnykaov"
    with urllib.request.urlopen(url) as response:
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        page = parse(response.read().decode("utf-8"))
    assert page.find("li", "selected").find("a").text() == "Version 2"
    assert sandbox_server.requests_log() == []  # the view is not an API call


def test_a_missing_document_or_page_is_a_plain_404_page(sandbox_server: Sandbox) -> None:
    sandbox_server.reset()
    for path, said in (
        ("/view/documents/nope", "Requested entity was not found."),
        ("/view/%3Cscript%3E", "The sandbox has no page /view/%3Cscript%3E."),
    ):
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(sandbox_server.base_url + path)
        assert raised.value.code == 404
        page = parse(raised.value.read().decode("utf-8"))
        assert said in page.find("main").text()
        assert page.find("main").find("a").attrs["href"] == "/"
