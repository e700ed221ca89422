"""Page weight and speed of the respondent pages, as a phone on a slow connection would feel them.

    .venv/bin/python benchmarks/pages.py [--requests 50000] [--seconds 10] [--threads 4] [--rounds 5]

Builds a throw-away SQLite database (migrate + sync, as the tests do), serves the app with gunicorn
(one sync worker, one thread, no access log) and, the same way, a bare Flask "hello world" app.
Then it reports:

(a) the bytes transferred (status line + headers + body, uncompressed) for every respondent page
    of both surveys: home, start page, every step, "Check your answers", the thank-you page, help and
    privacy, plus the stylesheet each page links and, listed separately, its script; against a
    budget of 30 KB for HTML + CSS per page (the aim is under 15 KB);
(b) requests per second for a survey page (GET /s/young-people/1 with a draft cookie) and for
    hello world, with the same client (keep-alive http.client connections from a few threads,
    bounded in count and time), and their ratio. The two are measured in alternating rounds, so
    that other work on a shared machine slows both alike.

All traffic goes to 127.0.0.1. Exits 1 if any page is over budget.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy.orm import Session  # noqa: E402

from survey_app.db import make_engine  # noqa: E402
from survey_app.definitions import load_file  # noqa: E402
from survey_app.migrate import upgrade  # noqa: E402
from survey_app.surveys.service import sync_files  # noqa: E402
from tests.helpers import current_page, page_answers  # noqa: E402

QUESTIONNAIRES = ROOT / "questionnaires"
SURVEYS = ("young-people", "community")
BUDGET = 30 * 1024
AIM = 15 * 1024
HOST = "127.0.0.1"

HELLO_WORLD = textwrap.dedent("""\
    from flask import Flask

    app = Flask(__name__)


    @app.get("/")
    def hello():
        return "Hello, World!"
""")


# --- Serving ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn(
    app_spec: str, chdir: Path, env: dict[str, str], workers: int = 1, log: Path | None = None
) -> tuple[subprocess.Popen, int]:
    """Start `gunicorn -w <workers> --threads 1` (sync workers) and wait until it answers; its log
    (errors and tracebacks) goes to `log` when given, else to this terminal."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(workers),
        "--threads",
        "1",
        "-b",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        "--chdir",
        str(chdir),
        app_spec,
    ]
    output = log.open("ab") if log else None
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=chdir, stdout=output, stderr=output)
    if output:
        output.close()  # the server holds its own copy
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn for {app_spec} exited with status {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"gunicorn for {app_spec} did not start within 30 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def build_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        sync_files(session, [QUESTIONNAIRES])
    engine.dispose()
    return url


# --- A tiny browser: one cookie jar, no redirects followed unless asked ---------------------------


@dataclass
class Fetched:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    header_bytes: int

    @property
    def transferred(self) -> int:
        return self.header_bytes + len(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Browser:
    port: int
    cookies: SimpleCookie = field(default_factory=SimpleCookie)
    timeout: float = 10

    def request(self, method: str, path: str, form: dict | None = None) -> Fetched:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        headers = {
            "Accept": "text/html,*/*",
            "Accept-Language": "en-GB,en;q=0.9",
            "Accept-Encoding": "identity",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or ():
            self.cookies.load(value)
        status_line = len(f"HTTP/1.1 {response.status} {response.reason}\r\n")
        header_bytes = status_line + sum(len(f"{k}: {v}\r\n") for k, v in response.headers.items()) + 2
        return Fetched(response.status, response.headers, data, header_bytes)

    def get(self, path: str) -> Fetched:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Fetched:
        return self.request("POST", path, form)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if not match:
        raise SystemExit("no CSRF token on the page")
    return match.group(1)


def local_path(location: str) -> str:
    return re.sub(r"^https?://[^/]+", "", location)


# --- (a) Page weight ----------------------------------------------------------------------------


@dataclass
class PageWeight:
    name: str
    html: int
    css: int
    js: int
    html_gzip: int

    @property
    def total(self) -> int:  # what the budget is about: the page and the stylesheet it needs
        return self.html + self.css


class Weigher:
    def __init__(self, port: int):
        self.port = port
        self.assets: dict[str, int] = {}
        self.pages: list[PageWeight] = []

    def asset(self, path: str) -> int:
        if path not in self.assets:
            fetched = Browser(self.port).get(path)
            if fetched.status != 200:
                raise SystemExit(f"{path}: HTTP {fetched.status}")
            self.assets[path] = fetched.transferred
        return self.assets[path]

    def record(self, name: str, fetched: Fetched) -> None:
        html = fetched.text
        styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        scripts = re.findall(r'<script[^>]* src="([^"]+)"', html)
        css = sum(self.asset(s.replace("&amp;", "&")) for s in styles)
        js = sum(self.asset(s.replace("&amp;", "&")) for s in scripts)
        self.pages.append(PageWeight(name, fetched.transferred, css, js, len(gzip.compress(fetched.body))))


def weigh_survey(weigher: Weigher, slug: str) -> None:
    """Walk one survey with typical answers and send them, weighing every page on the way."""
    definitions = {d.slug: d for d in map(load_file, sorted(QUESTIONNAIRES.glob("*.yaml")))}
    definition = definitions[slug]
    browser = Browser(weigher.port)
    start = browser.get(f"/s/{slug}/")
    weigher.record(f"{slug}: start", start)
    moved = browser.post(f"/s/{slug}/start", {"csrf_token": csrf_token(start.text)})
    path = local_path(moved.headers["Location"])
    for number in range(1, len(definition.pages) + 1):
        if path.endswith("/check"):
            break
        shown = browser.get(path)
        if shown.status != 200:
            raise SystemExit(f"{path}: HTTP {shown.status}")
        # Pages an answer makes not apply are skipped: the page on screen is found by its fields.
        page = current_page(definition, shown.text)
        weigher.record(f"{slug}: step {number} ({page.id})", shown)
        token = csrf_token(shown.text)
        if number == 1:  # the error state, as someone who taps Continue without answering sees it
            errors = browser.post(path, {"csrf_token": token, "action": "next"})
            weigher.record(f"{slug}: step 1, errors", errors)
        sent = browser.post(path, {"csrf_token": token, "action": "next", **page_answers(page)})
        if sent.status not in (302, 303):
            raise SystemExit(f"{path}: HTTP {sent.status} after answering")
        path = local_path(sent.headers["Location"])
    check = browser.get(path)
    if check.status != 200 or "Send my answers" not in check.text:
        raise SystemExit(f"{slug}: HTTP {check.status} at {path}, not the check page, after the last step")
    weigher.record(f"{slug}: check your answers", check)
    sent = browser.post(f"/s/{slug}/send", {"csrf_token": csrf_token(check.text)})
    if sent.status != 200 or "Thank you" not in sent.text:
        raise SystemExit(f"{slug}: HTTP {sent.status} after sending")
    weigher.record(f"{slug}: thank you", sent)


# --- (b) Requests per second ----------------------------------------------------------------------


def warm_up(port: int, path: str, headers: dict[str, str]) -> None:
    """Imports, template compilation, caches, the database connection: none of it is measured."""
    for _ in range(50):
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        connection.request("GET", path, headers=headers)
        connection.getresponse().read()
        connection.close()


def run_requests(
    port: int, path: str, headers: dict[str, str], total: int, seconds: float, threads: int
) -> tuple[int, float]:
    """GET `path` until `total` requests are done or `seconds` pass; returns (done, elapsed)."""
    lock = threading.Lock()
    state = {"started": 0, "done": 0, "failed": None}
    deadline = time.monotonic() + seconds

    def worker() -> None:
        # Keep-alive when the server allows it; http.client reconnects when it closes the connection
        # (gunicorn's sync worker does after each response, for both apps alike).
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        try:
            while True:
                with lock:
                    if state["started"] >= total or time.monotonic() >= deadline or state["failed"]:
                        return
                    state["started"] += 1
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    state["failed"] = f"{path}: HTTP {response.status}"
                    return
                with lock:
                    state["done"] += 1
        finally:
            connection.close()

    began = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - began
    if state["failed"]:
        raise SystemExit(state["failed"])
    return state["done"], elapsed


@dataclass
class Rate:
    done: int = 0
    elapsed: float = 0.0

    def add(self, measured: tuple[int, float]) -> None:
        self.done += measured[0]
        self.elapsed += measured[1]

    @property
    def per_second(self) -> float:
        return self.done / self.elapsed


def compare(
    targets: list[tuple[int, str, dict[str, str]]], total: int, seconds: float, threads: int, rounds: int
) -> list[Rate]:
    """Requests per second for each target, measured in alternating rounds of equal length
    (A B A B ...), so that other work on a shared machine slows every target alike instead of
    skewing the ratio."""
    for port, path, headers in targets:
        warm_up(port, path, headers)
    rates = [Rate() for _ in targets]
    for _ in range(rounds):
        for rate, (port, path, headers) in zip(rates, targets, strict=True):
            rate.add(run_requests(port, path, headers, max(1, total // rounds), seconds / rounds, threads))
    return rates


# --- Report ---------------------------------------------------------------------------------------


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def print_weights(weigher: Weigher) -> bool:
    name_width = max(len(p.name) for p in weigher.pages)
    head = (
        f"{'page':<{name_width}}  {'HTML':>7}  {'CSS':>6}  {'HTML+CSS':>8}  {'JS':>6}  "
        f"{'all':>6}  {'HTML gz':>7}  budget"
    )
    print("(a) Transferred bytes per page, KB (1 KB = 1024 bytes; headers included, uncompressed)")
    print(head)
    print("-" * len(head))
    over = False
    for p in weigher.pages:
        verdict = "OVER" if p.total > BUDGET else ("ok" if p.total <= AIM else "ok (above 15 KB aim)")
        over |= p.total > BUDGET
        print(
            f"{p.name:<{name_width}}  {kb(p.html):>7}  {kb(p.css):>6}  {kb(p.total):>8}  {kb(p.js):>6}  "
            f"{kb(p.total + p.js):>6}  {kb(p.html_gzip):>7}  {verdict}"
        )
    print("-" * len(head))
    heaviest = max(weigher.pages, key=lambda p: p.total)
    print(
        f"Heaviest: {heaviest.name}, {kb(heaviest.total)} KB HTML+CSS "
        f"(budget {kb(BUDGET)} KB, aim {kb(AIM)} KB)."
    )
    print("Assets (cached by the browser after the first page, counted on every page above):")
    for path, size in weigher.assets.items():
        print(f"  {path}: {size} bytes")
    return over


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests",
        type=int,
        default=50000,
        help="requests per app at most (default 50000: the time limit decides)",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per app (default 10)")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="alternating rounds the requests and time are split into (default 5)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="insight-bench-") as folder:
        folder = Path(folder)
        database_url = build_database(folder)
        (folder / "hello_world.py").write_text(HELLO_WORLD)
        app, app_port = gunicorn(
            "survey_app:create_app()",
            ROOT,
            {
                "DATABASE_URL": database_url,
                "SECRET_KEY": "benchmark-only",
                "PYTHONPATH": str(ROOT),
                "QUESTIONNAIRES_DIR": str(QUESTIONNAIRES),
            },
        )
        hello, hello_port = gunicorn("hello_world:app", folder, {})
        try:
            weigher = Weigher(app_port)
            weigher.record("home", Browser(app_port).get("/"))
            for slug in SURVEYS:
                weigh_survey(weigher, slug)
            weigher.record("help", Browser(app_port).get("/help"))
            weigher.record("privacy", Browser(app_port).get("/privacy"))
            over = print_weights(weigher)

            # A fresh draft: the young-people walk above sent its answers, which ended that draft.
            browser = Browser(app_port)
            start = browser.get("/s/young-people/")
            browser.post("/s/young-people/start", {"csrf_token": csrf_token(start.text)})
            cookie = "; ".join(f"{k}={m.value}" for k, m in browser.cookies.items())
            page_headers = {"Cookie": cookie, "Accept": "text/html"}
            if "Step 1 of" not in browser.get("/s/young-people/1").text:
                raise SystemExit("the draft cookie does not open the survey page")
            print()
            print(
                f"(b) Requests per second: gunicorn -w 1 --threads 1, {args.threads} client threads, "
                f"at most {args.requests} requests or {args.seconds:g} s each, "
                f"in {args.rounds} alternating rounds"
            )
            survey, plain = compare(
                [(app_port, "/s/young-people/1", page_headers), (hello_port, "/", {"Accept": "text/html"})],
                args.requests,
                args.seconds,
                args.threads,
                args.rounds,
            )
            print(
                f"  GET /s/young-people/1 (draft cookie): {survey.per_second:8.1f} req/s "
                f"({survey.done} requests in {survey.elapsed:.1f} s)"
            )
            print(
                f"  GET / (Flask hello world):            {plain.per_second:8.1f} req/s "
                f"({plain.done} requests in {plain.elapsed:.1f} s)"
            )
            print(
                f"  Survey page / hello world: {survey.per_second / plain.per_second:.3f} "
                f"(hello world is {plain.per_second / survey.per_second:.1f}x faster)"
            )
        finally:
            stop(app)
            stop(hello)
    if over:
        print(f"\nFAIL: at least one page is over the {kb(BUDGET)} KB budget.")
        return 1
    print(f"\nOK: every page is within the {kb(BUDGET)} KB budget.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
