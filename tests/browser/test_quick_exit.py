"""Quick exit: leaves at once, cannot be undone with Back, and forgets the answers in progress."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from .conftest import QUICK_EXIT_URL
from .journeys import continue_, follow, press, settled, yp_about_you

pytestmark = pytest.mark.browser


def _answer_first_page(page, js: bool) -> str:
    page.goto("/s/young-people/")
    page.get_by_role("button", name="Start the survey").click()
    yp_about_you(page, js)
    continue_(page)
    expect(page.get_by_text("Which area do you live in?")).to_be_visible()  # the longest page
    page.locator("label[for=area-1]").click()
    return page.url


def _assert_left_without_trace(page) -> None:
    assert page.url == QUICK_EXIT_URL
    assert [url for url, _headers in page.stub_hits] == [QUICK_EXIT_URL]
    assert "referer" not in page.stub_hits[0][1], "the neutral site was told where the visitor came from"
    assert page.foreign_requests == [QUICK_EXIT_URL]  # and that one was answered by the stub


@pytest.mark.parametrize("how", ["button", "shift-3-times"])
def test_quick_exit_with_javascript(open_phone, checker, how):
    page = open_phone("Pixel 5", js=True)
    check = checker(page)
    survey_page = _answer_first_page(page, js=True)
    # The Shift tip is for keyboards: a touch phone shows it only once a key such as Tab is pressed.
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    tip = page.get_by_text("To leave quickly you can also press the Shift key 3 times.")
    expect(tip).to_be_hidden()
    page.keyboard.press("Tab")
    expect(tip).to_be_visible()

    # The bar stays in reach at the bottom of a long page.
    page.keyboard.press("End")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(page.get_by_role("link", name="Leave this site quickly")).to_be_in_viewport()
    check("before-exit")

    with page.expect_request(lambda r: r.url.endswith("/exit") and r.method == "POST") as beacon:
        if how == "button":
            page.get_by_role("link", name="Leave this site quickly").click()
        else:
            for _ in range(3):
                page.keyboard.press("Shift")
    page.wait_for_url(QUICK_EXIT_URL)
    assert beacon.value.post_data in (None, "")
    # Playwright sees no response to a beacon sent while leaving; its effect shows in the cookie jar:
    # the answer to POST /exit clears the session cookie once the draft is deleted.
    deadline = time.monotonic() + 5
    while page.context.cookies() and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert page.context.cookies() == [], "the session cookie outlived the quick exit"
    _assert_left_without_trace(page)

    # location.replace, for the exit and between survey pages: Back shows no page of the survey.
    page.go_back()
    assert page.url != survey_page and "/s/" not in page.url
    expect(page.locator("input:checked")).to_have_count(0)

    page.goto("/s/young-people/")
    expect(page.get_by_role("button", name="Start the survey")).to_be_visible()
    expect(page.get_by_role("button", name="Carry on where you left off")).to_have_count(0)
    page.goto("/s/young-people/1")  # the old page address starts over too
    expect(page.locator("h1")).to_have_text("Young people's safety survey")


def test_quick_exit_without_javascript_is_a_plain_link(open_phone):
    page = open_phone("iPhone 13", js=False)
    _answer_first_page(page, js=False)
    expect(page.get_by_text("To leave quickly you can also press the Shift key 3 times.")).to_be_hidden()
    link = page.get_by_role("link", name="Leave this site quickly")
    assert link.evaluate("a => a.tagName") == "A"
    assert link.get_attribute("href") == QUICK_EXIT_URL
    assert "noreferrer" in link.get_attribute("rel").split()
    link.click()
    page.wait_for_url(QUICK_EXIT_URL)
    _assert_left_without_trace(page)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_quick_exit_is_first_after_skip_link(open_phone, js):
    page = open_phone("Pixel 5", js=js)
    page.goto("/s/community/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Leave this site quickly")).to_be_focused()


def test_capital_letters_typed_in_an_answer_do_not_exit(open_phone):
    """Each capital is a Shift press; only Shift three times in a row, nothing between, leaves."""
    page = open_phone("Pixel 5", js=True)
    page.goto("/s/young-people/")
    press(page.get_by_role("button", name="Start the survey"))
    page.goto("/s/young-people/3")  # where the postcode is asked
    postcode = page.get_by_label("What is the first part of your postcode?")
    postcode.click()
    for key in ("Shift+L", "Shift+E", "Shift+A"):
        page.keyboard.press(key)
    page.wait_for_timeout(300)
    expect(postcode).to_have_value("LEA")
    assert page.stub_hits == [] and "/s/young-people/3" in page.url


def test_quick_exit_without_javascript_forgets_answers(open_phone):
    """The link's ping (hyperlink auditing, no script needed) tells the app to forget the draft."""
    page = open_phone("Pixel 5", js=False)
    _answer_first_page(page, js=False)
    page.get_by_role("link", name="Leave this site quickly").click()
    page.wait_for_url(QUICK_EXIT_URL)
    page.goto("/s/young-people/")
    expect(page.get_by_role("button", name="Start the survey")).to_be_visible(timeout=1000)


def test_links_between_survey_pages_leave_no_history(open_phone):
    """ "Change", "Back" and "Start again" are links: they replace the page as the forms do, so after
    a quick exit Back does not lead into the survey however the respondent moved about in it."""
    page = open_phone("Pixel 5", js=True)
    page.goto("/s/kitchen-sink/")
    page.get_by_role("button", name="Start the survey").click()
    page.locator("label[for=pet-2]").click()
    page.locator("label[for=snacks-1]").click()
    continue_(page)
    page.locator("label[for=mood_school-1]").click()
    page.locator("label[for=mood_home-1]").click()
    continue_(page)
    expect(page.locator("h1")).to_have_text("Check your answers before sending them")
    entries = page.evaluate("history.length")
    follow(page.get_by_role("link", name="Change Which snacks do you like?"))
    expect(page.locator("h1")).to_have_text("First page")
    continue_(page)
    follow(page.get_by_role("link", name="Back", exact=True))
    expect(page.locator("h1")).to_have_text("Second page")
    for title in ("First page", "Every kind of question"):
        press(page.get_by_role("button", name="Back", exact=True))
        expect(page.locator("h1")).to_have_text(title)
    follow(page.get_by_role("link", name="Start again"))
    follow(page.get_by_role("link", name="No, keep my answers"))
    expect(page.get_by_role("button", name="Carry on where you left off")).to_be_visible()
    settled(page)
    assert page.evaluate("history.length") == entries
    page.get_by_role("link", name="Leave this site quickly").click()
    page.wait_for_url(QUICK_EXIT_URL)
    page.go_back()
    assert "/s/" not in page.url, page.url
