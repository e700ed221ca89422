"""The dashboard counts in the database (``dashboard_counts``) and makes its tables from the counts
(``analysis.reporting.grouped``): every table, statement and sample it shows must be the one a
report makes from every response (``build_report`` on the responses frame, perturbed as the
dashboard perturbs), on demo data, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import delete, select, update

from analysis.report import build_report
from analysis.stats.perturbation import record_keys
from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.models import Answer, Item, Questionnaire, Response, Wave
from survey_app.responses.read import responses_frame
from survey_app.results import theme_counts_by_wave
from survey_app.staff.dashboard import counts as dashboard_counts
from survey_app.staff.dashboard import service as dashboard
from survey_app.staff.surveys import questionnaire
from tests.conftest import QUESTIONNAIRES
from tests.helpers import Respondent
from tests.test_staff_dashboard import SECRET, demo, responses_counted


def rows_matching(
    frame: pd.DataFrame, filters: dashboard.Filters, offered: dashboard.Choices
) -> pd.DataFrame:
    """The responses of every wave that pass the filters, read row by row: the reference."""
    keep = pd.Series(True, index=frame.index)
    for column in ("area", "age_band", "language"):
        if getattr(filters, column):
            keep &= frame[column].eq(getattr(filters, column)).fillna(False)
    if filters.deprivation:
        keep &= frame["area"].isin(offered.quintile_areas[filters.deprivation]).fillna(False)
    if filters.channel == dashboard.NO_CHANNEL:
        keep &= frame["channel"].isna()
    elif filters.channel:
        keep &= frame["channel"].eq(filters.channel).fillna(False)
    return frame[keep.astype(bool)]


def compare(app, slug: str, query: dict[str, str]) -> dashboard.Figures:
    """The dashboard's figures for ``query``, checked against a report on the same responses."""
    with app.app_context():
        session = db_session()
        source = dashboard.load(session, questionnaire(session, slug), SECRET)
        offered = dashboard.choices(session, source, {})
        filters, ignored = dashboard.parse(query, source, offered)
        assert ignored == []
        found = dashboard.figures(session, source, filters, offered)
        frame = responses_frame(session, slug)
    frame = rows_matching(
        frame.assign(record_key=record_keys(frame["response_id"], SECRET)), filters, offered
    )
    assert found.report is not None
    expected = build_report(
        frame,
        {slug: source.merged},
        wave=filters.wave,
        rules=dashboard.RULES,
        themes=theme_counts_by_wave(frame, slug, source.merged),
    )
    assert found.report.tables, "the dashboard made no table"
    for table_id, table in found.report.tables.items():
        pd.testing.assert_frame_equal(table.cells, expected.tables[table_id].cells, obj=table_id)
    assert found.report.samples == expected.samples
    assert found.report.statements == expected.statements
    if filters.question:
        wanted = f"{slug}.{filters.question}.{filters.breakdown}"
        assert (found.crosstab is None) == (wanted not in expected.tables)
    return found


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"question": "safe_area_dark", "breakdown": "deprivation_quintile"},
        {"area": "leicester", "question": "thought_about_carrying", "breakdown": "age_band"},
        {"language": "en", "channel": "none", "question": "ever_carried", "breakdown": "channel"},
        {"deprivation": "4", "age_band": "age_14_15", "question": "safe_bus", "breakdown": "language"},
        {"channel": "school", "question": "know_someone_carries", "breakdown": "deprivation_group"},
    ],
)
def test_every_figure_is_the_reports_for_the_same_responses(app, query):
    demo(app, 400)
    compare(app, "young-people", query)


def test_waves_compared_test_every_answer_as_the_report_does(app):
    demo(app, 300)
    with app.app_context():
        session = db_session()
        survey = session.scalar(select(Questionnaire).where(Questionnaire.slug == "young-people"))
        spring = session.scalar(select(Wave).where(Wave.questionnaire_id == survey.id, Wave.key == "demo"))
        spring.key, spring.label, spring.synthetic = "2026-spring", "Spring 2026", False
        autumn = Wave(questionnaire_id=survey.id, key="2026-autumn", label="Autumn 2026")
        session.add(autumn)
        session.flush()
        session.execute(
            update(Response).where(Response.submitted_month >= "2026-10").values(wave_id=autumn.id)
        )
        session.commit()
    found = compare(
        app, "young-people", {"wave": "2026-autumn", "question": "ever_carried", "breakdown": "area"}
    )
    assert "young-people.wave_changes" in found.report.tables
    assert found.report.samples[0].compare_wave == "2026-spring"


def test_responses_that_skipped_the_area_are_not_known(app):
    demo(app, 300)
    with app.app_context():
        session = db_session()
        skipped = session.scalars(select(Response.id).limit(80)).all()
        area = select(Item.id).where(Item.key == "area")
        session.execute(delete(Answer).where(Answer.item_id.in_(area), Answer.response_id.in_(skipped)))
        session.commit()
    found = compare(app, "young-people", {"question": "safe_area_dark", "breakdown": "area"})
    assert "Not known" in set(found.crosstab.cells["group_label"])
    compare(app, "young-people", {"question": "ever_carried", "breakdown": "deprivation_quintile"})


def test_the_community_survey_and_small_groups_too(app):
    demo(app, 120, slug="community")
    compare(app, "community", {"question": "seen_drug_dealing", "breakdown": "area"})


def test_a_new_response_is_counted_without_counting_the_others_again(app, monkeypatch):
    demo(app, 60)
    compare(app, "young-people", {})
    counted = responses_counted(monkeypatch)
    Respondent(app.test_client()).complete("young-people", load_file(QUESTIONNAIRES / "young-people.yaml"))
    compare(app, "young-people", {})
    assert counted == [1], "only the new response is counted, once for the statements' questions"
    assert all(len(t.ids) == 61 for t in app.extensions["dashboard.tallies"].values())


@pytest.mark.parametrize("width", [32, 36])
def test_record_keys_are_sent_as_the_json_of_each_id_and_its_key(width):
    """The JSON is built as one block of bytes: it must read back as every id with its key, the
    largest three-byte key included, for ids as SQLite (32 characters) and PostgreSQL (36) write them."""
    ids = np.array([f"{n:0{width}x}" for n in (0, 7, 2**100)], dtype=dashboard_counts.IDS)
    keys = np.array([0, 12_345, 2**24 - 1])
    sent = json.loads(dashboard_counts.RecordKeys(ids, keys).json())
    assert {i: int(k) for i, k in sent.items()} == {
        i.decode(): int(k) for i, k in zip(ids, keys, strict=True)
    }
    assert dashboard_counts.RecordKeys(ids[:0], keys[:0]).json() == "{}"
