"""Exports for analysts: responses as CSV, XLSX (with a codebook) and SPSS .sav that read back with
their labels and agree with the report's tables; publication tables with disclosure control; every
download audited; synthetic responses never mixed with real ones."""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pyreadstat
import pytest
from sqlalchemy import select

from analysis.questionnaire import answer_keys
from survey_app.accounts import create_user
from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.demo import add_demo_responses
from survey_app.models import AuditEvent
from survey_app.responses.read import responses_frame
from survey_app.results import survey_report
from survey_app.staff.exports.service import spss_names
from survey_app.staff.surveys import add_wave, questionnaire
from survey_app.surveys.service import sync_files
from tests.conftest import QUESTIONNAIRES, TEST_QUESTIONNAIRES
from tests.helpers import Respondent
from tests.test_staff_access import PASSWORD, signed_in

YOUNG = load_file(QUESTIONNAIRES / "young-people.yaml")
KITCHEN = load_file(TEST_QUESTIONNAIRES / "kitchen-sink.yaml")
DESCRIPTIVE = ["response_id", "wave", "month", "language", "channel", "channel_area"]
#: Single-choice questions and a rating-scale statement whose counts must match the report.
COMPARED = ["age_band", "area", "worry_knife_crime", "police_rating", "safe_area_dark"]
#: Free text a spreadsheet would run as a formula.
FORMULAS = {
    "one_thing_safer": "=1+1 more street lights",
    "why_carry_knives": "@(1+2) lights",
    "anything_else": "-5 stars for the buses",
    "postcode_district": "+LE1",
}
SPSS_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.@#]*$")
URL = "/staff/surveys/{slug}/exports"


def respond(app, count: int, slug: str = "young-people", definition=YOUNG, overrides=None) -> None:
    for _ in range(count):
        Respondent(app.test_client()).complete(slug, definition, overrides)


def real_wave(app, slug: str = "young-people", key: str = "2026-autumn") -> None:
    """A named real wave that new responses join."""
    with app.app_context():
        session = db_session()
        admin = create_user(session, f"admin-{key}@example.org", PASSWORD, "admin")
        add_wave(session, admin.id, questionnaire(session, slug), key, "Autumn 2026", True)


def download(client, path: str, filename: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Disposition"] == f"attachment; filename={filename}"
    return response.data


def frame_of(app, slug: str, wave: str | None) -> pd.DataFrame:
    with app.app_context():
        frame = responses_frame(db_session(), slug)
    return frame[frame["wave"] == wave] if wave else frame[~frame["synthetic"]]


def report_counts(report, slug: str, question: str) -> dict[str, int]:
    """The counts the dashboard shows: the report's overall table, where it shows a count."""
    cells = report.tables[f"{slug}.{question}.overall"].cells
    shown = cells[cells["kind"].isin(["answer", "excluded"]) & cells["count"].notna()]
    return dict(zip(shown["outcome"], shown["count"].astype(int), strict=True))


def choice_values(definition, key: str) -> list[str]:
    for item in definition.items:
        if key == item.id or key in item.answer_keys:
            return [choice.value for choice in item.choices]
    raise KeyError(key)


def read_sav(data: bytes, tmp_path):
    path = tmp_path / "export.sav"
    path.write_bytes(data)
    return pyreadstat.read_sav(path)


@pytest.fixture
def demo_and_real(app):
    """150 synthetic responses, 2 real ones outside any wave and 12 in the wave 2026-autumn."""
    with app.app_context():
        add_demo_responses(db_session(), "young-people", 150, seed=5)
    respond(app, 2)
    real_wave(app)
    respond(app, 12)
    return app


def test_the_exports_page_explains_each_download(demo_and_real):
    client = signed_in(demo_and_real, "analyst")
    html = client.get(URL.format(slug="young-people")).get_data(as_text=True)
    assert "All real waves: 14 responses" in html and "Autumn 2026: 12 responses" in html
    assert "Demo data (synthetic): 150 responses<" in html and "(synthetic) (synthetic" not in html
    for words in (
        "for analysis inside the Violence Reduction Network only",
        "already been redacted",
        "recorded in the audit log",
        "disclosure control",
    ):
        assert words in html
    assert 'href="/staff/surveys/young-people/exports/responses.csv"' in html
    assert 'href="/staff/surveys/young-people/exports/tables.xlsx"' in html
    demo = client.get(URL.format(slug="young-people") + "?wave=demo").get_data(as_text=True)
    assert 'href="/staff/surveys/young-people/exports/responses.sav?wave=demo"' in demo
    assert "Never report or publish them" in demo
    assert client.get(URL.format(slug="young-people") + "?wave=winter").status_code == 400


def test_csv_and_xlsx_read_back_with_a_codebook(demo_and_real):
    client = signed_in(demo_and_real, "analyst")
    expected = frame_of(demo_and_real, "young-people", "demo")
    columns = DESCRIPTIVE + answer_keys(YOUNG.source)
    data = download(
        client,
        "/staff/surveys/young-people/exports/responses.csv?wave=demo",
        "young-people-demo-responses.csv",
    )
    assert data.startswith(b"\xef\xbb\xbfresponse_id,") and b"\r\n" in data
    csv = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    workbook = pd.read_excel(
        io.BytesIO(
            download(
                client,
                "/staff/surveys/young-people/exports/responses.xlsx?wave=demo",
                "young-people-demo-responses.xlsx",
            )
        ),
        sheet_name=None,
        dtype=str,
    )
    assert list(workbook) == ["responses", "codebook", "about"]
    for table in (csv, workbook["responses"]):
        assert list(table.columns) == columns
        assert sorted(table["response_id"]) == sorted(expected["response_id"])
        assert set(table["wave"]) == {"demo"}
        multi = [c for c in columns if c.startswith("places_unsafe.")]
        assert set(table[multi].stack().unique()) <= {"0", "1"}
        ticked = expected.set_index("response_id")[multi[0]].astype("Int64").loc[table["response_id"]]
        assert table.set_index("response_id")[multi[0]].astype("Int64").equals(ticked)
    codebook = workbook["codebook"].set_index("variable")
    assert list(codebook.index) == columns
    assert codebook.loc["area", "question"] == "Which area do you live in?"
    assert "1. leicester = Leicester (the city)" in codebook.loc["area", "values"]
    assert codebook.loc["places_unsafe.bus_stops", "spss_name"] == "places_unsafe_bus_stops"
    assert codebook["question"].notna().all() and codebook["type"].notna().all()
    about = dict(workbook["about"].itertuples(index=False))
    assert about["Rows"] == "150" and "SYNTHETIC" in about["Synthetic"]
    assert "inside the Violence Reduction Network" in about["Warning"]


def test_sav_reads_back_with_variable_and_value_labels(demo_and_real, tmp_path):
    client = signed_in(demo_and_real, "analyst")
    data, meta = read_sav(
        download(
            client,
            "/staff/surveys/young-people/exports/responses.sav?wave=demo",
            "young-people-demo-responses.sav",
        ),
        tmp_path,
    )
    assert len(data) == 150
    names = meta.column_names
    assert names == spss_names(DESCRIPTIVE + answer_keys(YOUNG.source))
    assert all(SPSS_NAME.match(n) and len(n.encode()) <= 64 for n in names)
    assert len({n.lower() for n in names}) == len(names)
    labels = meta.column_names_to_labels
    assert labels["area"] == "Which area do you live in?"
    assert labels["places_unsafe_bus_stops"] == (
        "Are there places where you feel unsafe? At bus stops or bus stations"
    )
    area = next(i for i in YOUNG.items if i.id == "area")
    assert meta.variable_value_labels["area"] == {float(n): c.label for n, c in enumerate(area.choices, 1)}
    assert meta.variable_value_labels["places_unsafe_bus_stops"] == {0.0: "No", 1.0: "Yes"}
    assert meta.variable_measure["area"] == "nominal" and meta.variable_measure["safe_area_dark"] == "ordinal"
    assert set(data["places_unsafe_bus_stops"].dropna()) <= {0.0, 1.0}
    assert data["one_thing_safer"].dtype != "float64", "free text stays text"
    assert any("inside the Violence Reduction Network" in note for note in meta.notes)


@pytest.mark.parametrize("wave", ["demo", "2026-autumn"])
def test_every_export_counts_what_the_report_counts(demo_and_real, wave, tmp_path):
    client = signed_in(demo_and_real, "analyst")
    base = f"/staff/surveys/young-people/exports/responses.{{}}?wave={wave}"
    csv = pd.read_csv(io.BytesIO(client.get(base.format("csv")).data), dtype=str)
    xlsx = pd.read_excel(io.BytesIO(client.get(base.format("xlsx")).data), sheet_name="responses", dtype=str)
    sav, _ = read_sav(client.get(base.format("sav")).data, tmp_path)
    with demo_and_real.app_context():
        report, _ = survey_report(db_session(), "young-people", wave)
    checked = 0
    for question in COMPARED:
        shown = report_counts(report, "young-people", question)
        values = choice_values(YOUNG, question)
        decoded = sav[question].dropna().map(lambda code, values=values: values[int(code) - 1])
        for table in (csv[question], xlsx[question], decoded):
            counts = table.value_counts()
            for value, count in shown.items():
                assert counts.get(value, 0) == count, (wave, question, value)
                checked += 1
    assert checked > 3 * len(COMPARED)


def test_all_waves_leave_synthetic_responses_out(demo_and_real, tmp_path):
    client = signed_in(demo_and_real, "analyst")
    data = download(
        client, "/staff/surveys/young-people/exports/responses.csv", "young-people-all-waves-responses.csv"
    )
    csv = pd.read_csv(io.BytesIO(data), dtype=str)
    assert len(csv) == 14 and set(csv["wave"]) == {"no-wave", "2026-autumn"}
    assert sorted(csv["response_id"]) == sorted(frame_of(demo_and_real, "young-people", None)["response_id"])
    sav, _ = read_sav(client.get("/staff/surveys/young-people/exports/responses.sav").data, tmp_path)
    assert "demo" not in set(sav["wave"]) and len(sav) == 14


def test_publication_tables_publish_no_small_counts(demo_and_real):
    client = signed_in(demo_and_real, "analyst")
    data = download(
        client, "/staff/surveys/young-people/exports/tables.xlsx?wave=demo", "young-people-demo-tables.xlsx"
    )
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    contents = pd.read_excel(io.BytesIO(data), sheet_name="Contents", skiprows=2)
    assert "SYNTHETIC" in str(sheets.pop("Contents").columns[0])
    assert list(contents["sheet"]) == list(sheets)
    assert "young-people.area.overall" in set(contents["table_id"])
    published = 0
    for sheet in sheets.values():
        for column in ("count", "base"):
            if column in sheet:
                numbers = sheet[column].dropna()
                assert ((numbers == 0) | (numbers >= 10)).all(), numbers.tolist()
                published += len(numbers)
        if "count_display" in sheet:
            shown = pd.to_numeric(sheet["count_display"].astype(str).str.replace(",", ""), errors="coerce")
            assert ((shown.dropna() == 0) | (shown.dropna() >= 10)).all()
    assert published > 100


def test_formulas_in_free_text_are_defused(app, tmp_path):
    respond(app, 1, overrides=FORMULAS)
    client = signed_in(app, "analyst")
    csv = pd.read_csv(
        io.BytesIO(client.get("/staff/surveys/young-people/exports/responses.csv").data), dtype=str
    )
    raw = client.get("/staff/surveys/young-people/exports/responses.xlsx").data
    xlsx = pd.read_excel(io.BytesIO(raw), sheet_name="responses", dtype=str)
    sav, _ = read_sav(client.get("/staff/surveys/young-people/exports/responses.sav").data, tmp_path)
    for key, text in FORMULAS.items():
        assert csv.loc[0, key] == f"'{text}" and xlsx.loc[0, key] == f"'{text}"
        assert sav.loc[0, key] == text, "SPSS runs no formulas: the text is kept as typed"
    cells = openpyxl.load_workbook(io.BytesIO(raw))["responses"].iter_rows()
    assert not [cell.coordinate for row in cells for cell in row if cell.data_type == "f"]


def test_bad_requests_get_clear_answers(app):
    client = signed_in(app, "analyst")
    assert client.get("/staff/surveys/young-people/exports/responses.txt").status_code == 404
    assert client.get("/staff/surveys/nope/exports/responses.csv").status_code == 404
    empty = client.get("/staff/surveys/young-people/exports/responses.csv")
    assert empty.status_code == 404 and "has no real responses yet" in empty.get_data(as_text=True)
    with app.app_context():
        add_demo_responses(db_session(), "young-people", 20)
    unknown = client.get("/staff/surveys/young-people/exports/responses.xlsx?wave=spring")
    assert unknown.status_code == 400
    assert "has no wave &#39;spring&#39;. Its waves are: demo." in unknown.get_data(as_text=True)
    tables = client.get("/staff/surveys/young-people/exports/tables.xlsx")
    assert tables.status_code == 404 and "Choose the demo wave" in tables.get_data(as_text=True)
    real_wave(app)
    quiet = client.get("/staff/surveys/young-people/exports/tables.xlsx?wave=2026-autumn")
    assert quiet.status_code == 404 and "has no responses yet" in quiet.get_data(as_text=True)
    page = client.get(URL.format(slug="young-people")).get_data(as_text=True)
    assert "nothing to download" in page and "exports/responses.csv" not in page


def test_every_export_is_audited(demo_and_real):
    client = signed_in(demo_and_real, "analyst")
    client.get("/staff/surveys/young-people/exports/responses.sav?wave=2026-autumn")
    client.get("/staff/surveys/young-people/exports/responses.csv")
    latest = client.get("/staff/surveys/young-people/exports/tables.xlsx")
    client.get("/staff/surveys/young-people/exports/responses.csv?wave=nope")
    with demo_and_real.app_context():
        analyst_id = db_session().scalar(select(AuditEvent.user_id).where(AuditEvent.action == "login"))
        events = (
            db_session()
            .scalars(select(AuditEvent).where(AuditEvent.action.like("%exported")).order_by(AuditEvent.id))
            .all()
        )
    survey = {"survey": "young-people"}
    assert [(e.action, e.detail) for e in events] == [
        ("responses exported", {**survey, "wave": "2026-autumn", "format": "sav", "rows": 12}),
        ("responses exported", {**survey, "wave": "all-waves", "format": "csv", "rows": 14}),
        (
            "publication tables exported",
            {
                "survey": "young-people",
                "wave": events[2].detail["wave"],
                "tables": events[2].detail["tables"],
            },
        ),
    ]
    assert {e.user_id for e in events} == {analyst_id} and events[2].detail["tables"] > 10
    # Without a wave, the tables are the latest real wave's, as `insight analyse` makes them.
    assert events[2].detail["wave"] in ("no-wave", "2026-autumn")
    disposition = f"attachment; filename=young-people-{events[2].detail['wave']}-tables.xlsx"
    assert latest.headers["Content-Disposition"] == disposition
    assert "SYNTHETIC" not in str(pd.read_excel(io.BytesIO(latest.data), sheet_name="Contents").columns[0])


def test_numbers_and_multiple_choices_in_spss(app, tmp_path):
    with app.app_context():
        add_demo_responses(db_session(), "kitchen-sink", 40, seed=3)
    client = signed_in(app, "analyst")
    data, meta = read_sav(
        client.get("/staff/surveys/kitchen-sink/exports/responses.sav?wave=demo").data, tmp_path
    )
    frame = frame_of(app, "kitchen-sink", "demo").set_index("response_id").loc[data["response_id"]]
    assert meta.variable_measure["pet_count"] == "scale" and "pet_count" not in meta.variable_value_labels
    assert data["pet_count"].isna().tolist() == frame["pet_count"].isna().tolist()
    assert data["pet_count"].dropna().tolist() == frame["pet_count"].dropna().astype(float).tolist()
    assert data["snacks_crisps"].tolist() == frame["snacks.crisps"].astype(float).tolist()
    assert meta.variable_value_labels["mood_school"] == {1.0: "Good", 2.0: "Bad"}
    assert meta.column_names_to_labels["mood_school"] == "How do you feel about these? School"


def test_spss_names_are_valid_and_unique():
    names = spss_names(["snacks.crisps", "snacks_crisps", "2nd", "to", "x" * 70, "x" * 70, "Snacks_Crisps"])
    assert names[:4] == ["snacks_crisps", "snacks_crisps_2", "v_2nd", "v_to"]
    assert names[4] == "x" * 64 and names[5] == "x" * 62 + "_2" and names[6] == "Snacks_Crisps_3"
    assert all(SPSS_NAME.match(n) and len(n) <= 64 for n in names)


def test_older_versions_keep_their_questions_and_choices(app, tmp_path):
    with app.app_context():
        add_demo_responses(db_session(), "kitchen-sink", 60, seed=3)
        changed = tmp_path / "kitchen-sink.yaml"
        changed.write_text(
            (TEST_QUESTIONNAIRES / "kitchen-sink.yaml")
            .read_text()
            .replace("    - {value: prefer_not_to_say, label: Prefer not to say}\n", "")
            .replace(
                "      - id: nickname\n        type: short_text\n",
                "      - id: word\n        type: short_text\n",
            )
        )
        assert [r.status for r in sync_files(db_session(), [changed])] == ["new version"]
    client = signed_in(app, "analyst")
    workbook = pd.read_excel(
        io.BytesIO(client.get("/staff/surveys/kitchen-sink/exports/responses.xlsx?wave=demo").data),
        sheet_name=None,
        dtype=str,
    )
    codebook = workbook["codebook"].set_index("variable")
    assert list(codebook.index)[-3:] == ["word", "pet_story", "nickname"], "only asked before: last"
    assert codebook.loc["pet", "values"].splitlines() == [
        "1. yes = Yes",
        "2. no = No",
        "3. prefer_not_to_say = Prefer not to say (no longer offered)",
    ]
    assert workbook["responses"]["nickname"].notna().any() and workbook["responses"]["word"].isna().all()
    data, meta = read_sav(
        client.get("/staff/surveys/kitchen-sink/exports/responses.sav?wave=demo").data, tmp_path
    )
    assert meta.variable_value_labels["pet"][3.0] == "Prefer not to say (no longer offered)"
    chosen = workbook["responses"].set_index("response_id")["pet"].loc[data["response_id"]]
    assert data["pet"].map({1.0: "yes", 2.0: "no", 3.0: "prefer_not_to_say"}).tolist() == chosen.tolist()
