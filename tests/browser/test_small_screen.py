"""A 360 px wide phone (the narrowest common Android width): big enough targets, no sideways scroll.

The journeys already check this on every page at 390 and 393 px; here every page, including the
error state, is walked again at 360 px with larger text than usual settings would leave room for.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .journeys import PLANS, continue_, send, slug_of

pytestmark = pytest.mark.browser

SMALL = {"viewport": {"width": 360, "height": 640}, "screen": {"width": 360, "height": 640}}


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("slug", list(PLANS))
def test_every_page_fits_360px(open_phone, checker, slug, js):
    page = open_phone("Pixel 5", js=js, **SMALL)
    check = checker(page)
    for path in ("/", "/help", "/privacy", f"/s/{slug}/"):
        page.goto(path)
        check(path.strip("/").replace("/", "-") or "home", axe=False)
    page.get_by_role("button", name="Start the survey").click()
    continue_(page)
    expect(page.locator(".err-sum")).to_be_visible()
    check("error", axe=False)
    for title, answer in PLANS[slug]["pages"]:
        expect(page.locator("h1")).to_have_text(title)
        answer(page, js)
        check(slug_of(title), axe=False)
        continue_(page)
    check("check", axe=False)
    send(page)
    page.get_by_text("See exactly what we stored").click()
    check("thanks", axe=False)
