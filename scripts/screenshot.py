"""A screenshot of the sandbox's doc view in headless Chromium: the demo's running doc after
its three months (the README's picture), or any documents.get JSON.

    python scripts/screenshot.py                       # -> docs/screenshot-demo.png
    python scripts/screenshot.py --doc tests/support/fixtures/google-docs/legacy-lists.json \\
        --out /tmp/legacy.png --full-page

Needs the system Chromium (apt-get install -y chromium fonts-noto-color-emoji) and the test
extra (pip install -e '.[test]', which brings Playwright); no `playwright install`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # support.browser: the tests' Chromium settings

from support.browser import INSTALL_HINT, chromium_path, launch  # noqa: E402

from gworkflow.demo import run_demo  # noqa: E402
from gworkflow.sandbox.server import Sandbox  # noqa: E402

# The demo's fixed start, as in the tests: its sections are December to February.
DEMO_NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot-demo.png")
    parser.add_argument("--doc", type=Path, help="a documents.get JSON to show instead")
    parser.add_argument("--tab", help="the tab to show (its tabId)")
    parser.add_argument("--scroll-to", default="(2027-02-09)", help="text of a heading to show")
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=860)
    args = parser.parse_args()
    executable = chromium_path()
    if executable is None:
        print(f"Chromium is missing; {INSTALL_HINT}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as workdir:
        if args.doc:
            doc_id = sandbox.docs.seed(json.loads(args.doc.read_text(encoding="utf-8")))
        else:
            doc_id = run_demo(sandbox, Path(workdir), DEMO_NOW, lambda _line: None).doc_id
        url = f"{sandbox.base_url}/view/documents/{doc_id}"
        if args.tab:
            url += f"?tab={args.tab}"
        with sync_playwright() as playwright:
            browser = launch(playwright, executable)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(url)
            heading = page.locator("h1,h2,h3", has_text=args.scroll_to)
            if not args.doc and heading.count():
                heading.first.evaluate(
                    "h => window.scrollTo(0, h.getBoundingClientRect().top + scrollY - 80)"
                )
            if not args.doc:
                # Show the item tools (mark done, strike through, delete) on one goal.
                page.locator("li .line", has_text="Draft the assessment survey").last.hover()
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out), full_page=args.full_page)
            browser.close()
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
