"""What the database files hold after people answer: read as raw bytes, not through the tables.

On SQLite that is every file of the database (main file, journal, WAL); on PostgreSQL every page
of every table, index and TOAST table of the database, dead row versions included, read with
pageinspect's get_raw_page.
"""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from scipy.stats import spearmanr
from sqlalchemy import create_engine, event, func, select, text

from survey_app import create_app
from survey_app.cli import main
from survey_app.db import db_session
from survey_app.models import AccessCode, Answer, Channel, Response
from survey_app.responses.waiting import waiting_count
from tests.conftest import QUESTIONNAIRES
from tests.helpers import Respondent, csrf_token, draft_token
from tests.test_staff_access import signed_in
from tests.test_staff_channels import add_channel
from tests.test_staff_surveys import post


def database_bytes(app) -> dict[str, bytes]:
    """{file or relation: its raw bytes} for everything the database keeps."""
    engine = app.extensions["db_engine"]
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database)
        return {file.name: file.read_bytes() for file in path.parent.glob(path.name + "*")}
    pages: dict[str, bytes] = {}
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pageinspect")
        relations = connection.execute(
            text(
                "SELECT c.oid::regclass::text, pg_relation_size(c.oid) / current_setting('block_size')::int"
                " FROM pg_class c WHERE c.relkind IN ('r', 'i', 't')"
                " AND (c.relnamespace = 'public'::regnamespace"
                " OR c.oid IN (SELECT reltoastrelid FROM pg_class"
                " WHERE relnamespace = 'public'::regnamespace)"
                " OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN"
                "  (SELECT reltoastrelid FROM pg_class WHERE relnamespace = 'public'::regnamespace)))"
            )
        ).all()
        for name, blocks in relations:
            pages[name] = b"".join(
                connection.execute(
                    text("SELECT get_raw_page(:name, :block)"), {"name": name, "block": block}
                ).scalar()
                for block in range(blocks)
            )
        connection.commit()
    return pages


def where(raw: dict[str, bytes], needle: str) -> dict[str, int]:
    """{file or relation: how many times the text occurs in it}."""
    found = {name: content.count(needle.encode()) for name, content in raw.items()}
    return {name: n for name, n in found.items() if n}


def closed_group(app) -> tuple[str, str]:
    add_channel(signed_in(app, "admin"), name="Class 10B", requires_code="y", codes="1")
    with app.app_context():
        key = db_session().scalar(select(Channel.key).where(Channel.name == "Class 10B"))
        code = db_session().scalar(select(AccessCode.code))
    return key, code


def test_after_a_survey_with_an_access_code_no_copy_links_the_answers_to_it(app):
    key, code = closed_group(app)
    before = database_bytes(app)
    respondent = Respondent(app.test_client())
    respondent.start("kitchen-sink", key, code)
    token = draft_token(respondent.client, "kitchen-sink")
    story = "Biscuit the tortoise sleeps under the lantern by the canal"
    # Back and forth, so the draft is rewritten many times before it is sent.
    respondent.answer(
        "kitchen-sink", {"pet": "yes", "pet_count": "3", "snacks": ["fruit"]}, follow_redirects=True
    )
    respondent.answer(
        "kitchen-sink",
        {"mood_school": "bad", "mood_home": "good", "nickname": "Juniper"},
        follow_redirects=True,
    )
    respondent.answer("kitchen-sink", {"pet_story": story}, action="back", follow_redirects=True)
    respondent.answer(
        "kitchen-sink",
        {"mood_school": "bad", "mood_home": "good", "nickname": "Juniper"},
        follow_redirects=True,
    )
    respondent.answer("kitchen-sink", {"pet_story": story}, follow_redirects=True)
    respondent.send("kitchen-sink")
    assert "Your answers have been sent" in respondent.html
    assert respondent.html.count('href="/you-said-we-did/"') == 2, "in the page and in the footer"
    with app.app_context():
        assert db_session().scalar(select(Response.channel_type)) == "school"
    after = database_bytes(app)

    token_hash = hashlib.sha256(token.encode()).hexdigest()
    if app.extensions["db_engine"].dialect.name == "sqlite":
        assert set(after) == {"insight.db"}, "no journal or WAL is left beside the database"
        assert where(after, token) == {} and where(after, token_hash) == {}
        # The code and the link are where staff put them, and nowhere else: no copy was added.
        assert where(after, code) == where(before, code)
        assert where(after, key) == where(before, key)
        # What was answered is stored once, in the response: no draft copy of it survives.
        assert where(after, story) == {"insight.db": 1}
        assert where(after, "Juniper") == {"insight.db": 1}
    else:
        assert where(after, token) == {}
        # Dead versions of the draft row may keep its random hash until VACUUM; they hold nothing else.
        assert set(where(after, token_hash)) <= {"draft", "pk_draft"}
        assert set(where(after, code)) <= {"access_code", "pk_access_code"}
        assert set(where(after, key)) <= {"channel", "uq_channel_key"}
        assert set(where(after, story)) == {"answer"}
        assert set(where(after, "Juniper")) == {"answer"}
        for plain in (b"answers", b"pet_count", b"channel_id", b"expires_at", b"Juniper"):
            assert plain not in after["draft"], "a draft's content is sealed in every copy of the row"
    assert date_times(after) == date_times(before), "answering wrote no date or time anywhere"


def date_times(raw: dict[str, bytes]) -> set[bytes]:
    return {stamp for content in raw.values() for stamp in re.findall(rb"20\d\d-\d\d-\d\d[T ]\d\d", content)}


def send_numbered(app, count: int) -> None:
    """``count`` responses, one after another, each telling its number in its free text."""
    for number in range(count):
        respondent = Respondent(app.test_client())
        respondent.start("kitchen-sink")
        respondent.answer(
            "kitchen-sink",
            {"pet": "yes", "pet_count": "2", "snacks": ["fruit", "crisps"]},
            follow_redirects=True,
        )
        respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "bad"}, follow_redirects=True)
        respondent.answer(
            "kitchen-sink", {"pet_story": f"Story number {number} about lanterns"}, follow_redirects=True
        )
        respondent.send("kitchen-sink")
        assert "Your answers have been sent" in respondent.html


def stored_orders(app) -> dict[str, list[tuple[int, object]]]:
    """{an order the database can give: [(response number, its place in that order)]}."""
    engine = app.extensions["db_engine"]
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        number = {
            row.response_id: int(row.text.split()[2])
            for row in connection.execute(
                text("SELECT response_id, text FROM answer WHERE text LIKE 'Story number %'")
            )
        }
        version = connection.scalar(text("SELECT version_id FROM response LIMIT 1"))
        if not sqlite:
            connection.exec_driver_sql("SET enable_seqscan = off")
        queries = {
            "response as stored": "SELECT id FROM response",
            "response by id": "SELECT id FROM response ORDER BY id",
            "response by version index": (
                "SELECT id FROM response INDEXED BY ix_response_version_id WHERE version_id = :v"
            )
            if sqlite
            else "SELECT id FROM response WHERE version_id = :v ORDER BY version_id",
            "response by wave index": (
                "SELECT id FROM response INDEXED BY ix_response_wave_id WHERE wave_id IS NULL"
            )
            if sqlite
            else "SELECT id FROM response WHERE wave_id IS NULL ORDER BY wave_id",
            "answers as stored": "SELECT response_id FROM answer",
            "choices as stored": "SELECT response_id FROM answer_choice",
        }
        orders = {}
        for name, query in queries.items():
            ids = list(dict.fromkeys(connection.execute(text(query), {"v": version}).scalars()))
            orders[name] = [(number[i], place) for place, i in enumerate(ids)]
        if not sqlite:
            tables = (("response", "id"), ("answer", "response_id"), ("answer_choice", "response_id"))
            for table, column in tables:
                for system in ("ctid", "xmin"):
                    rows = connection.execute(text(f"SELECT {column}, {system}::text FROM {table}")).all()
                    first: dict = {}
                    for i, value in rows:
                        first[i] = min(first.get(i, place(value)), place(value))
                    orders[f"{table} by {system}"] = [(number[i], value) for i, value in first.items()]
        connection.rollback()
    raw = database_bytes(app)
    content = raw["insight.db"] if sqlite else raw["answer"]
    orders["answer text in the raw pages"] = [
        (n, content.index(f"Story number {n} about".encode())) for n in sorted(number.values())
    ]
    return orders


def place(system_value: str) -> int:
    """A row's ctid "(block,item)" or xmin as one number that sorts the same way."""
    block, _, item = system_value.strip("()").partition(",")
    return int(block) * 100_000 + int(item or 0)


def test_no_order_the_database_gives_tells_the_order_of_submission(app, database_url):
    count, batch = 60, 10
    app.config["RESPONSE_BATCH"] = batch
    send_numbered(app, count)
    with app.app_context():
        if app.extensions["db_engine"].dialect.name == "sqlite":
            with pytest.raises(Exception, match="rowid"):
                db_session().execute(text("SELECT rowid FROM response"))
    # Before the nightly shuffle: each batch of ten went in at once, in no order.
    orders = stored_orders(app)
    for name, placed in orders.items():
        assert sorted(n for n, _ in placed) == list(range(count)), name
        if name.endswith("by xmin"):
            # One transaction per batch: its place says which batch, nothing about order within it.
            assert len({place for _, place in placed}) == count // batch, name
            continue
        within = [(n % batch, rank) for n, rank in ranks_within_batches(placed, batch)]
        correlation = spearmanr(*zip(*within, strict=True)).statistic
        assert abs(correlation) < 0.5, (
            f"{name}: Spearman {correlation:.2f} within batches, before the shuffle"
        )
    result = CliRunner().invoke(
        main, ["db", "shuffle-responses"], env={"DATABASE_URL": database_url, "SECRET_KEY": "test-secret"}
    )
    assert result.exit_code == 0, result.output
    assert f"0 responses added from waiting; {count} responses rewritten" in result.output, result.output
    # After it: no order at all, across the whole month.
    for name, placed in stored_orders(app).items():
        assert sorted(n for n, _ in placed) == list(range(count)), name
        places = [place for _, place in placed]
        if len(set(places)) == 1:
            continue  # one value for all: no order at all
        correlation = spearmanr([n for n, _ in placed], places).statistic
        # A random order of 60 has a standard deviation of about 0.13.
        assert abs(correlation) < 0.5, f"{name}: Spearman {correlation:.2f} with the order of submission"


def ranks_within_batches(placed: list[tuple[int, object]], batch: int) -> list[tuple[int, int]]:
    """[(response number, its rank among the responses of its batch, by place)]."""
    ranked = []
    for start in range(0, len(placed), batch):
        members = sorted((place, n) for n, place in placed if start <= n < start + batch)
        ranked += [(n, rank) for rank, (_, n) in enumerate(members)]
    return ranked


def counts(app) -> tuple[int, int]:
    """(responses in the response tables, responses waiting)."""
    with app.app_context():
        return db_session().scalar(select(func.count()).select_from(Response)), waiting_count(db_session())


def test_responses_wait_sealed_until_their_batch_is_complete(app):
    app.config["RESPONSE_BATCH"] = 10
    send_numbered(app, 13)
    assert counts(app) == (10, 3)
    raw = database_bytes(app)
    for number in (10, 11, 12):
        assert where(raw, f"Story number {number} about") == {}, "a waiting response is sealed"
    assert where(raw, "Story number 9 about")
    # The thank-you page showed what is kept, before the response joined the tables.
    respondent = Respondent(app.test_client())
    respondent.start("kitchen-sink")
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["crisps"]}, follow_redirects=True)
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "bad"}, follow_redirects=True)
    respondent.send("kitchen-sink")
    assert "See exactly what we stored" in respondent.html and "Crisps" in respondent.html
    assert counts(app) == (10, 4)


def test_a_response_flagged_for_safeguarding_is_not_held_back(app):
    app.config["RESPONSE_BATCH"] = 10
    send_numbered(app, 3)
    respondent = Respondent(app.test_client())
    respondent.start("kitchen-sink")
    respondent.answer(
        "kitchen-sink", {"pet": "yes", "pet_count": "1", "snacks": ["fruit"]}, follow_redirects=True
    )
    respondent.answer("kitchen-sink", {"mood_school": "bad", "mood_home": "bad"}, follow_redirects=True)
    respondent.answer(
        "kitchen-sink", {"pet_story": "my stepdad hits me when he is drunk"}, follow_redirects=True
    )
    respondent.send("kitchen-sink")
    # It joins the tables at once, with the three waiting beside it: hidden among them.
    assert counts(app) == (4, 0)
    with app.app_context():
        assert db_session().scalar(select(func.count()).select_from(Answer).where(Answer.safeguarding)) == 1


def test_closing_a_survey_and_the_nightly_command_add_what_is_waiting(app, database_url):
    app.config["RESPONSE_BATCH"] = 10
    send_numbered(app, 2)
    staff = signed_in(app, "admin")
    waiting = "Some sent responses are waiting to join the figures on this page"
    assert waiting in staff.get("/staff/surveys/kitchen-sink/dashboard").get_data(as_text=True)
    assert post(staff, "/staff/surveys/kitchen-sink/status", {"open": "0"}).status_code == 302
    assert waiting not in staff.get("/staff/surveys/kitchen-sink/dashboard").get_data(as_text=True)
    assert counts(app) == (2, 0)
    post(staff, "/staff/surveys/kitchen-sink/status", {"open": "1"})
    send_numbered(app, 1)
    assert counts(app) == (2, 1)
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "test-secret"}
    result = CliRunner().invoke(main, ["db", "release-responses"], env=env)
    assert result.exit_code == 0 and result.output == "1 response added from waiting, in random order\n"
    assert counts(app) == (3, 0)


def test_responses_waiting_under_another_secret_key_are_kept_and_the_way_back_is_named(app, database_url):
    app.config["RESPONSE_BATCH"] = 10
    send_numbered(app, 2)
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "another-secret"}
    result = CliRunner().invoke(main, ["db", "release-responses"], env=env)
    assert result.exit_code != 0
    assert "sealed under another SECRET_KEY: set SECRET_KEY back" in result.output
    doctor = CliRunner().invoke(main, ["doctor"], env=env)
    assert "2 waiting responses were sealed under another SECRET_KEY" in doctor.output
    assert counts(app) == (0, 2), "nothing is lost"
    result = CliRunner().invoke(main, ["db", "release-responses"], env={**env, "SECRET_KEY": "test-secret"})
    assert result.exit_code == 0 and counts(app) == (2, 0)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_responses_sent_at_once_from_many_workers_are_each_added_once(app, database_url):
    respondents = [on_check_page(app) for _ in range(12)]
    workers = worker_apps(database_url, 4, RESPONSE_BATCH=4)

    def press_send(n: int, client) -> int:
        client.set_cookie("insight", respondents[n].client.get_cookie("insight").value)
        return client.post(
            "/s/kitchen-sink/send", data={"csrf_token": csrf_token(respondents[n].html)}
        ).status_code

    replies = sent_at_once(workers, len(respondents), press_send)
    assert replies == [200] * len(respondents)
    stored, waiting = counts(app)
    assert stored + waiting == len(respondents) and stored >= 4
    result = CliRunner().invoke(
        main, ["db", "release-responses"], env={"DATABASE_URL": database_url, "SECRET_KEY": "test-secret"}
    )
    assert result.exit_code == 0 and counts(app) == (len(respondents), 0)


def worker_apps(database_url: str, count: int, **settings) -> list:
    """``count`` apps on the test database, each with connections of its own, like web workers."""
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "QUESTIONNAIRES_DIR": str(QUESTIONNAIRES),
    }
    return [create_app({**config, **settings}) for _ in range(count)]


def sent_at_once(workers: list, count: int, press) -> list:
    """``press(n, client)`` for n in 0..count-1, each in a thread of its own on worker n (round the
    workers), all let go at one moment; their replies in order. The workers are closed after."""
    start = threading.Barrier(count)
    replies: list = [None] * count

    def run(n: int) -> None:
        client = workers[n % len(workers)].test_client()
        start.wait()
        replies[n] = press(n, client)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker in workers:
        worker.extensions["db_engine"].dispose()
    return replies


def on_check_page(app) -> Respondent:
    respondent = Respondent(app.test_client())
    respondent.start("kitchen-sink")
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]}, follow_redirects=True)
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "bad"}, follow_redirects=True)
    assert "Check your answers" in respondent.html
    return respondent


def test_one_draft_sent_six_times_at_once_is_stored_once(app, database_url):
    respondent = on_check_page(app)
    cookie = respondent.client.get_cookie("insight").value
    form = {"csrf_token": csrf_token(respondent.html)}
    # Six workers of their own (own app, own connections), as six presses of Send reaching six
    # processes at once.
    workers = worker_apps(database_url, 6)

    def press_send(_n: int, client) -> tuple[int, str]:
        client.set_cookie("insight", cookie)
        reply = client.post("/s/kitchen-sink/send", data=form)
        return reply.status_code, reply.get_data(as_text=True)

    replies = sent_at_once(workers, len(workers), press_send)
    assert [status for status, _ in replies] == [200] * 6
    assert all("Your answers have been sent" in html for _, html in replies)
    assert sum("See exactly what we stored" in html for _, html in replies) == 1
    with app.app_context():
        assert len(db_session().scalars(select(Response.id)).all()) == 1
    # Pressed again later, from the page still on screen: the same clear answer, nothing stored.
    again = app.test_client()
    again.set_cookie("insight", cookie)
    reply = again.post("/s/kitchen-sink/send", data=form)
    assert reply.status_code == 200 and "Your answers have been sent" in reply.get_data(as_text=True)
    assert "cleared after 24 hours" not in reply.get_data(as_text=True)
    with app.app_context():
        assert len(db_session().scalars(select(Response.id)).all()) == 1


# Only a database server's connection can be cut: PostgreSQL alone.
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_connection_lost_after_the_response_is_stored_still_says_it_was_sent(app):
    respondent = on_check_page(app)
    engine = app.extensions["db_engine"]
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    sessions = app.extensions["db_sessionmaker"]
    stored = {}

    @event.listens_for(sessions, "after_commit")
    def note_commit(_session):
        stored["committed"] = stored.get("inserted", False)

    @event.listens_for(engine, "after_cursor_execute")
    def cut_connection(connection, _cursor, statement, *_args):
        stored["inserted"] = stored.get("inserted") or statement.lstrip().startswith("INSERT INTO response")
        # The response is committed: cut the line under the next statement (the counters').
        if stored.get("committed") and "cut" not in stored:
            pid = connection.connection.dbapi_connection.info.backend_pid
            with admin.connect() as other:
                stored["cut"] = other.execute(
                    text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}
                ).scalar()

    reply = respondent.send("kitchen-sink")
    event.remove(sessions, "after_commit", note_commit)
    event.remove(engine, "after_cursor_execute", cut_connection)
    admin.dispose()
    assert stored["cut"] is True, "the connection was cut just after the response was committed"
    assert reply.status_code == 200 and "Your answers have been sent" in respondent.html
    assert "See exactly what we stored" not in respondent.html
    with app.app_context():
        assert len(db_session().scalars(select(Response.id)).all()) == 1


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_connection_lost_while_a_page_is_saved_is_tried_again_not_a_server_error(app):
    """A connection ended by the server (a restart, a failover) in the middle of saving a page:
    the request runs once more on a new connection and the respondent moves on as usual."""
    respondent = Respondent(app.test_client())
    respondent.start("kitchen-sink")
    engine = app.extensions["db_engine"]
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    cut = {}

    @event.listens_for(engine, "after_cursor_execute")
    def cut_connection(connection, _cursor, statement, *_args):
        if "draft" in statement and statement.lstrip().startswith(("UPDATE", "INSERT")) and not cut:
            pid = connection.connection.dbapi_connection.info.backend_pid
            with admin.connect() as other:
                cut["done"] = other.execute(
                    text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}
                ).scalar()

    reply = respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]}, follow_redirects=True)
    event.remove(engine, "after_cursor_execute", cut_connection)
    admin.dispose()
    assert cut["done"] is True, "the connection was cut while the page was being saved"
    assert reply.status_code == 200
    assert respondent.step() == (2, 2), "the page was saved and the next one shown"


def test_a_resume_code_is_never_stored_and_its_hash_goes_with_the_draft(app):
    from survey_app.taking.resume import code_token
    from survey_app.taking.service import _hash
    from tests.test_resume_codes import resume, saved_for_later

    _, code = saved_for_later(app)
    plain = code.replace("-", "")
    token = code_token(plain)
    while_saved = database_bytes(app)
    assert [where(while_saved, text_) for text_ in (code, plain, token)] == [{}, {}, {}]
    laptop, status = resume(app, code)
    assert status == 302
    laptop.get("/s/kitchen-sink/2")
    laptop.answer("kitchen-sink", {"mood_school": "good", "mood_home": "bad"}, follow_redirects=True)
    laptop.answer("kitchen-sink", {"pet_story": "Biscuit"}, follow_redirects=True)
    laptop.send("kitchen-sink", follow_redirects=True)
    assert "Your answers have been sent" in laptop.html
    after = database_bytes(app)
    for text_ in (code, plain, token):
        assert where(after, text_) == {}
    if app.extensions["db_engine"].dialect.name == "sqlite":
        assert where(after, _hash(token)) == {}
    else:
        # Dead versions of the draft row may keep its random hash until VACUUM; they hold nothing else.
        assert set(where(after, _hash(token))) <= {"draft", "pk_draft"}
