"""How a respondent answers each survey in the browser: clicking labels and typing, page by page.

Each plan is a list of (page heading, answer function). An answer function gets the page and
whether JavaScript is on, answers the page like a person would, and returns what the thank-you
page's "what we stored" list must then show. `walk` goes through a survey in any language instead,
answering from the questionnaire's definition so that every follow-up applies.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from playwright.sync_api import Locator, Page, expect

from survey_app.definitions import Item
from survey_app.definitions import Page as Screen
from survey_app.definitions import Questionnaire as Definition
from tests.helpers import current_page, typical_answer

SENTENCE = "More street lights near the park and youth clubs open later."


def question(page: Page, legend: str) -> Locator:
    """The fieldset of one question (or one statement of a rating scale), by the start of its legend."""
    return page.locator("fieldset").filter(
        has=page.locator("legend", has_text=re.compile(rf"^\s*{re.escape(legend)}"))
    )


def choice_label(page: Page, legend: str, label: str) -> Locator:
    return question(page, legend).locator("label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))


def choice_input(page: Page, legend: str, label: str) -> Locator:
    return choice_label(page, legend, label).locator("xpath=preceding-sibling::input[1]")


def choose(page: Page, legend: str, label: str) -> Locator:
    """Tap a choice's label (not the little input), as most people do, and check it took."""
    target = choice_label(page, legend, label)
    target.click()  # strict: fails unless exactly one label matches
    assert target.evaluate("label => label.control.checked"), f"{legend} / {label}: not ticked"
    return choice_input(page, legend, label)


def type_into(page: Page, label: str, text: str) -> None:
    field = page.get_by_label(label)
    field.click()
    field.press_sequentially(text)
    expect(field).to_have_value(text)


def press(button: Locator) -> None:
    """Press a form's button and wait for the page it leads to. With JavaScript the survey's forms
    are sent in the background and the reply written over this document (no navigation event, and
    pages of one section share a heading), so the wait is for this document's body to be replaced.
    A click just before may still be loading its page: the mark goes on once the button is there and
    the page has finished loading, never on a document without its body yet."""
    page = button.page
    button.wait_for()
    settled(page)
    page.evaluate("() => { document.body.dataset.pressed = '1'; }")
    button.click()
    expect(page.locator("body[data-pressed]")).to_have_count(0)
    settled(page)


def settled(page: Page) -> None:
    """Wait until the page's scripts have run (a written-over document has no load event of its own
    for Playwright to wait for): until then a link or button acts as it would without JavaScript."""
    deadline = time.monotonic() + 10
    # Polled from here: the pages' policy forbids the evaluated strings of page.wait_for_function.
    while page.evaluate("document.readyState") != "complete":
        assert time.monotonic() < deadline, f"{page.url} did not finish loading in 10 s"
        page.wait_for_timeout(50)


def follow(link: Locator) -> None:
    """Follow a link once the page's scripts are ready, as a person who reads the page first does."""
    settled(link.page)
    link.click()


def continue_(page: Page) -> None:
    press(page.get_by_role("button", name="Continue", exact=True))


def send(page: Page) -> None:
    """Send the answers from "Check your answers"."""
    press(page.get_by_role("button", name="Send my answers"))


def back(page: Page) -> None:
    press(page.get_by_role("button", name="Back", exact=True))


# --- Young people's safety survey -----------------------------------------------------------------


def yp_about_you(page: Page, js: bool) -> dict[str, str]:
    choose(page, "How old are you?", "14 to 15")
    choose(page, "What do you do now?", "I'm at school")
    return {"How old are you?": "14 to 15", "What do you do now?": "I'm at school"}


def yp_where_you_live(page: Page, js: bool) -> dict[str, str]:
    choose(
        page, "Which area do you live in?", "Charnwood (including Loughborough, Shepshed, Syston, Birstall)"
    )
    return {}


def yp_postcode(page: Page, js: bool) -> dict[str, str]:
    type_into(page, "What is the first part of your postcode?", "LE11")
    return {"What is the first part of your postcode?": "LE11"}


YP_SAFETY = {
    "Walking alone in your local area during the day": "Very safe",
    "Walking alone in your local area after dark": "A bit unsafe",
    "At school or college": "Fairly safe",
    "On buses": "Doesn't apply to me",
    "Going to and from school or college": "Fairly safe",
    "In the town or city centre": "Very unsafe",
    "Online, like on social media or in games": "Don't know",
}


def statements(answers: dict[str, str]):
    """An answer function for the statements of a rating scale that are on the page (a scale may be
    cut over several pages): the rest must be on other pages."""

    def answer(page: Page, js: bool) -> dict[str, str]:
        shown = {s: a for s, a in answers.items() if question(page, s).count()}
        assert shown, "none of the scale's statements is on this page"
        for statement, choice in shown.items():
            choose(page, statement, choice)
        return shown

    return answer


yp_feeling_safe = statements(YP_SAFETY)


def yp_places(page: Page, js: bool) -> dict[str, str]:
    legend = "Are there places where you feel unsafe?"
    buses = choose(page, legend, "On buses")
    choose(page, legend, "In alleys, underpasses or car parks")
    if js:
        # "None of these" cannot go with another tick: the script unticks the others, and back.
        choose(page, legend, "None of these")
        expect(buses).not_to_be_checked()
        choose(page, legend, "On buses")
        expect(choice_input(page, legend, "None of these")).not_to_be_checked()
        choose(page, legend, "In alleys, underpasses or car parks")
    return {legend: "On buses; In alleys, underpasses or car parks"}


yp_experiences = statements(
    {"Seen someone being hurt on purpose": "Yes", "Seen someone carrying a knife when out and about": "No"}
)

REASONS = "Why did you think about carrying one?"


def yp_knives(page: Page, js: bool) -> dict[str, str]:
    choose(page, "Do you know anyone who carries a knife?", "No")
    choose(page, "Have you ever thought about carrying a knife or weapon?", "Yes")
    # The follow-up is on a page of its own that only a "Yes" leads to, with or without JavaScript.
    expect(question(page, REASONS)).to_have_count(0)
    return {"Have you ever thought about carrying a knife or weapon?": "Yes"}


def yp_carry_reasons(page: Page, js: bool) -> dict[str, str]:
    choose(page, REASONS, "To protect myself")
    return {REASONS: "To protect myself"}


def yp_carrying(page: Page, js: bool) -> dict[str, str]:
    choose(page, "Have you ever carried a knife or weapon?", "No")
    choose(page, "How worried are you about knife crime where you live?", "Fairly worried")
    return {"How worried are you about knife crime where you live?": "Fairly worried"}


def yp_causes(page: Page, js: bool) -> dict[str, str]:
    legend = "What do you think causes violence among young people?"
    choose(page, legend, "Drugs")
    choose(page, legend, "Something else")
    expect(page.get_by_label("What else do you think causes it?")).to_have_count(0)
    return {legend: "Drugs; Something else"}


def yp_causes_other(page: Page, js: bool) -> dict[str, str]:
    type_into(page, "What else do you think causes it?", "Boredom in the holidays")
    return {"What else do you think causes it?": "Boredom in the holidays"}


def yp_support(page: Page, js: bool) -> dict[str, str]:
    choose(page, "How good a job do you think the police in your area are doing?", "Fair")
    choose(page, "Are there youth clubs or activities near you that you go to?", "Yes, but I don't go")
    return {"Are there youth clubs or activities near you that you go to?": "Yes, but I don't go"}


def yp_talk(page: Page, js: bool) -> dict[str, str]:
    talk = "If you were worried about violence or your safety, who would you talk to?"
    choose(page, talk, "A friend")
    choose(page, talk, "A youth worker or coach")
    return {talk: "A friend; A youth worker or coach"}


def yp_more_about_you(page: Page, js: bool) -> dict[str, str]:
    choose(page, "How do you describe yourself?", "Prefer not to say")
    return {"How do you describe yourself?": "Prefer not to say"}


def yp_ideas(page: Page, js: bool) -> dict[str, str]:
    text = "More street lights near the park, and youth clubs open later."
    type_into(page, "What one thing would make you feel safer?", text)
    return {"What one thing would make you feel safer?": text}


# --- Community safety survey ----------------------------------------------------------------------


def cs_about_you(page: Page, js: bool) -> dict[str, str]:
    choose(page, "How old are you?", "35 to 44")
    choose(page, "Do any children under 18 live with you?", "Yes")
    return {}


def cs_where_you_live(page: Page, js: bool) -> dict[str, str]:
    choose(page, "Which area do you live in?", "Leicester (the city)")
    return {"Which area do you live in?": "Leicester (the city)"}


def cs_postcode(page: Page, js: bool) -> dict[str, str]:
    type_into(page, "What is the first part of your postcode?", "LE2")
    return {"What is the first part of your postcode?": "LE2"}


cs_feeling_safe = statements(
    {
        "Walking alone in this area during the day": "Fairly safe",
        "Walking alone in this area after dark": "I never do this",
        "Violent crime": "Not very worried",
        "Knife crime": "Fairly worried",
    }
)
cs_problems = statements(
    {
        "People dealing or using drugs": "Fairly big problem",
        "People hanging around causing trouble": "Not a very big problem",
        "Knife crime": "Don't know",
        "Anti-social behaviour, like vandalism or harassment": "Very big problem",
        "In the last 12 months, how often have you seen drug dealing in your area?": "Sometimes",
    }
)
cs_your_area = statements(
    {
        "The police and council are dealing with the issues that matter in this area": "Disagree",
        "People around here pull together to improve the area": "Agree",
        "There is enough for young people to do around here": "Strongly disagree",
    }
)


def cs_more_about_you(page: Page, js: bool) -> dict[str, str]:
    choose(page, "How do you describe yourself?", "Woman")
    return {"How do you describe yourself?": "Woman"}


def cs_ethnic_group(page: Page, js: bool) -> dict[str, str]:
    choose(page, "What is your ethnic group?", "Mixed or multiple ethnic groups")
    return {"What is your ethnic group?": "Mixed or multiple ethnic groups"}


def cs_ideas(page: Page, js: bool) -> dict[str, str]:
    text = "Better lighting on the canal path and a police officer we actually see."
    type_into(page, "What would make your area safer?", text)
    type_into(page, "What should be done for young people in your area?", "Open the youth centre again.")
    return {
        "What would make your area safer?": text,
        "What should be done for young people in your area?": "Open the youth centre again.",
    }


PLANS = {
    "young-people": {
        "title": "Young people's safety survey",
        "pages": [
            ("About you", yp_about_you),
            ("About you", yp_where_you_live),
            ("About you", yp_postcode),
            *[("Feeling safe", yp_feeling_safe)] * 4,
            ("Places", yp_places),
            *[("Things that have happened", yp_experiences)] * 2,
            ("Knives", yp_knives),
            ("Knives", yp_carry_reasons),
            ("Knives", yp_carrying),
            ("What causes violence", yp_causes),
            ("What causes violence", yp_causes_other),
            ("Help and support", yp_support),
            ("Help and support", yp_talk),
            ("A bit more about you", yp_more_about_you),
            ("Your ideas", yp_ideas),
        ],
        # Pages (0-based) that only an answer on the page before brings into the survey.
        "follow_ups": {11, 14},
        # Press Back on this page (1-based): the answers on it and on the page before must survive.
        "back_on": 5,
    },
    "community": {
        "title": "Community safety survey",
        "pages": [
            ("About you", cs_about_you),
            ("About you", cs_where_you_live),
            ("About you", cs_postcode),
            *[("Feeling safe", cs_feeling_safe)] * 2,
            *[("Problems in your area", cs_problems)] * 3,
            *[("Your area", cs_your_area)] * 2,
            ("A bit more about you", cs_more_about_you),
            ("A bit more about you", cs_ethnic_group),
            ("Your ideas", cs_ideas),
        ],
        "follow_ups": set(),
        "back_on": 4,
    },
}


def slug_of(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def staff_log_in(page: Page, email: str, password: str) -> None:
    """Log in to the staff area as a person would, from the login page."""
    page.goto("/staff/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


# --- Any survey, in any language -------------------------------------------------------------------


def longest_path(definition: Definition) -> dict[str, object]:
    """Answers that make every follow-up apply: {answer key: value or list of values}."""
    wanted: dict[str, object] = {}
    for item in definition.items:
        condition = item.show_if
        if condition is None:
            continue
        target = next(i for i in definition.items if condition.item in i.answer_keys)
        value = condition.any_of[0]
        if target.type == "multiple_choice":
            others = [v for v in typical_answer(target)[target.id] if v != value]
            wanted[target.id] = [value, *others][:2]
        else:
            wanted[condition.item] = value
    return wanted


def _tap(page: Page, selector: str) -> int:
    page.locator(selector).click()
    return 1


def answer_item(page: Page, item: Item, wanted: dict[str, object]) -> int:
    """Answer one item of the page on screen as a person would, by the fields' names (so in any
    language); returns the taps made."""
    taps = 0
    for key, value in {
        **typical_answer(item),
        **{k: v for k, v in wanted.items() if k in item.answer_keys},
    }.items():
        if item.type in ("single_choice", "multiple_choice", "rating_scale"):
            positions = [
                n
                for n, c in enumerate(item.choices, 1)
                if c.value in (value if isinstance(value, list) else [value])
            ]
            taps += sum(_tap(page, f'label[for="{key}-{n}"]') for n in positions)
        else:
            taps += _tap(page, f"#{key}")
            page.locator(f"#{key}").fill(SENTENCE[: item.max_length] if item.max_length > 10 else "LE4")
    return taps


def walk(page: Page, base: str, definition: Definition, language: str) -> Iterator[tuple[Screen, int]]:
    """Start the survey in `language` and answer every question page (every follow-up made to
    apply), yielding each page on screen, answered, with the taps made on it, before "Continue";
    ends on "Check your answers"."""
    wanted = longest_path(definition)
    page.goto(f"{base}/s/{definition.slug}/?lang={language}")
    press(page.locator('form[action$="/start"] button[type=submit]').first)
    while page.locator('button[name="action"][value="next"]').count():
        on_screen = current_page(definition, page.content())
        taps = sum(
            answer_item(page, item, wanted)
            for item in on_screen.items
            if page.locator(f'[name="{item.answer_keys[0]}"]').first.is_visible()
        )
        yield on_screen, taps
        press(page.locator('button[name="action"][value="next"]'))


#: How far down a page its buttons ("Continue", "Back") end, in CSS px.
BUTTONS_END_JS = "() => document.querySelector('.actions').getBoundingClientRect().bottom + window.scrollY"
