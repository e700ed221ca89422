"""`insight analyse`: tables (CSV, XLSX) and insights.md from the database, demo data kept apart."""

from __future__ import annotations

import csv
import os
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select, update

from analysis.formulas import FORMULA_STARTS
from analysis.report import build_report
from analysis.reporting.selection import select as select_waves
from survey_app.accounts import create_user
from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.demo import add_demo_responses
from survey_app.models import Questionnaire, Response, ThemeChange, Wave
from survey_app.responses.read import ResponseBatches, responses_frame
from survey_app.results import (
    AnalysisRefused,
    analyse,
    read_definition,
    reported_responses,
    survey_report,
    theme_counts_by_wave,
)
from survey_app.themes import effective_themes
from tests.conftest import QUESTIONNAIRES
from tests.helpers import Respondent
from tests.test_questionnaire_files import run_cli


def test_demo_report_is_labelled_synthetic_and_tables_read_back(app, tmp_path):
    with app.app_context():
        add_demo_responses(db_session(), "young-people", 150, seed=2)
        result = analyse(db_session(), "young-people", tmp_path, wave="demo")
    insights = (tmp_path / "insights.md").read_text("utf-8")
    assert insights.startswith("# SYNTHETIC DEMO DATA")
    for number in range(1, 9):
        assert f"### {number}." in insights
    overall = pd.read_csv(tmp_path / "young-people.safe_area_dark.overall.csv")
    assert {"count_display", "percent_display", "ci_low", "ci_high"} <= set(overall.columns)
    workbook = pd.ExcelFile(tmp_path / "tables.xlsx")
    assert len(workbook.sheet_names) == len(result.report.tables) + 1
    assert result.responses == 150


def test_a_questionnaire_without_age_or_area_questions_is_reported_too(app, tmp_path):
    with app.app_context():
        add_demo_responses(db_session(), "kitchen-sink", 40, seed=1)
        result = analyse(db_session(), "kitchen-sink", tmp_path, wave="demo")
    breakdowns = {table.breakdown for table in result.report.tables.values()}
    assert "overall" in breakdowns and not breakdowns & {"age_band", "area"}


def test_real_report_never_includes_demo_responses(app, tmp_path):
    definition = load_file(QUESTIONNAIRES / "community.yaml")
    with app.app_context():
        add_demo_responses(db_session(), "community", 50)
        with pytest.raises(AnalysisRefused, match="only synthetic"):
            analyse(db_session(), "community", tmp_path)
    for _ in range(3):
        Respondent(app.test_client()).complete("community", definition)
    with app.app_context():
        result = analyse(db_session(), "community", tmp_path)
    assert not result.report.synthetic
    assert result.responses == 53
    assert [sample.responses for sample in result.report.samples] == ["<10"], "3 real responses, shown safely"
    assert "SYNTHETIC" not in (tmp_path / "insights.md").read_text("utf-8")


def test_analyse_cli_errors_exit_2(database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x"}
    empty = run_cli("analyse", "--survey", "young-people", "--output", str(tmp_path), env=env)
    assert empty.returncode == 2 and "has no responses yet" in empty.stderr
    unknown = run_cli("analyse", "--survey", "nope", "--output", str(tmp_path), env=env)
    assert unknown.returncode == 2 and "there is no survey 'nope'" in unknown.stderr
    run_cli("demo-data", "--survey", "young-people", "--responses", "40", env=env)
    wave = run_cli(
        "analyse", "--survey", "young-people", "--wave", "spring", "--output", str(tmp_path), env=env
    )
    assert wave.returncode == 2 and "no wave 'spring' (its waves: demo)" in wave.stderr
    # The command's success is test_versions.py's: analyse of both versions' answers.


#: A theme renamed with each prefix a spreadsheet runs as a formula.
FORMULA_NAMES = {
    "lighting_and_environment": '=HYPERLINK("http://evil.example","Lights")',
    "nothing_to_do": "+cmd|' /C calc'!A0",
    "safe_spaces": "-2+3+cmd|' /C calc'!A0",
    "fear_and_protection": "@SUM(1+1)*cmd|' /C calc'!A0",
    "gangs_and_exploitation": "\t=1+1",
    "drugs_and_dealing": "\r=1+1",
}


def _number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def test_formula_like_theme_names_are_inert_in_every_file(app, tmp_path):
    with app.app_context():
        session = db_session()
        analyst = create_user(session, "analyst@example.org", "a long enough passphrase", "analyst")
        session.add_all(
            ThemeChange(
                kind="rename",
                theme_id=theme,
                value=name,
                decided_by=analyst.id,
                decided_at=datetime(2026, 11, 1),
            )
            for theme, name in FORMULA_NAMES.items()
        )
        session.commit()
        add_demo_responses(session, "young-people", 150, seed=2)
        analyse(session, "young-people", tmp_path, wave="demo")
    texts = []
    for path in tmp_path.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as file:
            texts.extend(cell for row in csv.reader(file) for cell in row)
    workbook = openpyxl.load_workbook(tmp_path / "tables.xlsx")
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "no formula cells"
    texts.extend(cell.value for cell in cells if isinstance(cell.value, str))
    for name in FORMULA_NAMES.values():
        assert f"'{name}" in texts, name
    assert not [text for text in texts if text.startswith(FORMULA_STARTS) and not _number(text)]


#: (wave, compare_wave) asked of a survey with two real waves, responses outside any wave between
#: them, and demo responses.
ASKED = [
    (None, None),
    ("2026-spring", None),
    ("2026-autumn", "2026-spring"),
    ("no-wave", None),
    ("demo", None),
]


def test_a_report_reads_only_its_waves_and_says_what_reading_them_all_would(app, backend):
    """A ten-year programme is not read whole for one wave's report: only the wave reported and the
    one compared with are read, chosen from every wave's months as the report chooses them from
    every response, and the report is the one every response would make."""
    slug = "young-people"
    with app.app_context():
        session = db_session()
        add_demo_responses(session, slug, 240, seed=5)
        survey = session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
        spring = Wave(questionnaire_id=survey.id, key="2026-spring", label="Spring 2026")
        autumn = Wave(questionnaire_id=survey.id, key="2026-autumn", label="Autumn 2026")
        session.add_all([spring, autumn])
        session.flush()
        months = sorted(set(session.scalars(select(Response.submitted_month))))
        for wave_id, taken in ((spring.id, months[:2]), (None, months[2:4]), (autumn.id, months[4:])):
            session.execute(
                update(Response).where(Response.submitted_month.in_(taken)).values(wave_id=wave_id)
            )
        session.commit()
        add_demo_responses(session, slug, 60, seed=6)
        whole = responses_frame(session, slug)
        reader = ResponseBatches(session, slug)
        for wave, compare_wave in ASKED:
            chosen = select_waves(whole, slug, wave, compare_wave)
            keys = {chosen.main.key, *([chosen.compare.key] if chosen.compare else [])}
            read = reported_responses(reader, reader.months(), wave, compare_wave)
            expected = whole[whole["wave"].isin(keys)].reset_index(drop=True)
            pd.testing.assert_frame_equal(read, expected, obj=f"{wave} compared with {compare_wave}")
        assert len(keys) == 1, "the demo wave is compared with none"
        with pytest.raises(AnalysisRefused, match="will not compare synthetic and real waves"):
            survey_report(session, slug, "2026-autumn", "demo")
        if backend[0] == "postgresql":
            return  # the rest reads what was read above, and analyses it as on SQLite
        # The latest real wave, compared with the responses outside any wave before it.
        report, total = survey_report(session, slug)
        definition = read_definition(survey)
        expected = build_report(
            whole,
            {slug: definition},
            themes=theme_counts_by_wave(whole, slug, definition, effective_themes(session)),
        )
        assert total == len(whole) == 300
        assert (report.samples[0].wave, report.samples[0].compare_wave) == ("2026-autumn", "no-wave")
        assert report.tables.keys() == expected.tables.keys()
        for table_id, table in report.tables.items():
            pd.testing.assert_frame_equal(table.cells, expected.tables[table_id].cells, obj=table_id)
        assert report.samples == expected.samples and report.statements == expected.statements
