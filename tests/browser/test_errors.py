"""The error state: a summary that takes focus (with JavaScript), links that move to each field."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .journeys import choose, continue_, yp_about_you, yp_postcode, yp_where_you_live

pytestmark = pytest.mark.browser

# Where the thing a summary link points at sits, next to the sticky bar at the top.
PLACE_JS = """(id) => {
  const el = document.getElementById(id);
  const box = el.getBoundingClientRect();
  const question = el.closest('.q').getBoundingClientRect();
  return {focused: document.activeElement === el, top: box.top, bottom: box.bottom,
          questionTop: question.top, bar: document.querySelector('.bar').getBoundingClientRect().bottom,
          height: window.innerHeight};
}"""


def _follow_summary_links(page, expected_ids: list[str], js: bool) -> None:
    links = page.locator(".err-sum a")
    expect(links).to_have_count(len(expected_ids))
    for n, target in enumerate(expected_ids):
        link = links.nth(n)
        assert link.get_attribute("href") == f"#{target}"
        link.click()
        expect(page.locator(f"[id='{target}']")).to_be_focused()
        place = page.evaluate(PLACE_JS, target)
        # WCAG 2.4.11: the focused field is not hidden under the sticky quick-exit bar.
        assert place["top"] >= place["bar"] and place["bottom"] <= place["height"], (target, place)
        if js:  # the script scrolls the question's own text into view too, below the bar
            assert place["questionTop"] >= place["bar"], (target, place)
        # Each field shows its own message, tied to it for screen readers.
        question = page.locator(f"[id='{target}']").locator("xpath=ancestor::*[contains(@class,'q')][1]")
        expect(question.locator(".err-msg")).to_be_visible()
        page.locator(".err-sum").scroll_into_view_if_needed()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_error_summary_on_empty_required_page(open_phone, checker, js):
    page = open_phone("Pixel 5", js=js)
    check = checker(page)
    page.goto("/s/young-people/")
    page.get_by_role("button", name="Start the survey").click()

    continue_(page)  # nothing answered on a page of required questions
    expect(page).to_have_title(re.compile(r"^Error: About you"))
    summary = page.locator(".err-sum")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    # Each link says which question it is about.
    expect(summary.get_by_role("link")).to_have_text(
        [
            "How old are you? Choose an answer to this question",
            "What do you do now? Choose an answer to this question",
        ]
    )
    if js:
        expect(summary).to_be_focused()
    check("error-about-you")
    _follow_summary_links(page, ["age_band-1", "current_activity-1"], js)

    # Fix the page: the errors go and the survey moves on.
    yp_about_you(page, js)
    continue_(page)
    yp_where_you_live(page, js)
    continue_(page)
    yp_postcode(page, js)
    continue_(page)
    expect(page.locator("h1")).to_have_text("Feeling safe")

    # A rating scale (its first two statements on this page): one message per statement left
    # empty; a half-answered page keeps its answers.
    choose(page, "Walking alone in your local area after dark", "Very safe")
    continue_(page)
    expect(page).to_have_title(re.compile(r"^Error: Feeling safe"))
    expect(page.locator(".err-sum a")).to_have_count(1)
    if js:
        expect(summary).to_be_focused()
    expect(page.locator("#safe_area_dark-1")).to_be_checked()
    check("error-feeling-safe")
    _follow_summary_links(page, ["safe_area_day-1"], js)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_error_messages_for_numbers_and_choices(open_phone, checker, js):
    """The test questionnaire's number field, "at most 2" and "None of these" rules."""
    page = open_phone("iPhone 13", js=js)
    check = checker(page)
    page.goto("/s/kitchen-sink/")
    page.get_by_role("button", name="Start the survey").click()
    choose(page, "Do you have a pet?", "Yes")
    page.get_by_label("How many pets?").fill("lots")
    for snack in ("Crisps", "Fruit", "Chocolate"):
        choose(page, "Which snacks do you like?", snack)
    continue_(page)
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".err-sum")).to_contain_text("Enter a whole number using digits, like 15")
    expect(page.locator(".err-sum")).to_contain_text("Choose at most 2 options")
    expect(page.get_by_label("How many pets?")).to_have_value("lots")  # what was typed comes back
    check("error-number-and-limit")
    _follow_summary_links(page, ["pet_count", "snacks-1"], js)

    page.get_by_label("How many pets?").fill("30")
    if not js:  # with JavaScript "None of these" unticks the others by itself
        choose(page, "Which snacks do you like?", "None of these")
        continue_(page)
        summary = page.locator(".err-sum")
        expect(summary).to_contain_text("Enter a whole number from 1 to 20")
        expect(summary).to_contain_text('"None of these" cannot be ticked with other options')
        check("error-range-and-exclusive")
