"""The sandbox's doc view in a real browser: a person edits the running doc in the page and
the next `gworkflow run` carries what they typed.

Headless Chromium (the system's, through Playwright) clicks and types like a user; every
edit reaches the document as a documents.batchUpdate on the sandbox's Docs endpoint.
Select these tests with `pytest -m browser`; deselect with `-m "not browser"`. Without
Chromium they fail with the install command; GWORKFLOW_SKIP_BROWSER=1 skips them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support.browser import ARTIFACTS, SKIP_REQUESTED, launch, require_chromium
from support.docbuilder import DocBuilder, run

from gworkflow.cli import cli
from gworkflow.demo import DemoResult, run_demo
from gworkflow.sandbox.server import Sandbox

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)
# The demo plays December to February; March's section is due 7 days (lead_days) ahead.
MARCH_RUN = "2027-03-03T12:00:00+00:00"
NEW_GOAL = "Present the pilot at the staff meeting"


@pytest.fixture(scope="module", autouse=True)
def chromium() -> str:
    """Checked before anything else is set up: fail (or skip on request) at once."""
    return require_chromium()


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if SKIP_REQUESTED:
            pytest.skip("GWORKFLOW_SKIP_BROWSER=1")
        pytest.fail("Playwright is missing: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        launched = launch(playwright, chromium)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(10_000)  # a broken page fails in seconds, not half a minute
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"the page's script failed: {errors}"


@pytest.fixture(scope="module")
def played(
    sandbox_server: Sandbox, tmp_path_factory: pytest.TempPathFactory
) -> tuple[DemoResult, str, str]:
    """The demo's three months, played once: its result, the sandbox state, its config."""
    sandbox_server.reset()
    workdir = tmp_path_factory.mktemp("demo")
    result = run_demo(sandbox_server, workdir, NOW, lambda _line: None)
    state = json.dumps(sandbox_server.to_state())
    return result, state, (workdir / "config.toml").read_text(encoding="utf-8")


@pytest.fixture
def demo(sb: Sandbox, isolated_home: Path, played: tuple[DemoResult, str, str]) -> DemoResult:
    """The sandbox as the demo left it, its config where `gworkflow` looks for it."""
    result, state, config = played
    sb.load_state(json.loads(state))
    (isolated_home / "config.toml").write_text(config, encoding="utf-8")
    return result


def _view(sb: Sandbox, doc_id: str) -> str:
    return f"{sb.base_url}/view/documents/{doc_id}"


def _list_under(page: Any, meeting: str, person: str, topic: str) -> Any:
    """The list under `topic` in `person`'s part of the section for `meeting`."""
    return page.locator(
        f"xpath=//h1[contains(., '({meeting})')]"
        f"/following-sibling::h2[normalize-space()='{person}'][1]"
        f"/following-sibling::h3[normalize-space()='{topic}'][1]"
        "/following-sibling::*[self::ul or self::ol][1]"
    )


def _item_texts(listing: Any) -> list[str]:
    texts: list[str] = listing.locator(":scope > li > .line > .text").all_inner_texts()
    return [text.strip() for text in texts]


def _doc_text(sb: Sandbox, doc_id: str) -> str:
    doc = sb.docs.get(doc_id, include_tabs_content=True)
    content = doc["tabs"][0]["documentTab"]["body"]["content"]
    return "".join(
        run.get("textRun", {}).get("content", "")
        for element in content
        for run in element.get("paragraph", {}).get("elements", [])
    )


def _batch_updates(sb: Sandbox) -> list[dict[str, Any]]:
    return [r for r in sb.requests_log() if r["path"].endswith(":batchUpdate")]


def test_a_goal_typed_and_marked_done_in_the_page_is_carried_by_the_next_run(
    sb: Sandbox, demo: DemoResult, page: Any
) -> None:
    page.goto(_view(sb, demo.doc_id))
    revision = sb.docs.get(demo.doc_id, include_tabs_content=True)["revisionId"]
    shown = page.inner_text("body")
    assert "Peer mentoring check-in — Tuesday 9 February 2027 (2027-02-09)" in shown
    assert revision not in shown and "t.0" not in shown  # no internal labels on the page
    goals = _list_under(page, "2027-02-09", "Ruth", "Goals")
    carried = "Draft the assessment survey (since 8 Dec)"
    assert _item_texts(goals) == [carried, ""]  # last month's open goal, then a place to type
    sb.clear_requests()

    # Ruth clicks the empty item at the end of her goals and types a new one, as in Docs.
    goals.locator("li .text").last.click()
    page.keyboard.type(NEW_GOAL)
    with page.expect_navigation():
        page.locator("h1", has_text="(2027-02-09)").click()  # clicking away saves
    assert _item_texts(goals) == [carried, NEW_GOAL]

    # She finished the carried one: the ✅ button types the check mark gworkflow reads.
    first = goals.locator(":scope > li").first
    first.hover()
    with page.expect_navigation():
        first.get_by_role("button", name="Mark done").click()
    assert _item_texts(goals) == [f"✅ {carried}", NEW_GOAL]
    edits = _batch_updates(sb)
    assert [e["status"] for e in edits] == [200, 200]  # the typing, the mark
    assert f"✅ {carried}\n{NEW_GOAL}\n" in _doc_text(sb, demo.doc_id)

    result = CliRunner().invoke(
        cli,
        ["run", "--now", MARCH_RUN, "--json"],
        env={"GWORKFLOW_API_ENDPOINT": sb.base_url},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["action"] == "appended"

    page.reload()
    achievements = _list_under(page, "2027-03-09", "Ruth", "Achievements")
    assert _item_texts(achievements) == ["✅ Draft the assessment survey", ""]
    march_goals = _list_under(page, "2027-03-09", "Ruth", "Goals")
    assert _item_texts(march_goals) == [f"{NEW_GOAL} (since 9 Feb)", ""]
    assert "Tuesday 9 March 2027 (2027-03-09)" in page.locator("nav.side").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("h1", has_text="(2027-03-09)").evaluate("h => h.scrollIntoView()")
    page.screenshot(path=str(ARTIFACTS / "browser-march-section.png"))


def test_edit_strike_and_delete_items_in_the_page(sb: Sandbox, demo: DemoResult, page: Any) -> None:
    page.goto(_view(sb, demo.doc_id))
    heather = _list_under(page, "2027-02-09", "Heather", "Goals")
    carried = "Plan the spring workshop series (since 12 Jan)"
    assert _item_texts(heather) == [carried, ""]

    # She types a goal into the empty item, then corrects its last word.
    heather.locator("li .text").last.click()
    page.keyboard.type("Send the workshop CFP")
    with page.expect_navigation():
        page.keyboard.press("Tab")  # leaving the item saves it
    text = heather.locator("li .text").last
    text.click()
    page.keyboard.press("End")
    for _ in "CFP":
        page.keyboard.press("Backspace")
    page.keyboard.type("call for proposals")
    with page.expect_navigation():
        page.keyboard.press("Tab")
    assert _item_texts(heather) == [carried, "Send the workshop call for proposals"]

    item = heather.locator(":scope > li").last
    item.hover()
    with page.expect_navigation():
        item.get_by_role("button", name="Strikethrough").click()
    assert heather.locator("li .text s").inner_text() == "Send the workshop call for proposals"

    conferences = _list_under(page, "2027-02-09", "Heather", "Upcoming Conferences")
    last = conferences.locator(":scope > li").first  # the doc's very last paragraph
    last.hover()
    with page.expect_navigation():
        last.get_by_role("button", name="Delete item").click()
    assert conferences.count() == 0 or _item_texts(conferences) == []
    text_now = _doc_text(sb, demo.doc_id)
    assert "ALA Annual 2027, 2027-06-24" in text_now  # the earlier months keep theirs
    assert text_now.rstrip("\n").endswith("Upcoming Conferences")
    assert all(e["status"] == 200 for e in _batch_updates(sb)[-3:])


def test_an_edit_on_a_stale_page_is_refused_and_the_page_reloads(
    sb: Sandbox, demo: DemoResult, page: Any
) -> None:
    page.goto(_view(sb, demo.doc_id))
    # Heather types in the doc elsewhere after Ruth opened the page.
    doc = sb.docs.get(demo.doc_id, include_tabs_content=True)
    end = doc["tabs"][0]["documentTab"]["body"]["content"][-1]["endIndex"]
    sb.docs.batch_update(
        demo.doc_id,
        {"requests": [{"insertText": {"location": {"index": end - 1}, "text": " (maybe)"}}]},
    )
    before = _doc_text(sb, demo.doc_id)
    item = _list_under(page, "2027-02-09", "Ruth", "Goals").locator(":scope > li").first
    item.hover()
    item.get_by_role("button", name="Mark done").click()
    notice = page.get_by_role("alert")
    assert "Someone else changed this document" in notice.inner_text(timeout=5000)
    page.wait_for_function("document.body.innerText.includes('2027-06-24 (maybe)')")
    assert _doc_text(sb, demo.doc_id) == before  # the stale edit changed nothing


def test_typing_after_an_emoji_and_a_line_break_lands_at_the_right_index(
    sb: Sandbox, page: Any
) -> None:
    # An emoji outside the BMP is two UTF-16 code units for the API and for JavaScript alike.
    builder = DocBuilder()
    builder.add("HEADING_3", "Goals")
    builder.add("NORMAL_TEXT", "Read 😀 book", "checklist")
    builder.add("NORMAL_TEXT", [run("see "), run("the site", link="https://example.org")])
    doc_id = sb.docs.seed(builder.build(tabs=True))
    page.goto(_view(sb, doc_id))
    page.locator("li .text").first.click()
    page.keyboard.press("End")
    for _ in "book":
        page.keyboard.press("Backspace")
    page.keyboard.type("novel")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("by Friday 🎉")
    with page.expect_navigation():
        page.locator("h3").click()
    paragraphs = sb.docs.get(doc_id, include_tabs_content=True)["tabs"][0]["documentTab"]
    texts = [
        "".join(r["textRun"]["content"] for r in e["paragraph"]["elements"])
        for e in paragraphs["body"]["content"][1:]
    ]
    assert texts == ["Goals\n", "Read 😀 novel\u000bby Friday 🎉\n", "see the site\n"]
    assert page.locator("li .text").first.inner_text() == "Read 😀 novel\nby Friday 🎉"
    assert page.locator("a", has_text="the site").get_attribute("href") == "https://example.org"
