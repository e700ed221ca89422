"""A scripted phone run through both standard surveys: per page, the taps, the scrolling and the time.

    .venv/bin/python benchmarks/journey.py [--language en] [--no-js] [--max-screens 2.2]

Builds a throw-away SQLite database (migrate + sync, as the tests do), serves the app in a thread
and drives Debian's Chromium (/usr/bin/chromium, the browser tests' launch arguments) as a phone
360x740 CSS px wide (a Pixel 5's touch screen and user agent). On each survey it taps "Start the
survey", then answers every page as someone asked everything would: every follow-up is made to
apply (for "Have you ever thought about carrying..." it taps "Yes"), two ticks per "tick all that
apply", a sentence in every text box, then "Continue"; at the end "Send my answers" on "Check
your answers".

For each page it reports the taps it made; its length in screens of 740 px, measured after
answering (so questions an answer reveals count): "screens" down to the end of its buttons
("Continue", "Back"), what a respondent scrolls through, and "whole" with the footer; and the
estimated time on the model of ``analysis/effort.py`` (the words on the page at its reading speed,
plus seconds per tap, writing and page load; the taps are the ones counted here). Then each
survey's totals beside the minutes its start page promises and the model's own estimate. The
start page's row gives how far down its start button ends. Exits 1 if a question page is longer
than --max-screens (to its buttons) or a promise is not the model's estimate.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Locator, Page, sync_playwright  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from analysis.effort import (  # noqa: E402
    CHECK_PAGE_SECONDS,
    WORDS_PER_MINUTE,
    estimated_minutes,
    screen_seconds,
    screens,
)
from benchmarks.pages import build_database  # noqa: E402
from survey_app import create_app  # noqa: E402
from survey_app.definitions import load_file  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.journeys import press, walk  # noqa: E402

QUESTIONNAIRES = ROOT / "questionnaires"
SURVEYS = ("young-people", "community")
WIDTH, HEIGHT = 360, 740


class _Quiet(WSGIRequestHandler):
    def log_request(self, code="-", size="-") -> None:
        pass


@dataclass
class Row:
    page: str
    title: str
    taps: int
    #: scrolling to the end of the page's buttons ("Continue", "Back"), in screens of 740 px
    screens: float
    #: the whole page, footer included
    whole: float
    seconds: float


def serve(folder: Path):
    """The app on a fresh database, served from a thread; returns (server, base URL)."""
    url = build_database(folder)
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "journey-benchmark", "QUESTIONNAIRES_DIR": str(QUESTIONNAIRES)}
    )
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def screens_tall(page: Page) -> tuple[float, float]:
    """How far down the page's buttons end, and the whole page with its footer, in screens."""
    return screens_tall_to(page, page.locator(".actions"))


def screens_tall_to(page: Page, end: Locator) -> tuple[float, float]:
    """How far down ``end`` ends, and the whole page with its footer, in screens."""
    bottom = end.evaluate("a => a.getBoundingClientRect().bottom + window.scrollY")
    return bottom / HEIGHT, page.evaluate("document.documentElement.scrollHeight") / HEIGHT


def run_survey(page: Page, base: str, slug: str, language: str) -> list[Row]:
    definition = load_file(QUESTIONNAIRES / f"{slug}.yaml")
    model = {screen.page_id: screen for screen in screens(definition.source)}
    page.goto(f"{base}/s/{slug}/?lang={language}")
    start = page.locator('form[action$="/start"] button[type=submit]').first
    button_at = start.evaluate("b => b.getBoundingClientRect().bottom + window.scrollY") / HEIGHT
    whole = page.evaluate("document.documentElement.scrollHeight") / HEIGHT
    rows = [Row("start", "start page (to its start button)", 1, button_at, whole, screen_seconds(0, 1))]
    for on_screen, taps in walk(page, base, definition, language):
        expected = model[on_screen.id]
        rows.append(
            Row(
                on_screen.id,
                on_screen.title,
                taps + 1,
                *screens_tall(page),
                screen_seconds(expected.words, taps + 1, expected.writing_seconds),
            )
        )
    send = page.locator(f'form[action$="/s/{slug}/send"] button[type=submit]')
    if not send.count():
        raise SystemExit(f'{slug}: no "Check your answers" page after the last question')
    rows.append(Row("check", "Check your answers", 1, *screens_tall_to(page, send), CHECK_PAGE_SECONDS))
    press(send)
    if not page.url.split("?")[0].endswith(("/send", "/done")):  # the thank-you page, in any language
        raise SystemExit(f'{slug}: sending from "Check your answers" did not lead to the thank-you page')
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="en")
    parser.add_argument("--no-js", action="store_true")
    parser.add_argument("--max-screens", type=float, default=2.2)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="journey-"))
    server, base = serve(folder)
    failures: list[str] = []
    print(
        f"Model (analysis/effort.py): reading at {WORDS_PER_MINUTE} words a minute, taps, writing "
        "and page loads; see its docstring."
    )
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            device = {
                **playwright.devices["Pixel 5"],
                "viewport": {"width": WIDTH, "height": HEIGHT},
                "screen": {"width": WIDTH, "height": HEIGHT},
            }
            for slug in SURVEYS:
                context = browser.new_context(**device, java_script_enabled=not options.no_js)
                rows = run_survey(context.new_page(), base, slug, options.language)
                context.close()
                definition = load_file(QUESTIONNAIRES / f"{slug}.yaml")
                print(
                    f"\n{slug} ({options.language}, JavaScript {'off' if options.no_js else 'on'}, "
                    f"{WIDTH}x{HEIGHT})"
                )
                print(f"{'page':<22} {'taps':>5} {'screens':>8} {'whole':>6} {'seconds':>8}  title")
                for row in rows:
                    print(
                        f"{row.page:<22} {row.taps:>5} {row.screens:>8.2f} {row.whole:>6.2f} "
                        f"{row.seconds:>8.0f}  {row.title}"
                    )
                    if row.page not in ("start", "check") and row.screens > options.max_screens:
                        failures.append(f"{slug}/{row.page} is {row.screens:.2f} screens tall")
                questions = rows[1:]
                total = sum(r.seconds for r in questions)  # as the model: from the first question
                print(
                    f"{'total':<22} {sum(r.taps for r in rows):>5} "
                    f"{sum(r.screens for r in questions):>8.2f} {sum(r.whole for r in questions):>6.2f} "
                    f"{total:>8.0f}  "
                    f"{len(questions) - 1} question pages and the check page, {total / 60:.1f} minutes"
                )
                print(
                    f"promised: about {definition.minutes} minutes; "
                    f"model estimate: {estimated_minutes(definition.source)} minutes"
                )
                if definition.minutes != estimated_minutes(definition.source):
                    failures.append(
                        f"{slug} promises {definition.minutes} minutes, the model says "
                        f"{estimated_minutes(definition.source)}"
                    )
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
