"""How a respondent answers each survey in the browser: clicking labels and typing, page by page.

Each plan is a list of (page heading, answer function). An answer function gets the page and
whether JavaScript is on, answers the page like a person would, and returns what the thank-you
page's "what we stored" list must then show.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect


def question(page: Page, legend: str) -> Locator:
    """The fieldset of one question (or one statement of a rating scale), by the start of its legend."""
    return page.locator("fieldset").filter(
        has=page.locator("legend", has_text=re.compile(rf"^\s*{re.escape(legend)}")))


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


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_load_state("load")


def send(page: Page) -> None:
    """Send the answers from "Check your answers"."""
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_load_state("load")


def back(page: Page) -> None:
    page.get_by_role("button", name="Back", exact=True).click()
    page.wait_for_load_state("load")


# --- Young people's safety survey -----------------------------------------------------------------

def yp_about_you(page: Page, js: bool) -> dict[str, str]:
    choose(page, "How old are you?", "14 to 15")
    choose(page, "Which area do you live in?",
           "Charnwood (including Loughborough, Shepshed, Syston, Birstall)")
    type_into(page, "What is the first part of your postcode?", "LE11")
    choose(page, "What do you do now?", "I'm at school")
    return {"How old are you?": "14 to 15", "What is the first part of your postcode?": "LE11",
            "What do you do now?": "I'm at school"}


YP_SAFETY = {
    "Walking alone in your local area during the day": "Very safe",
    "Walking alone in your local area after dark": "A bit unsafe",
    "At school or college": "Fairly safe",
    "On buses": "Doesn't apply to me",
    "Going to and from school or college": "Fairly safe",
    "In the town or city centre": "Very unsafe",
    "Online, like on social media or in games": "Don't know",
}


def yp_feeling_safe(page: Page, js: bool) -> dict[str, str]:
    for statement, answer in YP_SAFETY.items():
        choose(page, statement, answer)
    return dict(YP_SAFETY)


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


def yp_experiences(page: Page, js: bool) -> dict[str, str]:
    choose(page, "Seen someone being hurt on purpose", "Yes")
    choose(page, "Seen someone carrying a knife when out and about", "No")
    return {"Seen someone being hurt on purpose": "Yes",
            "Seen someone carrying a knife when out and about": "No"}


def yp_knives(page: Page, js: bool) -> dict[str, str]:
    reasons = "Why did you think about carrying one?"
    choose(page, "Do you know anyone who carries a knife?", "No")
    if js:
        expect(question(page, reasons)).to_be_hidden()
    else:
        expect(page.get_by_text("Answer this only if it applies to your answer above.")).to_be_visible()
    choose(page, "Have you ever thought about carrying a knife or weapon?", "Yes")
    expect(question(page, reasons)).to_be_visible()
    choose(page, reasons, "To protect myself")
    choose(page, "Have you ever carried a knife or weapon?", "No")
    choose(page, "How worried are you about knife crime where you live?", "Fairly worried")
    return {"Have you ever thought about carrying a knife or weapon?": "Yes", reasons: "To protect myself",
            "How worried are you about knife crime where you live?": "Fairly worried"}


def yp_causes(page: Page, js: bool) -> dict[str, str]:
    legend = "What do you think causes violence among young people?"
    other = page.get_by_label("What else do you think causes it?")
    if js:
        expect(other).to_be_hidden()
    choose(page, legend, "Drugs")
    choose(page, legend, "Something else")
    expect(other).to_be_visible()
    type_into(page, "What else do you think causes it?", "Boredom in the holidays")
    return {legend: "Drugs; Something else", "What else do you think causes it?": "Boredom in the holidays"}


def yp_support(page: Page, js: bool) -> dict[str, str]:
    talk = "If you were worried about violence or your safety, who would you talk to?"
    choose(page, "How good a job do you think the police in your area are doing?", "Fair")
    choose(page, "Are there youth clubs or activities near you that you go to?", "Yes, but I don't go")
    choose(page, talk, "A friend")
    choose(page, talk, "A youth worker or coach")
    return {"Are there youth clubs or activities near you that you go to?": "Yes, but I don't go",
            talk: "A friend; A youth worker or coach"}


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
    choose(page, "Which area do you live in?", "Leicester (the city)")
    type_into(page, "What is the first part of your postcode?", "LE2")
    choose(page, "Do any children under 18 live with you?", "Yes")
    return {"Which area do you live in?": "Leicester (the city)",
            "What is the first part of your postcode?": "LE2"}


def cs_feeling_safe(page: Page, js: bool) -> dict[str, str]:
    answers = {"Walking alone in this area during the day": "Fairly safe",
               "Walking alone in this area after dark": "I never do this",
               "Violent crime": "Not very worried", "Knife crime": "Fairly worried"}
    for statement, answer in answers.items():
        choose(page, statement, answer)
    return answers


def cs_problems(page: Page, js: bool) -> dict[str, str]:
    answers = {"People dealing or using drugs": "Fairly big problem",
               "People hanging around causing trouble": "Not a very big problem",
               "Knife crime": "Don't know",
               "Anti-social behaviour, like vandalism or harassment": "Very big problem",
               "In the last 12 months, how often have you seen drug dealing in your area?": "Sometimes"}
    for statement, answer in answers.items():
        choose(page, statement, answer)
    return answers


def cs_your_area(page: Page, js: bool) -> dict[str, str]:
    answers = {"The police and council are dealing with the issues that matter in this area": "Disagree",
               "People around here pull together to improve the area": "Agree",
               "There is enough for young people to do around here": "Strongly disagree"}
    for statement, answer in answers.items():
        choose(page, statement, answer)
    return answers


def cs_more_about_you(page: Page, js: bool) -> dict[str, str]:
    choose(page, "How do you describe yourself?", "Woman")
    choose(page, "What is your ethnic group?", "Mixed or multiple ethnic groups")
    return {"How do you describe yourself?": "Woman",
            "What is your ethnic group?": "Mixed or multiple ethnic groups"}


def cs_ideas(page: Page, js: bool) -> dict[str, str]:
    text = "Better lighting on the canal path and a police officer we actually see."
    type_into(page, "What would make your area safer?", text)
    type_into(page, "What should be done for young people in your area?", "Open the youth centre again.")
    return {"What would make your area safer?": text,
            "What should be done for young people in your area?": "Open the youth centre again."}


PLANS = {
    "young-people": {
        "title": "Young people's safety survey",
        "pages": [("About you", yp_about_you), ("Feeling safe", yp_feeling_safe), ("Places", yp_places),
                  ("Things that have happened", yp_experiences), ("Knives", yp_knives),
                  ("What causes violence", yp_causes), ("Help and support", yp_support),
                  ("A bit more about you", yp_more_about_you), ("Your ideas", yp_ideas)],
        # Press Back on this page (1-based): the answers on it and on the page before must survive.
        "back_on": 4,
    },
    "community": {
        "title": "Community safety survey",
        "pages": [("About you", cs_about_you), ("Feeling safe", cs_feeling_safe),
                  ("Problems in your area", cs_problems), ("Your area", cs_your_area),
                  ("A bit more about you", cs_more_about_you), ("Your ideas", cs_ideas)],
        "back_on": 3,
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
