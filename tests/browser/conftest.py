"""Browser fixtures: one live server per session, phones with JavaScript on or off, page checks.

The server runs the real app (werkzeug, in a thread) on a SQLite copy of the migrated and synced
template database that `tests/conftest.py` builds. Every request a page makes to another origin
is recorded and answered by a stub, so a test can both assert that nothing left the app and follow
the quick-exit link without touching the network.
"""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import got_request_exception
from werkzeug.serving import WSGIRequestHandler, make_server

from survey_app import create_app
from tests.conftest import QUESTIONNAIRES, _prepare

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DEVICES = ["Pixel 5", "iPhone 13"]
# A neutral site that the tests intercept: `.test` names never resolve (RFC 2606).
QUICK_EXIT_URL = "https://quick-exit.test/weather"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
_AXE = Axe()

# Visible interactive elements smaller than 44x44 CSS px. Links laid out inline (inside a line of
# text) are exempt, as WCAG 2.5.8 allows; labels count only when they belong to a radio or checkbox.
SMALL_TARGETS_JS = """() => {
  const small = [];
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for]';
  for (const el of document.querySelectorAll(selector)) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    // The skip link waits off-screen (to the left, or to the right in right-to-left pages).
    if (box.right <= 0 || box.left >= window.innerWidth || box.bottom + window.scrollY <= 0) continue;
    const style = getComputedStyle(el);
    if (el.tagName === 'A' && style.display === 'inline') continue;
    if (el.tagName === 'LABEL') {
      const input = document.getElementById(el.htmlFor);
      if (!input || !['radio', 'checkbox'].includes(input.type)) continue;
    }
    if (box.width < 43.5 || box.height < 43.5) {
      const name = (el.textContent || el.value || el.id || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
      small.push(`${el.tagName.toLowerCase()} "${name}": ${box.width.toFixed(1)}x${box.height.toFixed(1)}`);
    }
  }
  return small;
}"""

HORIZONTAL_OVERFLOW_JS = "() => document.scrollingElement.scrollWidth - window.innerWidth"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-") -> None:
        pass


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, compiled_translations):
    folder = tmp_path_factory.mktemp("browser-db")
    template = folder / "template.db"
    _prepare(f"sqlite:///{template}")
    database = folder / "live.db"
    shutil.copyfile(template, database)
    # Every staff journey logs in from 127.0.0.1 within a minute or two, which the usual login rate
    # limit (tested over HTTP in tests/test_staff_access.py) would rightly refuse.
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "SECRET_KEY": "browser-tests",
            "QUESTIONNAIRES_DIR": str(QUESTIONNAIRES),
            "QUICK_EXIT_URL": QUICK_EXIT_URL,
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )
    app.server_errors = []
    got_request_exception.connect(
        lambda _sender, exception, **_extra: app.server_errors.append(exception), app, weak=False
    )
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture(autouse=True)
def _no_server_errors(request):
    """Any exception inside the app fails the test that caused it."""
    if "live_app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("live_app")
    del app.server_errors[:]
    yield
    assert app.server_errors == [], f"the app raised: {app.server_errors!r}"


@pytest.fixture
def artifacts(request) -> Path:
    """tests/artifacts/<test name>/, emptied first so old screenshots never mix with new ones."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def open_phone(playwright, new_context, live_server):
    """open_phone(device, js=True, **context options) -> a Page that records foreign requests."""

    def open_(device: str = "Pixel 5", js: bool = True, **options):
        settings = {**playwright.devices[device], **options}
        context = new_context(**settings, java_script_enabled=js)
        page = context.new_page()
        page.foreign_requests, page.console_errors, page.stub_hits = [], [], []
        page.document_statuses = set()
        own = (live_server + "/", "data:", "about:")
        page.axe_view = (
            (lambda: page) if js else _script_free_twin(page, lambda: new_context(**settings), own)
        )

        def record(request):
            if not request.url.startswith(own):
                page.foreign_requests.append(request.url)

        def stub(route):
            # Nothing reaches the network: the quick-exit site gets a tiny page, anything else fails.
            page.stub_hits.append((route.request.url, route.request.headers))
            if route.request.url.startswith(QUICK_EXIT_URL):
                route.fulfill(
                    status=200,
                    content_type="text/html",
                    body="<!doctype html><title>Weather</title><h1>Weather</h1>",
                )
            else:
                route.abort()

        context.route(lambda url: not url.startswith(own), stub)
        page.on("request", record)
        page.on(
            "console",
            lambda m: m.type == "error" and page.console_errors.append(f"{m.text} @ {m.location.get('url')}"),
        )
        # Survey forms are sent by fetch (site.js), so their answers count as the page's own.
        page.on(
            "response",
            lambda r: (
                r.request.frame == page.main_frame
                and (r.request.is_navigation_request() or r.request.resource_type == "fetch")
                and page.document_statuses.add((r.url.split("#")[0], r.status))
            ),
        )
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        return page

    return open_


def _script_free_twin(page, make_context, own):
    """axe-core needs timers, and Chromium runs none in a page with JavaScript off (axe just hangs).

    So axe checks a twin: a page in a JavaScript-enabled context with the same device settings,
    given the no-JS page's current HTML, with the site's own script withheld so it looks and
    behaves exactly as without JavaScript. Returns a function that loads the twin and returns it.
    """
    current = {"html": "", "twin": None}

    def serve(route):
        request = route.request
        if request.is_navigation_request():
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=current["html"])
        elif request.url.startswith(own) and request.resource_type != "script":
            route.continue_()
        else:
            route.fulfill(status=200, content_type="text/javascript", body="")

    def load():
        if current["twin"] is None:  # made on first use: many no-JS tests never run axe
            context = make_context()
            context.route("**/*", serve)
            current["twin"] = context.new_page()
        twin = current["twin"]
        current["html"] = page.content()
        twin.goto(page.url)
        assert not twin.evaluate("document.documentElement.classList.contains('js')"), "site.js ran"
        return twin

    return load


def assert_no_axe_violations(page) -> None:
    page = page.axe_view()
    # From the top: the sticky quick-exit bar covers whatever is scrolled under it, which axe would
    # report as an obscured target though a person scrolls it back into view.
    page.evaluate("window.scrollTo(0, 0)")
    results = _AXE.run(
        page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    )
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def console_errors(page) -> list[str]:
    """Console errors, except Chromium's note of a page's own 4xx status (404 page, 422 form errors)."""
    expected = {
        f"Failed to load resource: the server responded with a status of {status} @ {url}"
        for url, status in page.document_statuses
        if status >= 400
    }
    return [e for e in page.console_errors if re.sub(r" \([A-Z ]+\)|#.*$", "", e) not in expected]


def assert_touch_friendly(page) -> None:
    small = page.evaluate(SMALL_TARGETS_JS)
    assert small == [], f"{page.url}: tap targets under 44x44 CSS px: {small}"
    overflow = page.evaluate(HORIZONTAL_OVERFLOW_JS)
    assert overflow <= 0, f"{page.url}: scrolls sideways by {overflow}px"


class PageChecker:
    """Runs every check on the page in front of it and keeps a numbered full-page screenshot."""

    def __init__(self, page, folder: Path):
        self.page, self.folder, self.count = page, folder, 0
        self.visited: list[str] = []

    def __call__(self, name: str, axe: bool = True) -> None:
        page = self.page
        page.wait_for_load_state("load")
        self.count += 1
        self.visited.append(name)
        page.evaluate("window.scrollTo(0, 0)")  # else the sticky bar is drawn mid-page in the screenshot
        page.screenshot(path=self.folder / f"{self.count:02d}-{name}.png", full_page=True, scale="css")
        assert page.foreign_requests == [], f"requests left the app: {page.foreign_requests}"
        assert console_errors(page) == [], f"console errors on {page.url}: {console_errors(page)}"
        assert_touch_friendly(page)
        if axe:
            assert_no_axe_violations(page)


@pytest.fixture
def checker(artifacts):
    return lambda page: PageChecker(page, artifacts)
