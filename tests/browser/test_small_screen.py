"""A 360 px wide phone (the narrowest common Android width): big enough targets, no sideways scroll.

The journeys already check this on every page at 390 and 393 px; here every page, including the
error state, is walked again at 360 px with larger text than usual settings would leave room for.
No question page is longer than about two screens of a 360x740 phone (to the end of its buttons;
benchmarks/journey.py reports the same measure), in English and in the scripts that make pages
longest: Urdu's Nastaliq, Arabic, Tamil, and Somali's long words.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from survey_app.definitions import load_file
from tests.conftest import QUESTIONNAIRES

from .journeys import BUTTONS_END_JS, PLANS, continue_, send, slug_of, walk

pytestmark = pytest.mark.browser

SMALL = {"viewport": {"width": 360, "height": 640}, "screen": {"width": 360, "height": 640}}
SCREEN = 740
MAX_SCREENS = 2.2


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("slug", list(PLANS))
def test_every_page_fits_360px(open_phone, checker, slug, js):
    page = open_phone("Pixel 5", js=js, **SMALL)
    check = checker(page)
    for path in ("/", "/help", "/privacy", f"/s/{slug}/"):
        page.goto(path)
        check(path.strip("/").replace("/", "-") or "home", axe=False)
    page.get_by_role("button", name="Start the survey").click()
    continue_(page)
    expect(page.locator(".err-sum")).to_be_visible()
    check("error", axe=False)
    too_long = []
    for number, (title, answer) in enumerate(PLANS[slug]["pages"], 1):
        expect(page.locator("h1")).to_have_text(title)
        answer(page, js)
        check(slug_of(title), axe=False)
        screens = page.evaluate(BUTTONS_END_JS) / SCREEN
        # The first page was sent blank above: its error messages may make it longer.
        if screens > MAX_SCREENS and not page.locator(".err-sum").count():
            too_long.append(f"step {number} ({title}): {screens:.2f} screens")
        continue_(page)
    assert too_long == [], f"pages longer than {MAX_SCREENS} screens of {SCREEN} px"
    check("check", axe=False)
    send(page)
    page.get_by_text("See exactly what we stored").click()
    check("thanks", axe=False)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["ur", "ar", "ta", "so"])
def test_no_page_is_too_long_in_any_script(open_phone, live_server, language, js):
    page = open_phone(
        "Pixel 5", js=js, viewport={"width": 360, "height": SCREEN}, screen={"width": 360, "height": SCREEN}
    )
    too_long = []
    for slug in PLANS:
        for on_screen, _taps in walk(page, live_server, load_file(QUESTIONNAIRES / f"{slug}.yaml"), language):
            screens = page.evaluate(BUTTONS_END_JS) / SCREEN
            if screens > MAX_SCREENS:
                too_long.append(f"{slug}/{on_screen.id}: {screens:.2f} screens")
    assert too_long == [], f"pages longer than {MAX_SCREENS} screens of {SCREEN} px in {language}"
