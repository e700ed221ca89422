"""Both surveys from start to thank-you page, on two phones, with JavaScript on and off: four walks
that take every survey on every phone, every survey in both modes and every phone in both modes
(each pair of the three choices, as pairwise testing does; every page is walked again at 360 px in
both modes by test_small_screen).

Every page on the way is checked: axe-core (WCAG 2.2 AA + best practice) finds nothing, no request
leaves the app's origin, the console stays clean, tap targets are big enough and nothing scrolls
sideways. A full-page screenshot of each is kept in tests/artifacts/<test>/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import DEVICES
from .journeys import PLANS, back, choose, continue_, send, slug_of, type_into

pytestmark = pytest.mark.browser

SMALL = {"viewport": {"width": 360, "height": 640}, "screen": {"width": 360, "height": 640}}

FORM_STATE_JS = """() => Array.from(document.querySelectorAll('form input, form textarea'))
  .filter(e => e.type !== 'hidden')
  .map(e => [e.id, (e.type === 'radio' || e.type === 'checkbox') ? e.checked : e.value])"""

STORED_JS = """() => Object.fromEntries(Array.from(document.querySelectorAll('.stored dt'))
  .map(dt => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()]))"""


PIXEL, IPHONE = DEVICES
WALKS = [
    ("young-people", PIXEL, True),
    ("young-people", IPHONE, False),
    ("community", PIXEL, False),
    ("community", IPHONE, True),
]


@pytest.mark.parametrize(
    ("slug", "phone", "js"),
    WALKS,
    ids=[f"{slug}-{phone.split()[0].lower()}-{'js' if js else 'nojs'}" for slug, phone, js in WALKS],
)
def test_complete_survey(open_phone, checker, slug, phone, js):
    plan, pages = PLANS[slug], PLANS[slug]["pages"]
    page = open_phone(phone, js=js)
    check = checker(page)

    page.goto("/")
    check("home")
    page.get_by_role("link", name=plan["title"]).click()
    expect(page.locator("h1")).to_have_text(plan["title"])
    expect(page.locator(".exit-tip")).to_be_hidden()  # the Shift tip is for keyboards, not touch phones
    check("start")
    page.get_by_role("button", name="Start the survey").click()

    expected: dict[str, str] = {}
    states: dict[int, list] = {}
    pressed_back = False
    index = 0
    while index < len(pages):
        title, answer = pages[index]
        expect(page.locator("h1")).to_have_text(title)
        # A follow-up counts as a step once the answer that brings it in is given.
        steps = len(pages) - sum(1 for n in plan["follow_ups"] if n > index)
        expect(page.locator(".step")).to_have_text(f"Step {index + 1} of {steps}")
        if index in states:
            # Seen again after pressing Back once: every answer given on it is still there.
            assert page.evaluate(FORM_STATE_JS) == states[index], f"answers on '{title}' were lost"
        else:
            expected.update(answer(page, js))
            check(slug_of(title))  # answered: shows ticks and revealed questions
            states[index] = page.evaluate(FORM_STATE_JS)
        if index + 1 == plan["back_on"] and not pressed_back:
            pressed_back = True
            back(page)
            index -= 1
            continue
        continue_(page)
        index += 1
    assert pressed_back

    expect(page.locator("h1")).to_have_text("Check your answers before sending them")
    check("check")
    send(page)
    expect(page.locator("h1")).to_have_text("Thank you. Your answers have been sent.")
    assert page.url.endswith(f"/s/{slug}/send")  # shown in reply to the POST
    page.get_by_text("See exactly what we stored").click()
    expect(page.locator(".stored dl")).to_be_visible()
    check("thanks")
    stored = page.evaluate(STORED_JS)
    missing = {q: a for q, a in expected.items() if stored.get(q) != a}
    assert not missing, f"not shown as stored: {missing}\nshown: {stored}"

    # The draft became the response: coming back starts afresh.
    page.goto(f"/s/{slug}/")
    expect(page.get_by_role("button", name="Start the survey")).to_be_visible()


def test_carry_on_change_language_and_check_answers_without_javascript(open_phone, checker):
    """At 360 px with JavaScript off: a language switch keeps what is typed on the page, "carry on"
    lands on the first unfinished page, "start again" asks first, and "Check your answers" changes
    an answer and comes back."""
    page = open_phone("Pixel 5", js=False, **SMALL)
    check = checker(page)
    page.goto("/s/kitchen-sink/")
    page.get_by_role("button", name="Start the survey").click()
    choose(page, "Do you have a pet?", "Yes")
    type_into(page, "How many pets?", "2")
    choose(page, "Which snacks do you like?", "Crisps")
    continue_(page)

    expect(page.locator("h1")).to_have_text("Second page")
    type_into(page, "A word you like", "sunny")
    choose(page, "School", "Good")
    page.get_by_role("button", name="اردو").click()
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.locator("#nickname")).to_have_value("sunny")
    expect(page.locator("#mood_school-1")).to_be_checked()
    check("page-2-in-urdu")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("A word you like")).to_have_value("sunny")

    page.goto("/s/kitchen-sink/")
    expect(page.get_by_text("You have done 1 of 3 pages.")).to_be_visible()
    check("start-with-draft")
    page.get_by_role("link", name="Start again").click()
    expect(page.locator("h1")).to_have_text("Are you sure you want to start again?")
    check("start-again")
    page.get_by_role("link", name="No, keep my answers").click()
    page.get_by_role("button", name="Carry on where you left off").click()
    expect(page.locator("h1")).to_have_text("Second page")
    expect(page.get_by_label("A word you like")).to_have_value("sunny")
    choose(page, "Home", "Bad")
    continue_(page)
    type_into(page, "Tell us about your pet", "A tortoise called Biscuit")
    continue_(page)

    expect(page.locator("h1")).to_have_text("Check your answers before sending them")
    summary = page.locator("main")
    expect(summary).to_contain_text("Tell us about your pet")
    check("check")
    page.get_by_role("link", name="Change Do you have a pet?").click()
    expect(page.locator("h1")).to_have_text("First page")
    choose(page, "Do you have a pet?", "No")
    continue_(page)
    expect(page.locator("h1")).to_have_text("Check your answers before sending them")
    expect(summary).not_to_contain_text("Tell us about your pet")  # that page no longer applies
    expect(summary).to_contain_text("sunny")
    send(page)
    expect(page.locator("h1")).to_have_text("Thank you. Your answers have been sent.")
