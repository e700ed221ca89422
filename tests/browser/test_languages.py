"""Every language in a real browser: axe on every page, and whole journeys in Urdu, Gujarati and
Polish on a 360px phone without JavaScript, drawn with real glyphs in the right direction."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from survey_app.definitions import load_file
from tests.conftest import QUESTIONNAIRES
from tests.helpers import typical_answer
from tests.test_i18n import LANGUAGES, TRANSLATED, walk

from .conftest import _AXE, AXE_TAGS

pytestmark = pytest.mark.browser

#: The font Chromium must really draw headings with (not a fallback), per script.
FONTS = {"ur": "Noto Nastaliq Urdu", "gu": "Noto Sans Gujarati", "pl": None}
SMALL_PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_page_in_every_language_passes_axe(language, live_app, live_server, new_context):
    """The app renders each page (over HTTP, through a whole survey); Chromium shows it as served."""
    context = new_context(**SMALL_PHONE)
    current = {"html": ""}

    def serve(route):
        if route.request.is_navigation_request():
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=current["html"])
        else:
            route.continue_()

    context.route("**/*", serve)
    page = context.new_page()
    for name, html in walk(live_app, language):
        current["html"] = html
        page.goto(f"{live_server}/{language}/{name}")
        assert page.evaluate("document.documentElement.lang") == language
        assert page.evaluate("document.documentElement.dir") == LANGUAGES[language]["dir"]
        results = _AXE.run(
            page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        )
        assert results.violations_count == 0, f"{language} {name}\n{results.generate_report()}"


def drawn_fonts(page, selector: str) -> set[str]:
    """The fonts Chromium really drew the element with."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


@pytest.mark.parametrize("language", ["ur", "gu", "pl"])
def test_young_people_survey_without_javascript(language, open_phone, checker):
    definition = load_file(QUESTIONNAIRES / "young-people.yaml")
    page = open_phone("Pixel 5", js=False, **SMALL_PHONE)
    check = checker(page)
    page.goto(f"/s/young-people/?lang={language}")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        language,
        LANGUAGES[language]["dir"],
    ]
    check_fonts(page, language)
    check("start")
    page.locator("form button[type=submit]").first.click()
    # The first page, not the start page still on screen while the form is sent.
    expect(page).to_have_url(re.compile(r"/s/young-people/1$"))
    for _ in range(len(definition.pages)):
        names = set(page.eval_on_selector_all("form [name]", "els => els.map(e => e.name)"))
        current = next(
            p for p in definition.pages if any(k in names for item in p.items for k in item.answer_keys)
        )
        check_fonts(page, language)
        check(current.id)
        for item in current.items:
            for key, value in typical_answer(item).items():
                if f"{key}" not in names:
                    continue
                if item.type in ("single_choice", "rating_scale", "multiple_choice"):
                    for one in value if isinstance(value, list) else [value]:
                        page.check(f'input[name="{key}"][value="{one}"]')
                else:
                    page.fill(f'[name="{key}"]', str(value))
        page.locator('button[name="action"][value="next"]').click()
        page.wait_for_load_state("load")
        if page.locator('button[name="action"]').count() == 0:
            break
    check_fonts(page, language)
    check("check")  # "Check your answers"
    page.locator('form[action$="/send"] button').click()
    page.wait_for_load_state("load")
    assert page.locator("details.stored").count() == 1, "the thank-you page"
    check_fonts(page, language)
    check("thanks")


def check_fonts(page, language: str) -> None:
    expected = FONTS[language]
    fonts = drawn_fonts(page, "h1")
    if expected:
        assert expected in fonts, f"{language}: headings drawn with {fonts}, not {expected}"
    assert "Last Resort" not in " ".join(fonts)
