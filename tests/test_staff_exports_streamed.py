"""Exports at scale: responses are read a batch at a time, the CSV is sent while it is written, and
the files that take longer are made in the background behind a page that waits for them. Each file
is the same as the one built whole from ``responses_frame``, as the exports were built before."""

from __future__ import annotations

import csv
import io
import re
import threading
import time
from datetime import timedelta

import openpyxl
import pandas as pd
import pyreadstat
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select

from analysis.formulas import defuse_frame
from survey_app.db import db_session
from survey_app.demo import add_demo_responses
from survey_app.models import AuditEvent, PreparedExport
from survey_app.responses import read
from survey_app.responses.read import ResponseBatches, responses_frame
from survey_app.staff.exports import prepared, routes
from survey_app.staff.exports import service as exports
from survey_app.staff.surveys import questionnaire
from tests.test_staff_access import signed_in
from tests.test_staff_exports import FORMULAS, real_wave, respond

EXPORTED_AT = exports._now()
URL = "/staff/surveys/young-people/exports/"
#: The page that waits for an export made in the background links to it once it is ready.
READY = re.compile(r'href="(/staff/surveys/young-people/exports/prepared/\d+/download)"')


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 7 responses, so that a few dozen responses take several."""
    monkeypatch.setattr(read, "BATCH", 7)
    monkeypatch.setattr(exports, "_now", lambda: EXPORTED_AT)


@pytest.fixture
def surveyed(app, small_batches):
    """40 synthetic responses, 3 real ones outside any wave (one typing formulas) and 5 in a wave."""
    with app.app_context():
        add_demo_responses(db_session(), "young-people", 40, seed=11)
    respond(app, 2)
    respond(app, 1, overrides=FORMULAS)
    real_wave(app)
    respond(app, 5)
    return app


def whole(app, wave: str | None) -> tuple[pd.DataFrame, list, exports.WaveChoice, str]:
    """The export's table built whole from ``responses_frame``, as every export was before: its
    variables, wave and title too."""
    with app.app_context():
        session = db_session()
        survey = questionnaire(session, "young-people")
        waves = exports.wave_choices(session, survey)
        chosen = exports.chosen_wave(survey, waves, wave)
        definition = exports._definition(survey)
        frame = responses_frame(session, "young-people")
    frame = frame[frame["wave"] == chosen.key] if chosen.key else frame[~frame["synthetic"]]
    variables = exports._descriptive(waves) + exports._answer_variables(definition)
    table = exports._table(frame, variables).sort_values(["month", "response_id"]).reset_index(drop=True)
    return table, variables, chosen, definition["title"]


def query(wave: str | None) -> str:
    return f"?wave={wave}" if wave else ""


@pytest.mark.parametrize("wave", [None, "demo", "no-wave", "2026-autumn"])
def test_batches_hold_what_responses_frame_holds(surveyed, wave):
    expected, *_ = whole(surveyed, wave)
    with surveyed.app_context():
        session = db_session()
        everything = responses_frame(session, "young-people").set_index("response_id")
        reader = ResponseBatches(session, "young-people")
        ids = reader.ids(wave)
        frames = list(reader.frames(ids))
    assert [str(i) for i in ids] == expected["response_id"].tolist()
    assert [len(f) for f in frames] == [7] * (len(ids) // 7) + [len(ids) % 7] * (len(ids) % 7 > 0)
    read = pd.concat(frames, ignore_index=True).set_index("response_id")
    assert sorted(read.columns) == sorted(everything.columns)
    pd.testing.assert_frame_equal(read, everything.loc[read.index, read.columns], check_dtype=False)
    for column in read.columns:
        assert read[column].dtype == everything[column].dtype or {
            str(read[column].dtype),
            str(everything[column].dtype),
        } <= {"object", "str"}, column


@pytest.mark.parametrize("wave", [None, "demo"])
def test_the_csv_is_streamed_and_the_same_as_before(surveyed, wave):
    table, *_ = whole(surveyed, wave)
    before = (
        defuse_frame(table)
        .to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        .encode("utf-8-sig")
    )
    client = signed_in(surveyed, "analyst")
    reply = client.get(URL + "responses.csv" + query(wave), buffered=False)
    assert reply.status_code == 200 and reply.is_streamed and "Content-Length" not in reply.headers
    assert reply.headers["Content-Type"] == "text/csv; charset=utf-8"
    pieces = list(reply.response)
    reply.close()
    assert len(pieces) == -(-len(table) // 7), "one piece per batch of responses"
    assert pieces[0].startswith(b"\xef\xbb\xbfresponse_id,") and not pieces[1].startswith(b"\xef\xbb\xbf")
    assert b"".join(pieces) == before
    if wave is None:
        assert b",'=1+1 more street lights," in before


def xlsx_built_whole(sheets: dict[str, pd.DataFrame]) -> bytes:
    """The workbook as it was built before: whole, through pandas."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, sheet in sheets.items():
            defuse_frame(sheet, lambda v: ILLEGAL_CHARACTERS_RE.sub("", v)).to_excel(
                writer, sheet_name=name, index=False
            )
        writer.sheets["responses"].freeze_panes = "B2"
    return buffer.getvalue()


def cells(data: bytes) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


@pytest.mark.parametrize("wave", [None, "demo"])
def test_the_xlsx_is_the_same_as_before(surveyed, wave):
    table, variables, chosen, title = whole(surveyed, wave)
    names = exports.spss_names([v.name for v in variables])
    before = xlsx_built_whole(
        {
            "responses": table,
            "codebook": exports._codebook(variables, names),
            "about": exports._about(title, "young-people", chosen, len(table), EXPORTED_AT),
        }
    )
    client = signed_in(surveyed, "analyst")
    reply = client.get(URL + "responses.xlsx" + query(wave))
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert cells(reply.data) == cells(before)
    workbook = openpyxl.load_workbook(io.BytesIO(reply.data))
    assert workbook["responses"].freeze_panes == "B2"
    found = workbook["responses"].iter_rows()
    assert not [cell.coordinate for row in found for cell in row if cell.data_type == "f"]


def test_the_sav_is_the_same_as_before(surveyed, tmp_path):
    table, variables, chosen, title = whole(surveyed, "demo")
    names = exports.spss_names([v.name for v in variables])
    client = signed_in(surveyed, "analyst")
    reply = client.get(URL + "responses.sav?wave=demo")
    assert reply.status_code == 200, reply.get_data(as_text=True)
    (tmp_path / "after.sav").write_bytes(reply.data)
    after, after_meta = pyreadstat.read_sav(tmp_path / "after.sav")
    about = exports._about(title, "young-people", chosen, len(table), EXPORTED_AT)
    notes = [
        line for row in about.itertuples() for line in exports.textwrap.wrap(f"{row.about}: {row.detail}", 80)
    ]
    (tmp_path / "before.sav").write_bytes(exports._sav([table], variables, names, title, notes))
    before, before_meta = pyreadstat.read_sav(tmp_path / "before.sav")
    pd.testing.assert_frame_equal(after, before)
    for field in (
        "column_names",
        "column_names_to_labels",
        "variable_value_labels",
        "variable_measure",
        "notes",
    ):
        assert getattr(after_meta, field) == getattr(before_meta, field), field
    assert len(after) == 40


def held_back(monkeypatch) -> threading.Event:
    """Hold each background export until the test sets the event it returns, so that the first reply
    is the page that waits, however quickly the export would be made."""
    go = threading.Event()
    make = prepared._make

    def held(*args):
        go.wait(30)
        make(*args)

    monkeypatch.setattr(prepared, "_make", held)
    return go


def wait_for_file(client, page: str) -> str:
    """Follow the page that waits for an export until it links to the file."""
    for _ in range(120):
        html = client.get(page).get_data(as_text=True)
        if ready := READY.search(html):
            return ready.group(1)
        assert 'http-equiv="refresh"' in html and "The file is being made" in html
        time.sleep(0.5)
    raise AssertionError("the export was never ready")


def test_the_csv_of_a_wave_too_large_to_send_at_once_is_made_in_the_background(surveyed, monkeypatch):
    """A streamed reply keeps a gunicorn worker silent until it ends, and a silent worker is ended
    after 30 s: past ``STREAMED_ROWS`` responses the CSV is made in the background, the same file."""
    table, *_ = whole(surveyed, "demo")
    monkeypatch.setattr(routes, "STREAMED_ROWS", len(table) - 1)
    surveyed.config["EXPORT_WAIT_SECONDS"] = 0
    go = held_back(monkeypatch)
    client = signed_in(surveyed, "analyst")
    asked = client.get(URL + "responses.csv?wave=demo")
    assert asked.status_code == 303
    go.set()
    download = client.get(wait_for_file(client, asked.headers["Location"]))
    assert download.headers["Content-Disposition"] == "attachment; filename=young-people-demo-responses.csv"
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    expected = defuse_frame(table).to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    assert download.data == expected.encode("utf-8-sig")
    monkeypatch.setattr(routes, "STREAMED_ROWS", len(table))
    assert client.get(URL + "responses.csv?wave=demo", buffered=False).is_streamed


@pytest.mark.parametrize("kind", ["tables.xlsx", "responses.xlsx", "responses.sav"])
def test_a_slow_export_is_made_in_the_background(surveyed, monkeypatch, kind):
    surveyed.config["EXPORT_WAIT_SECONDS"] = 0
    go = held_back(monkeypatch)
    client = signed_in(surveyed, "analyst")
    asked = client.get(URL + f"{kind}?wave=demo")
    assert asked.status_code == 303
    go.set()
    page = asked.headers["Location"]
    assert re.fullmatch(r"/staff/surveys/young-people/exports/prepared/\d+", page)
    link = wait_for_file(client, page)
    assert "young-people-demo-" in client.get(page).get_data(as_text=True)
    download = client.get(link)
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == f"attachment; filename=young-people-demo-{kind}"
    if kind.endswith("xlsx"):
        assert openpyxl.load_workbook(io.BytesIO(download.data)).sheetnames
    other = signed_in(surveyed, "analyst", email="another-analyst@example.org")
    assert other.get(page).status_code == 404 and other.get(link).status_code == 404, "only for who asked"
    assert client.get(page.replace("young-people", "community")).status_code == 404
    with surveyed.app_context():
        actions = db_session().scalars(select(AuditEvent.action).where(AuditEvent.action.like("%exported")))
        assert len(actions.all()) == 1


def test_a_background_export_that_stopped_or_expired_says_so(surveyed, monkeypatch):
    surveyed.config["EXPORT_WAIT_SECONDS"] = 0
    go = held_back(monkeypatch)
    client = signed_in(surveyed, "analyst")
    page = client.get(URL + "responses.sav?wave=demo").headers["Location"]
    go.set()
    wait_for_file(client, page)
    with surveyed.app_context():
        session = db_session()
        job = session.scalar(select(PreparedExport))
        job.status, job.data, job.requested_at = "preparing", None, job.requested_at - timedelta(minutes=20)
        session.commit()
    html = client.get(page).get_data(as_text=True)
    assert "The file could not be made." in html and "stopped before it was finished" in html
    assert 'http-equiv="refresh"' not in html
    with surveyed.app_context():
        session = db_session()
        session.scalar(select(PreparedExport)).requested_at -= prepared.KEEP
        session.commit()
    assert client.get(page).status_code == 404
    go.clear()
    again = client.get(URL + "responses.sav?wave=demo").headers["Location"]
    go.set()
    wait_for_file(client, again)
    with surveyed.app_context():
        kept = db_session().scalars(select(PreparedExport.id)).all()
    assert kept == [int(again.rsplit("/", 1)[1])], "files older than KEEP are deleted"


def test_a_refusal_in_the_background_shows_on_the_page(app, monkeypatch):
    """An export refused in the background (the report refusing a wave, say) says why on the page,
    and, when it is refused within the wait, as a 409 as before."""
    app.config["EXPORT_WAIT_SECONDS"] = 0

    def refused(*_args):
        raise exports.ExportRefused("'young-people' has only synthetic demo responses")

    monkeypatch.setattr(prepared, "export_tables", refused)
    go = held_back(monkeypatch)
    with app.app_context():
        add_demo_responses(db_session(), "young-people", 20)
    client = signed_in(app, "analyst")
    page = client.get(URL + "tables.xlsx?wave=demo").headers["Location"]
    go.set()
    for _ in range(60):
        html = client.get(page).get_data(as_text=True)
        if "could not be made" in html:
            break
        time.sleep(0.5)
    assert "has only synthetic demo responses" in html
    app.config["EXPORT_WAIT_SECONDS"] = 30
    again = client.get(URL + "tables.xlsx?wave=demo")
    assert again.status_code == 409 and "has only synthetic demo responses" in again.get_data(as_text=True)
