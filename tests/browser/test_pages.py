"""Pages outside the surveys: home, help, privacy and the not-found page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import DEVICES

pytestmark = pytest.mark.browser

PAGES = [
    ("/", "Have your say about safety where you live"),
    ("/help", "Get help now"),
    ("/privacy", "What we store and what we do not"),
    ("/s/no-such-survey/", "Sorry, there is a problem"),
]


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("phone", DEVICES, ids=["pixel5", "iphone13"])
def test_public_pages(open_phone, checker, phone, js):
    page = open_phone(phone, js=js)
    check = checker(page)
    for path, title in PAGES:
        response = page.goto(path)
        expect(page.locator("h1")).to_have_text(title)
        assert response.status == (404 if "no-such" in path else 200)
        check(path.strip("/").replace("/", "-") or "home")
