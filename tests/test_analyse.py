"""`insight analyse`: tables (CSV, XLSX) and insights.md from the database, demo data kept apart."""

from __future__ import annotations

import csv
import os
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from analysis.formulas import FORMULA_STARTS
from survey_app.accounts import create_user
from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.demo import add_demo_responses
from survey_app.models import ThemeChange
from survey_app.results import AnalysisRefused, analyse
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
