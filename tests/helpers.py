"""Drive the survey over HTTP as a browser would: read the CSRF token, post forms, follow redirects."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

from survey_app.definitions import Item, Page

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STEP = re.compile(r"Step (\d+) of (\d+)")


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return unescape(match.group(1))


def typical_answer(item: Item) -> dict[str, object]:
    """A plausible complete answer for every key of an item."""
    if item.type == "single_choice":
        return {item.id: item.choices[0].value}
    if item.type == "rating_scale":
        return {s.id: item.choices[n % len(item.choices)].value for n, s in enumerate(item.statements)}
    if item.type == "multiple_choice":
        plain = [c.value for c in item.choices if c.value not in item.exclusive]
        return {item.id: plain[: min(2, item.max_choices or 2)]}
    if item.type == "number":
        return {item.id: str(item.min if item.min is not None else 3)}
    if item.max_length and item.max_length < 10:
        return {item.id: "LE4"[: item.max_length]}
    return {item.id: "More street lights near the park and youth clubs open later."[: item.max_length]}


def page_answers(page: Page) -> dict[str, object]:
    answers: dict[str, object] = {}
    for item in page.items:
        answers.update(typical_answer(item))
    return answers


def current_page(definition, html: str) -> Page:
    """The page on screen, found by its fields' names, so it works in every language."""
    names = set(re.findall(r'name="([a-z][a-z0-9_]*)"', html))
    return next(
        p for p in definition.pages if any(key in names for item in p.items for key in item.answer_keys)
    )


def draft_token(client, slug: str) -> str:
    """The draft token the respondent's cookie holds for a survey."""
    with client.session_transaction() as session:
        return session["drafts"][slug]


def open_draft(app, client, slug: str):
    """The respondent's draft, opened with the token from their cookie as the app opens it."""
    from survey_app.db import db_session
    from survey_app.taking.service import open_draft as opened

    with app.app_context():
        return opened(db_session(), draft_token(client, slug), datetime.now(UTC).replace(tzinfo=None))


def reseal(app, draft) -> None:
    from survey_app.db import db_session
    from survey_app.taking.service import reseal as write

    with app.app_context():
        write(db_session(), draft)


class Respondent:
    def __init__(self, client):
        self.client = client
        self.html = ""

    def get(self, url: str, **kwargs):
        response = self.client.get(url, **kwargs)
        self.html = response.get_data(as_text=True)
        return response

    def start(self, slug: str, via: str | None = None, code: str | None = None):
        """Open the survey (through a distribution link when ``via`` is given) and start it."""
        self.get(f"/s/{slug}/" + (f"?via={via}" if via else ""))
        return self.post(
            f"/s/{slug}/start", {"code": code} if code is not None else {}, follow_redirects=True
        )

    def post(self, url: str, data: dict, **kwargs):
        form = {"csrf_token": csrf_token(self.html), **data}
        response = self.client.post(url, data=form, **kwargs)
        self.html = response.get_data(as_text=True)
        return response

    def step(self) -> tuple[int, int]:
        match = STEP.search(self.html)
        assert match, "not on a survey page"
        return int(match.group(1)), int(match.group(2))

    def answer(self, slug: str, data: dict, action: str = "next", **kwargs):
        target = re.search(r'<form method="post" action="(/s/[^/]+/\d+[^"]*)"', self.html).group(1)
        assert target.startswith(f"/s/{slug}/"), target
        return self.post(unescape(target), {**data, "action": action}, **kwargs)

    def send(self, slug: str, **kwargs):
        """Press "Send my answers" on the "Check your answers" page."""
        return self.post(f"/s/{slug}/send", {}, **kwargs)

    def complete(
        self,
        slug: str,
        definition,
        overrides: dict | None = None,
        *,
        via: str | None = None,
        code: str | None = None,
    ):
        """Answer every page with typical answers (plus overrides) and send; returns the last response."""
        overrides = overrides or {}
        response = self.start(slug, via, code)
        for _ in range(len(definition.pages) + 1):
            if f'action="/s/{slug}/send"' in self.html:
                return self.send(slug, follow_redirects=True)
            if 'name="action"' not in self.html:
                return response
            page = current_page(definition, self.html)
            data = {
                **page_answers(page),
                **{k: v for k, v in overrides.items() if any(k in i.answer_keys for i in page.items)},
            }
            response = self.answer(slug, data, follow_redirects=True)
        raise AssertionError("the survey did not finish")
