"""On a 360 px phone: helpline numbers read left to right in Urdu and Arabic, checked from where
each group of digits is drawn; pages hold at 200% text in five scripts; the Shift tip is for
keyboards only."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import render_template
from playwright.sync_api import expect

from survey_app.db import db_session
from survey_app.surveys.service import open_survey

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}}
SHOTS = Path("/tmp/rtl-and-large-text")
HELPLINES = {"0800 1111", "0800 555 111", "0808 800 5000"}

# Every number written with spaces in the page's visible text: (number, whether its digit groups
# are drawn left to right). Each group's box comes from a Range over it, so this is what a reader sees.
NUMBERS_DRAWN_JS = """(root) => {
  const found = [];
  const walker = document.createTreeWalker(root || document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\d+(?:[ \\u00a0]\\d+)+/g)) {
      const boxes = [];
      for (const group of match[0].matchAll(/\\d+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index + group.index);
        range.setEnd(node, match.index + group.index + group[0].length);
        const box = range.getBoundingClientRect();
        if (box.width) boxes.push(box);
      }
      if (!boxes.length) continue;
      const inOrder = boxes.every((box, i) => i === 0 || Math.abs(box.top - boxes[i - 1].top) > 2
                                  || box.left > boxes[i - 1].right - 1);
      found.push([match[0], inOrder]);
    }
  }
  return found;
}"""


def _numbers(page, selector: str = "body") -> dict[str, bool]:
    found = page.locator(selector).evaluate(NUMBERS_DRAWN_JS)
    return {number: all(ok for n, ok in found if n == number) for number, _ in found}


def _shot(page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SHOTS / f"{name}.png", full_page=full_page)


def _safeguarding_thanks(app, language: str) -> str:
    """The thank-you page with its safeguarding box, as the app renders it after a flagged answer."""
    stored = SimpleNamespace(safeguarding=True, submitted_month="2026-11", language=language, answers=[])
    with app.test_request_context(f"/?lang={language}"):
        survey = open_survey(db_session(), "young-people")
        return render_template("taking/thanks.html", survey=survey.definition, stored=stored, channel=None)


@pytest.mark.parametrize("language", ["en", "ur", "ar"])
def test_helpline_numbers_read_left_to_right(open_phone, live_app, language):
    page = open_phone("Pixel 5", **PHONE)
    page.goto(f"/help?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    if language != "en":
        # The check itself sees a number the bidirectional algorithm reverses in right-to-left text.
        page.locator("h1").evaluate("h1 => h1.insertAdjacentHTML('afterend', '<p id=bad>مدد 0800 1111</p>')")
        assert _numbers(page, "#bad") == {"0800 1111": False}
        page.evaluate("document.getElementById('bad').remove()")
    # The Shift tip is for keyboards: this phone has a touch screen and no mouse.
    expect(page.locator(".exit-tip")).to_be_hidden()
    assert _numbers(page) == dict.fromkeys(HELPLINES, True)
    _shot(page, f"help-{language}")

    page.goto(f"/s/young-people/done?lang={language}")
    assert _numbers(page) == dict.fromkeys(HELPLINES, True)

    page.set_content(_safeguarding_thanks(live_app, language))
    expect(page.locator(".urgent")).to_be_visible()
    assert _numbers(page, ".urgent") == {"0800 1111": True}
    assert _numbers(page) == dict.fromkeys(HELPLINES, True)
    _shot(page, f"safeguarding-{language}")


def test_the_shift_tip_shows_where_there_is_a_mouse(open_phone):
    page = open_phone("Desktop Chrome")
    page.goto("/help")
    expect(page.locator(".exit-tip")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "ur", "ar", "so", "ta"])
def test_pages_hold_at_200_percent_text(open_phone, language):
    page = open_phone("Pixel 5", **PHONE)
    # The browser's own text size setting (as a person with low vision sets it), not a page zoom.
    page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32}})
    page.goto(f"/s/young-people/?lang={language}")

    def holds(name: str) -> None:
        assert page.evaluate("getComputedStyle(document.body).fontSize") == "38px"  # 1.1875rem of 32px
        # Only the screen in view: a full-page capture drops the text size setting.
        _shot(page, f"large-{language}-{name}", full_page=False)
        overflow = page.evaluate("(e => e.scrollWidth - e.clientWidth)(document.scrollingElement)")
        assert overflow <= 0, f"{name} in {language}: scrolls sideways by {overflow}px"
        bar = page.locator(".bar").bounding_box()
        assert bar["height"] <= 740 * 0.2, f"{name} in {language}: the bar takes {bar['height']}px"
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        expect(page.locator("#quick-exit")).to_be_in_viewport()

    holds("start")
    page.locator("form[data-replace-history] button[type=submit]").click()
    expect(page.locator(".step")).to_be_visible()
    holds("question")
    page.goto("/help")
    holds("help")
