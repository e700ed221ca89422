"""Measure what staff wait for at the scale of a real VRN: demo data, the dashboard, the exports,
``insight analyse`` and ``insight report sna``, with their time and peak memory.

    .venv/bin/python benchmarks/scale.py                        # 5,000 and 50,000 responses
    .venv/bin/python benchmarks/scale.py --sizes 5000 50000 500000
    .venv/bin/python benchmarks/scale.py --database-url sqlite:////tmp/scale.db --sizes 5000
    .venv/bin/python benchmarks/scale.py --dashboard-only --filled --sizes 50000 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/dash50k

For each size a throw-away database is made (PostgreSQL on 127.0.0.1:5432 by default, dropped at
the end; or the SQLite file given), migrated and synced, and filled with ``insight demo-data`` for
the young people's survey. Each measurement then runs in a process of its own, so its peak memory
(maximum resident set size) is its own: the counting a worker started by gunicorn does in the
background (``WARM_DASHBOARD``), then the dashboard's first view, a view with a new filter,
another question's crosstab, and the first view again once one more response has arrived, through
the web app (an analyst logged in, the Flask test client: the same code a browser's request runs,
without the network); the CSV, SPSS, XLSX and publication-table exports, ``insight analyse``
and ``insight report sna`` (HTML and PDF). An export is timed until its whole file has been read:
the CSV as it is sent, the others through the page that waits for a file made in the background;
"longest request" is the most any one request took, which must stay well inside gunicorn's 30
second timeout. Times are wall-clock seconds on a machine that may be shared: read them as one
run's figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURVEY = "young-people"
ANALYST = "analyst@example.org"
PASSWORD = "a long benchmark passphrase"
EXPORTS = ("csv", "sav", "xlsx")
DASHBOARD = f"/staff/surveys/{SURVEY}/dashboard?wave=demo"
FILTERED = DASHBOARD + "&area=leicester&question=safe_area_dark&breakdown=age_band"
#: Another question's crosstab under the same filters.
ANOTHER = DASHBOARD + "&area=leicester&question=safe_bus&breakdown=language"
#: The link on the page that waits for an export made in the background, once the file is ready.
READY_LINK = re.compile(r'href="([^"]+/download)"')


def _cli(*args: str, env: dict[str, str]) -> tuple[float, float]:
    """Run ``insight`` with ``args`` in a process of its own: its wall-clock seconds and peak MB."""
    with tempfile.NamedTemporaryFile("r") as peak:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--cli", peak.name, *args],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - start
        return seconds, float(peak.read())


def _run_cli(peak_file: str, args: list[str]) -> None:
    """In this process: ``insight ARGS``, then write this process's peak memory in MB."""
    from survey_app.cli import main

    try:
        main(args, standalone_mode=False)
    finally:
        Path(peak_file).write_text(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _measure_in_child(name: str, env: dict[str, str]) -> dict:
    """Run one measurement (``--measure NAME``) in a new process: its time and peak memory."""
    result = subprocess.run(
        [sys.executable, __file__, "--measure", name],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _fetch(client, url: str) -> tuple[bytes, list[float]]:
    """GET ``url`` and read the whole reply, following the page that waits for an export made in
    the background until it links to the file: the file, and how long each request took."""
    seconds = []
    while True:
        start = time.perf_counter()
        reply = client.get(url)
        body = reply.data
        seconds.append(time.perf_counter() - start)
        if reply.status_code == 303:
            url = reply.headers["Location"]
            continue
        if reply.status_code != 200:
            raise SystemExit(f"{url} answered {reply.status_code}")
        if "/exports/prepared/" not in url or url.endswith("/download"):
            return body, seconds
        page = reply.get_data(as_text=True)
        if ready := READY_LINK.search(page):
            url = ready.group(1)
        elif 'http-equiv="refresh"' in page:
            time.sleep(1)
        else:
            raise SystemExit(f"{url}: the export could not be made")


def _web_measurement(name: str) -> dict:
    """In this process: log in as an analyst and time the requests a measurement names."""
    from survey_app import create_app
    from survey_app.accounts import create_user
    from survey_app.db import db_session

    app = create_app(
        {
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "SECRET_KEY": "benchmark",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )
    email = f"{secrets.token_hex(4)}-{ANALYST}"
    with app.app_context():
        create_user(db_session(), email, PASSWORD, "analyst")
    client = app.test_client()
    client.post("/staff/login", data={"email": email, "password": PASSWORD})
    urls = {
        "dashboard": [DASHBOARD, FILTERED],
        "tables": [f"/staff/surveys/{SURVEY}/exports/tables.xlsx?wave=demo"],
    }
    urls.update(
        {f"export-{fmt}": [f"/staff/surveys/{SURVEY}/exports/responses.{fmt}?wave=demo"] for fmt in EXPORTS}
    )
    seconds, longest = [], 0.0

    def timed(urls: list[str]) -> None:
        nonlocal longest
        for url in urls:
            start = time.perf_counter()
            _, requests = _fetch(client, url)
            seconds.append(time.perf_counter() - start)
            longest = max(longest, *requests)

    if name == "dashboard":
        # As gunicorn starts a worker (wsgi.py): the counts made in the background, before anyone asks.
        from survey_app.staff.dashboard.service import warm_in_background

        start = time.perf_counter()
        warm_in_background(app).join()
        seconds.append(time.perf_counter() - start)
    timed(urls[name])
    if name == "dashboard":
        # During fieldwork responses keep coming: the first view again, once one more has arrived.
        from survey_app.demo import add_demo_responses

        timed([ANOTHER])
        with app.app_context():
            add_demo_responses(db_session(), SURVEY, 1, seed=secrets.randbelow(10**6))
        timed([DASHBOARD])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "longest_request": longest, "peak_mb": peak}


def run(
    size: int, url: str, filled: bool = False, dashboard_only: bool = False
) -> list[tuple[str, str, str, str]]:
    env = {**os.environ, "DATABASE_URL": url}
    rows = []
    if not filled:
        _cli("db", "upgrade", env=env)
        _cli("questionnaires", "sync", env=env)
        seconds, peak = _cli("demo-data", "--survey", SURVEY, "--responses", str(size), env=env)
        rows.append(("demo-data", f"{seconds:.1f}", "", f"{peak:.0f}"))
        _gather_statistics(url)
    dashboard = _measure_in_child("dashboard", env)
    views = (
        "counting as a worker starts (in the background)",
        "first view",
        "new filter",
        "another question",
        "first view after one new response",
    )
    for n, (view, seconds) in enumerate(zip(views, dashboard["seconds"], strict=True)):
        peak = f"{dashboard['peak_mb']:.0f}" if n == 0 else ""
        rows.append((f"dashboard, {view}", f"{seconds:.2f}", f"{seconds:.2f}" if n else "", peak))
    if dashboard_only:
        return rows
    for name in (*(f"export-{fmt}" for fmt in EXPORTS), "tables"):
        measured = _measure_in_child(name, env)
        seconds, longest, peak = measured["seconds"][0], measured["longest_request"], measured["peak_mb"]
        rows.append((name, f"{seconds:.1f}", f"{longest:.1f}", f"{peak:.0f}"))
    with tempfile.TemporaryDirectory() as out:
        for label, args in (
            ("insight analyse", ("analyse", "--survey", SURVEY, "--wave", "demo", "--output", out)),
            (
                "insight report sna",
                ("report", "sna", "--wave", "demo", "--output", out, "--format", "html,pdf"),
            ),
        ):
            seconds, peak = _cli(*args, env=env)
            rows.append((label, f"{seconds:.1f}", "", f"{peak:.0f}"))
    return rows


def _gather_statistics(url: str) -> None:
    """PostgreSQL's planner statistics for the rows just added, as autovacuum gathers them soon after
    a bulk load on a production server (a test server may run without autovacuum); without them the
    planner reads whole tables where an index finds a batch of responses."""
    from survey_app.db import normalise_url

    if make_url(normalise_url(url)).get_backend_name() == "postgresql":
        engine = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
        engine.dispose()


def _server_database(server: str) -> tuple[str, object]:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"insight_scale_{secrets.token_hex(4)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(server).set(database=name).render_as_string(hide_password=False), (admin, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument(
        "--server",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
        help="a PostgreSQL server on which to create throw-away databases",
    )
    parser.add_argument("--database-url", help="use this (empty) database instead, e.g. an SQLite file")
    parser.add_argument(
        "--filled",
        action="store_true",
        help="the --database-url database already holds the demo data: measure it as it is",
    )
    parser.add_argument("--dashboard-only", action="store_true", help="measure the dashboard alone")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--cli", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.cli:
        _run_cli(arguments.cli[0], arguments.cli[1:])
        return
    if arguments.measure:
        print(json.dumps(_web_measurement(arguments.measure)))
        return
    print("| responses | what | seconds | longest request | peak MB |\n| ---: | --- | ---: | ---: | ---: |")
    for size in arguments.sizes:
        drop = None
        url = arguments.database_url
        if url is None:
            url, drop = _server_database(arguments.server)
        try:
            for what, seconds, longest, peak in run(size, url, arguments.filled, arguments.dashboard_only):
                print(f"| {size:,} | {what} | {seconds} | {longest} | {peak} |", flush=True)
        finally:
            if drop is not None:
                admin, name = drop
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
