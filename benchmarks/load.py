"""Many respondents at once, with faults: is every finished survey stored once, whole, and only once?

    .venv/bin/python benchmarks/load.py [--respondents 500] [--sqlite-respondents 50] [--workers 4]
                                        [--kill-worker] [--drop-connections] [--time-limit 900]

For PostgreSQL (a throw-away database on --server, created, migrated and dropped by this script)
and then for SQLite (a throw-away file), it serves the app with `gunicorn -w <workers>` on
127.0.0.1 and lets that many respondents take the whole young people's survey at the same moment,
each in its own thread with its own cookies, answering as tests/helpers.py's typical respondent does.
Each respondent writes a marker of their own into a free-text answer, so that afterwards the
database can be asked, respondent by respondent, how many responses of theirs it holds.

A respondent who gets a server error or a dropped connection waits a second and tries the same
step again, as a person would press reload, up to --retries times; every such error is counted.

Faults, while the respondents are mid-survey:
  --kill-worker       kill -9 one gunicorn worker (gunicorn starts a new one);
  --drop-connections  on PostgreSQL, end the app's database connections every second
                      (pg_terminate_backend), for the middle half of the run.

Then it prints, per database: respondents, those who saw the thank-you page, responses stored,
lost (a thank-you page with nothing stored), duplicated (a respondent stored twice), partial (a
response with fewer answers than a calm respondent's), 5xx and connection errors seen, and latency
(p50/p95/max of every request). Exits 1 when anything was lost, duplicated, partial or a 5xx was
seen; the server's error log (tracebacks) is printed then. All traffic goes to 127.0.0.1; every
process and database it made is removed at the end, also after a failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import signal
import statistics
import string
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from benchmarks.pages import Browser, Fetched, csrf_token, gunicorn, local_path, stop  # noqa: E402
from survey_app.db import make_engine, normalise_url  # noqa: E402
from survey_app.definitions import Item, load_file  # noqa: E402
from survey_app.migrate import upgrade  # noqa: E402
from survey_app.surveys.service import sync_files  # noqa: E402
from tests.helpers import typical_answer  # noqa: E402

QUESTIONNAIRES = ROOT / "questionnaires"
SLUG = "young-people"
DEFINITION = load_file(QUESTIONNAIRES / f"{SLUG}.yaml")


# --- One respondent -------------------------------------------------------------------------------


class GaveUp(Exception):
    """The respondent stopped: the same step kept failing, or the time limit came."""


@dataclass
class Tally:
    """What all respondents of one run saw, added up under a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    server_errors: int = 0
    connection_errors: int = 0
    errors_seen: Counter = field(default_factory=Counter)
    thanked: set[str] = field(default_factory=set)
    outcomes: Counter = field(default_factory=Counter)
    requests: int = 0


def answer_for(item: Item, marker: str) -> dict[str, object]:
    answer = typical_answer(item)
    if item.kind.control == "textarea":  # the marker that finds this respondent's response in the database
        answer[item.id] = f"More street lights near the park. Respondent {marker}."
    return answer


class Respondent:
    def __init__(self, port: int, marker: str, tally: Tally, deadline: float, retries: int, timeout: float):
        self.browser = Browser(port, timeout=timeout)
        self.marker, self.tally, self.deadline, self.retries = marker, tally, deadline, retries

    def send(self, method: str, path: str, form: dict | None = None) -> Fetched:
        """One step, tried again after a 5xx or a dropped connection, as a person would."""
        for _attempt in range(self.retries + 1):
            if time.monotonic() > self.deadline:
                raise GaveUp("time limit")
            began = time.monotonic()
            try:
                fetched = self.browser.request(method, path, form)
            except (OSError, http.client.HTTPException) as error:
                with self.tally.lock:
                    self.tally.connection_errors += 1
                    self.tally.errors_seen[f"{method} {_route(path)}: {type(error).__name__}"] += 1
                time.sleep(1)
                continue
            with self.tally.lock:
                self.tally.latencies.append(time.monotonic() - began)
                self.tally.requests += 1
                if fetched.status >= 500:
                    self.tally.server_errors += 1
                    self.tally.errors_seen[f"{method} {_route(path)}: HTTP {fetched.status}"] += 1
            if fetched.status < 500:
                return fetched
            time.sleep(1)
        raise GaveUp(f"{method} {path} kept failing")

    def take_survey(self) -> str:
        """Walk the survey from its start page to the thank-you page; returns how it ended."""
        start = self.send("GET", f"/s/{SLUG}/")
        moved = self.send("POST", f"/s/{SLUG}/start", {"csrf_token": csrf_token(start.text)})
        if moved.status not in (302, 303):
            return f"start: HTTP {moved.status}"
        path = local_path(moved.headers["Location"])
        for _step in range(2 * len(DEFINITION.pages)):  # bounded: a page shown again counts too
            shown = self.send("GET", path)
            if shown.status in (302, 303):  # e.g. the draft is gone after a step whose reply was lost
                path = local_path(shown.headers["Location"])
                if not re.fullmatch(rf"/s/{SLUG}/\d+", path):
                    return "sent back to the start page"
                continue
            if shown.status != 200:
                return f"page: HTTP {shown.status}"
            names = set(re.findall(r'name="([a-z][a-z0-9_]*)"', shown.text))
            page = next(
                (
                    p
                    for p in DEFINITION.pages
                    if any(key in names for item in p.items for key in item.answer_keys)
                ),
                None,
            )
            if page is None:
                return f"page without questions: {_title(shown.text)!r}"
            answers: dict[str, object] = {"csrf_token": csrf_token(shown.text), "action": "next"}
            for item in page.items:
                answers.update(answer_for(item, self.marker))
            sent = self.send("POST", path, answers)
            if sent.status in (302, 303):
                path = local_path(sent.headers["Location"])
                if path == f"/s/{SLUG}/check":
                    return self.send_from_check(path)
                if not re.fullmatch(rf"/s/{SLUG}/\d+", path):  # e.g. the answers were sent by a try
                    return "sent back to the start page"  # whose reply did not come in time
                continue
            return f"answers: HTTP {sent.status}, {_title(sent.text)!r}"
        return "did not reach the end"

    def send_from_check(self, path: str) -> str:
        """Open "Check your answers" and send from it; returns how it ended."""
        shown = self.send("GET", path)
        if shown.status != 200:
            return f"check page: HTTP {shown.status}"
        sent = self.send("POST", f"/s/{SLUG}/send", {"csrf_token": csrf_token(shown.text)})
        if sent.status == 200 and "Thank you" in _title(sent.text):
            shown_answers = self.marker in sent.text
            return "thank-you page" if shown_answers else "thank-you page without their answers"
        if sent.status in (302, 303):
            return f"sent: redirected to {local_path(sent.headers['Location'])}"
        return f"sent: HTTP {sent.status}, {_title(sent.text)!r}"


def _title(html: str) -> str:
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    return unescape(title.group(1)) if title else html[:80]


def _route(path: str) -> str:
    return re.sub(r"/\d+$", "/<step>", path)


def run_respondents(
    port: int, count: int, time_limit: float, retries: int, timeout: float, on_progress
) -> tuple[Tally, list[str], float]:
    tally = Tally()
    # Letters only: a run of digits in an answer is redacted as a phone number before it is stored.
    letters = string.ascii_lowercase
    markers = ["lt" + "".join(secrets.choice(letters) for _ in range(12)) for _ in range(count)]
    deadline = time.monotonic() + time_limit

    def one(marker: str) -> None:
        try:
            outcome = Respondent(port, marker, tally, deadline, retries, timeout).take_survey()
        except GaveUp as stopped:
            outcome = f"gave up ({stopped})"
        except Exception as error:  # a respondent's surprise is a result to report, not a dead thread
            outcome = f"stopped by {type(error).__name__}: {error}"
        with tally.lock:
            tally.outcomes[outcome] += 1
            if outcome.startswith("thank-you page"):  # told their answers were sent: they must be stored
                tally.thanked.add(marker)

    began = time.monotonic()
    threads = [threading.Thread(target=one, args=(marker,), daemon=True) for marker in markers]
    for thread in threads:
        thread.start()
    expected = count * (2 + 2 * len(DEFINITION.pages))
    while any(thread.is_alive() for thread in threads):
        on_progress(tally.requests / expected)
        time.sleep(0.2)
    return tally, markers, time.monotonic() - began


# --- Faults ---------------------------------------------------------------------------------------


def workers_of(master: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                children.append(int(entry.name))
    return children


class Faults:
    """Fires the chosen faults as the run passes given fractions of its expected requests."""

    def __init__(self, master: int, kill_worker: bool, database: str | None, admin_url: str | None):
        self.master, self.kill_worker = master, kill_worker
        self.database, self.admin_url = database, admin_url
        self.killed: list[int] = []
        self.terminated = 0
        self.last_drop = 0.0

    def on_progress(self, done: float) -> None:
        if self.kill_worker and not self.killed and done >= 0.3:
            victim = workers_of(self.master)[0]
            os.kill(victim, signal.SIGKILL)
            self.killed.append(victim)
        if self.database and 0.25 <= done <= 0.75 and time.monotonic() - self.last_drop >= 1:
            self.last_drop = time.monotonic()
            with psycopg.connect(self.admin_url, autocommit=True) as connection:
                ended = connection.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (self.database,),
                ).fetchall()
            self.terminated += sum(1 for (ok,) in ended if ok)


# --- Counting what was stored -----------------------------------------------------------------------


@dataclass
class Stored:
    per_marker: Counter
    answer_counts: Counter  # answers per response -> number of responses
    responses: int
    drafts_left: int


def count_stored(url: str) -> Stored:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            markers_of: dict[object, set[str]] = {}
            for response_id, answer in connection.execute(
                text("SELECT response_id, text FROM answer WHERE text LIKE '%Respondent lt%'")
            ):
                found = re.findall(r"Respondent (lt[a-z]+)", answer)
                markers_of.setdefault(response_id, set()).update(found)
            per_marker = Counter(marker for markers in markers_of.values() for marker in markers)
            answer_counts = Counter(
                n for (n,) in connection.execute(text("SELECT count(*) FROM answer GROUP BY response_id"))
            )
            responses = connection.execute(text("SELECT count(*) FROM response")).scalar_one()
            drafts = connection.execute(text("SELECT count(*) FROM draft")).scalar_one()
    finally:
        engine.dispose()
    return Stored(per_marker, answer_counts, responses, drafts)


# --- One database -----------------------------------------------------------------------------------


@dataclass
class Result:
    backend: str
    fault: str
    respondents: int
    thanked: int
    stored: int
    lost: int
    duplicated: int
    partial: int
    server_errors: int
    connection_errors: int
    p50: float
    p95: float
    slowest: float
    seconds: float
    notes: list[str]


def prepare(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        sync_files(session, [QUESTIONNAIRES])
    engine.dispose()


def exercise(
    backend: str, url: str, args, folder: Path, database: str | None = None, admin_url: str | None = None
) -> Result:
    log = folder / f"gunicorn-{backend}.log"
    server, port = gunicorn(
        "survey_app:create_app()",
        ROOT,
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "load-test-only",
            "PYTHONPATH": str(ROOT),
            "QUESTIONNAIRES_DIR": str(QUESTIONNAIRES),
        },
        workers=args.workers,
        log=log,
    )
    try:
        # One calm respondent first: what a whole response looks like, and every worker warmed up.
        calm, _, _ = run_respondents(port, 1, 120, 0, 60, lambda _done: None)
        if not calm.thanked:
            raise SystemExit(
                f"{backend}: a single respondent could not finish ({dict(calm.outcomes)}); see {log}"
            )
        whole = count_stored(url).answer_counts
        faults = Faults(server.pid, args.kill_worker, database if args.drop_connections else None, admin_url)
        count = args.respondents if backend == "postgresql" else args.sqlite_respondents
        tally, markers, seconds = run_respondents(
            port, count, args.time_limit, args.retries, args.timeout, faults.on_progress
        )
        time.sleep(1)  # let gunicorn notice a killed worker
        restarted = len(workers_of(server.pid))
    finally:
        stop(server)
    stored = count_stored(url)
    expected_answers = max(whole)
    thanked = tally.thanked
    per_marker = {marker: stored.per_marker.get(marker, 0) for marker in markers}
    notes = [f"{n} respondent(s): {outcome}" for outcome, n in sorted(tally.outcomes.items())]
    if faults.killed:
        notes.append(
            f"killed worker {faults.killed[0]} with SIGKILL; {restarted} of {args.workers} "
            "workers running afterwards"
        )
    if faults.database:
        notes.append(f"ended {faults.terminated} database connections with pg_terminate_backend")
    unthanked = sum(1 for m, n in per_marker.items() if n and m not in thanked)
    if unthanked:
        notes.append(f"{unthanked} response(s) stored for respondents who did not see the thank-you page")
    notes.append(f"{stored.responses} response(s) in the database in all, one of them the calm respondent's")
    notes.append(f"{stored.drafts_left} draft(s) left (unfinished respondents' drafts expire)")
    notes += [f"{n} x {error}" for error, n in tally.errors_seen.most_common()]
    latencies = sorted(tally.latencies) or [0.0]
    return Result(
        backend=backend,
        fault=_fault_name(args, backend),
        respondents=count,
        thanked=len(thanked),
        stored=sum(per_marker.values()),
        lost=sum(1 for m in thanked if per_marker[m] == 0),
        duplicated=sum(1 for n in per_marker.values() if n > 1),
        partial=sum(n for answers, n in stored.answer_counts.items() if answers < expected_answers),
        server_errors=tally.server_errors,
        connection_errors=tally.connection_errors,
        p50=statistics.median(latencies),
        p95=latencies[int(0.95 * (len(latencies) - 1))],
        slowest=latencies[-1],
        seconds=seconds,
        notes=notes,
    )


def _fault_name(args, backend: str) -> str:
    faults = ["kill -9 worker"] if args.kill_worker else []
    if args.drop_connections and backend == "postgresql":
        faults.append("connections dropped")
    return ", ".join(faults) or "none"


def on_postgresql(args, folder: Path) -> Result:
    server = make_url(normalise_url(args.server))
    name = f"insight_load_{secrets.token_hex(4)}"
    admin_url = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        prepare(url)
        return exercise("postgresql", url, args, folder, database=name, admin_url=admin_url)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def on_sqlite(args, folder: Path) -> Result:
    url = f"sqlite:///{folder / 'load.db'}"
    prepare(url)
    return exercise("sqlite", url, args, folder)


# --- Report -----------------------------------------------------------------------------------------


def print_results(results: list[Result], args) -> None:
    columns = (
        "database",
        "fault",
        "respondents",
        "thanked",
        "stored",
        "lost",
        "duplicated",
        "partial",
        "5xx",
        "conn. errors",
        "p50 s",
        "p95 s",
        "max s",
        "run s",
    )
    rows = [
        (
            r.backend,
            r.fault,
            r.respondents,
            r.thanked,
            r.stored,
            r.lost,
            r.duplicated,
            r.partial,
            r.server_errors,
            r.connection_errors,
            f"{r.p50:.2f}",
            f"{r.p95:.2f}",
            f"{r.slowest:.2f}",
            f"{r.seconds:.0f}",
        )
        for r in results
    ]
    widths = [max(len(str(c)), *(len(str(row[i])) for row in rows)) for i, c in enumerate(columns)]
    print(
        f"\ngunicorn -w {args.workers} (sync) on 127.0.0.1, young people's survey, "
        f"{len(DEFINITION.pages)} pages; retries per step {args.retries}"
    )
    print("  ".join(str(c).rjust(w) for c, w in zip(columns, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(v).rjust(w) for v, w in zip(row, widths, strict=True)))
    for r in results:
        print(f"\n{r.backend}:")
        for note in r.notes:
            print(f"  {note}")


def server_errors_logged(folder: Path) -> str:
    """The kinds of exception in the server logs, and the first traceback of each kind."""
    lines = []
    for log in sorted(folder.glob("gunicorn-*.log")):
        content = log.read_text(errors="replace")
        tracebacks = re.findall(
            r"^Traceback \(most recent call last\):\n(?:[ \t].*\n)+(?:\S.*\n?)", content, re.MULTILINE
        )
        first: dict[str, str] = {}
        kinds: Counter = Counter()
        for traceback in tracebacks:
            kind = traceback.rstrip().splitlines()[-1]
            kinds[kind] += 1
            first.setdefault(kind, traceback)
        if kinds:
            lines.append(f"{log.name}: {len(tracebacks)} traceback(s); by kind:")
            lines += [f"  {n} x {kind}" for kind, n in kinds.most_common()]
            lines.append("The first traceback of each kind:")
            lines += list(first.values())
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=500, help="on PostgreSQL (default 500)")
    parser.add_argument("--sqlite-respondents", type=int, default=50, help="on SQLite (default 50; 0 skips)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--kill-worker", action="store_true", help="kill -9 one worker mid-run")
    parser.add_argument(
        "--drop-connections",
        action="store_true",
        help="end the app's PostgreSQL connections every second mid-run",
    )
    parser.add_argument(
        "--retries", type=int, default=3, help="tries again per step after an error (default 3)"
    )
    parser.add_argument("--timeout", type=float, default=60, help="seconds a respondent waits for a reply")
    parser.add_argument("--time-limit", type=float, default=900, help="seconds per database (default 900)")
    parser.add_argument(
        "--server",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL server to make the throw-away database on; 'none' skips PostgreSQL",
    )
    args = parser.parse_args()
    # `kill` (SIGTERM) ends the run like Ctrl-C: the servers and the database are still removed.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if args.server != "none" and make_url(normalise_url(args.server)).host not in ("127.0.0.1", "localhost"):
        raise SystemExit("--server must be on this machine (127.0.0.1): this script sends nothing elsewhere")

    results = []
    with tempfile.TemporaryDirectory(prefix="insight-load-") as folder:
        folder = Path(folder)
        if args.server != "none" and args.respondents:
            results.append(on_postgresql(args, folder))
        if args.sqlite_respondents:
            results.append(on_sqlite(args, folder))
        print_results(results, args)
        failed = any(r.lost or r.duplicated or r.partial or r.server_errors for r in results)
        if failed:
            print("\n" + (server_errors_logged(folder) or "no exception in the server logs"))
    if failed:
        print("\nFAIL: something was lost, duplicated or partial, or a server error was seen.")
        return 1
    print("\nOK: every respondent who saw the thank-you page is stored exactly once, whole; no 5xx.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
