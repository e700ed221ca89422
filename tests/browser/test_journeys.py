"""Both surveys from start to thank-you page, on two phones, with JavaScript on and off.

Every page on the way is checked: axe-core (WCAG 2.2 AA + best practice) finds nothing, no request
leaves the app's origin, the console stays clean, tap targets are big enough and nothing scrolls
sideways. A full-page screenshot of each is kept in tests/artifacts/<test>/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import DEVICES
from .journeys import PLANS, back, continue_, slug_of

pytestmark = pytest.mark.browser

FORM_STATE_JS = """() => Array.from(document.querySelectorAll('form input, form textarea'))
  .filter(e => e.type !== 'hidden')
  .map(e => [e.id, (e.type === 'radio' || e.type === 'checkbox') ? e.checked : e.value])"""

STORED_JS = """() => Object.fromEntries(Array.from(document.querySelectorAll('.stored dt'))
  .map(dt => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()]))"""


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("phone", DEVICES, ids=["pixel5", "iphone13"])
@pytest.mark.parametrize("slug", list(PLANS))
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
        expect(page.locator(".step")).to_have_text(f"Step {index + 1} of {len(pages)}")
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

    expect(page.locator("h1")).to_have_text("Thank you. Your answers have been sent.")
    assert "/s/" not in page.url or page.url.endswith(f"/{len(pages)}")  # shown in reply to the POST
    page.get_by_text("See exactly what we stored").click()
    expect(page.locator(".stored dl")).to_be_visible()
    check("thanks")
    stored = page.evaluate(STORED_JS)
    missing = {q: a for q, a in expected.items() if stored.get(q) != a}
    assert not missing, f"not shown as stored: {missing}\nshown: {stored}"

    # The draft became the response: coming back starts afresh.
    page.goto(f"/s/{slug}/")
    expect(page.get_by_role("button", name="Start the survey")).to_be_visible()
