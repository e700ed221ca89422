"""`questionnaires sync`: a changed file is a new version; versions are never edited in place."""

from __future__ import annotations

import copy
import io
import os
import shutil
from datetime import datetime
from html import unescape

import pandas as pd
import pyreadstat
import pytest
from sqlalchemy import select

from survey_app.db import db_session
from survey_app.definitions import QuestionnaireInvalid, load_file
from survey_app.demo import add_demo_responses
from survey_app.models import Questionnaire, QuestionnaireVersion, Response
from survey_app.reports import render
from survey_app.reports.sna import sna_report
from survey_app.responses.read import responses_frame
from survey_app.surveys.service import open_survey, sync_files
from tests.conftest import QUESTIONNAIRES, TEST_QUESTIONNAIRES
from tests.helpers import Respondent
from tests.test_questionnaire_files import GOOD, run_cli
from tests.test_staff_access import signed_in
from tests.test_staff_dashboard import published
from tests.test_staff_exports import YOUNG, real_wave


def versions_of(slug: str) -> list[QuestionnaireVersion]:
    query = (
        select(QuestionnaireVersion)
        .join(QuestionnaireVersion.questionnaire)
        .where(Questionnaire.slug == slug)
        .order_by(QuestionnaireVersion.id)
    )
    return list(db_session().scalars(query))


def test_sync_stores_new_versions_and_keeps_old_ones(app, tmp_path):
    path = tmp_path / "tiny.yaml"
    with app.app_context():
        path.write_text(GOOD)
        assert [r.status for r in sync_files(db_session(), [path])] == ["new questionnaire"]
        assert [r.status for r in sync_files(db_session(), [path])] == ["unchanged"]
        first = versions_of("tiny")[0]
        path.write_text(GOOD.replace("Q1?", "Question one?"))
        assert [r.status for r in sync_files(db_session(), [path])] == ["new version"]
        old, new = versions_of("tiny")
        assert old.definition == first.definition and old.content_hash == first.content_hash
        assert open_survey(db_session(), "tiny").version_id == new.id
        path.write_text(GOOD)
        assert [r.status for r in sync_files(db_session(), [path])] == ["restored version"]
        assert open_survey(db_session(), "tiny").version_id == old.id
        assert len(versions_of("tiny")) == 2


def test_an_invalid_file_stores_nothing(app, tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    broken = GOOD.replace("slug: tiny", "slug: other").replace("choices: yn", "choices: x")
    (tmp_path / "b.yaml").write_text(broken)
    with app.app_context():
        with pytest.raises(QuestionnaireInvalid):
            sync_files(db_session(), [tmp_path])
        assert db_session().scalar(select(Questionnaire).where(Questionnaire.slug == "tiny")) is None


def test_responses_keep_answering_the_version_they_started(app, respondent, tmp_path):
    source = tmp_path / "kitchen-sink.yaml"
    shutil.copy(TEST_QUESTIONNAIRES / "kitchen-sink.yaml", source)
    with app.app_context():
        started_on = open_survey(db_session(), "kitchen-sink").version_id
    respondent.start("kitchen-sink")
    source.write_text(source.read_text().replace("Do you have a pet?", "Do you have any pets?"))
    with app.app_context():
        sync_files(db_session(), [source])
        assert open_survey(db_session(), "kitchen-sink").version_id != started_on
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]}, follow_redirects=True)
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "bad"}, follow_redirects=True)
    respondent.send("kitchen-sink")
    assert "Your answers have been sent" in respondent.html
    with app.app_context():
        assert db_session().scalar(select(Response.version_id)) == started_on


def test_cli_upgrade_and_sync_on_a_fresh_database(database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x"}
    upgraded = run_cli("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    synced = run_cli("questionnaires", "sync", str(QUESTIONNAIRES), env=env)
    assert synced.returncode == 0, synced.stderr
    assert "young-people: unchanged" in synced.stdout and "community: unchanged" in synced.stdout


def test_cli_sync_reports_problems_and_exits_1(database_url, tmp_path):
    (tmp_path / "bad.yaml").write_text(GOOD.replace("choices: yn", "choices: x"))
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x"}
    result = run_cli("questionnaires", "sync", str(tmp_path), env=env)
    assert result.returncode == 1
    assert f"{tmp_path / 'bad.yaml'}:14: choice list 'x' does not exist" in result.stdout
    assert "nothing was stored" in result.stderr


#: What a second version of young-people changes: it drops the choice "Yes, but I don't go",
#: rewords "Yes, and I go to them" and swaps a place for a new one; ``second_version`` also drops
#: the question current_activity and asks a new one.
SECOND_VERSION = (
    ('          - {value: yes_dont_go, label: "Yes, but I don\'t go"}\n', ""),
    ('{value: yes_go, label: "Yes, and I go to them"}', '{value: yes_go, label: "Yes, and I go regularly"}'),
    (
        '          - {value: alleys_underpasses, label: "In alleys, underpasses or car parks"}\n',
        "          - {value: online, label: Online or on social media}\n",
    ),
)
NEW_ITEM = """      - id: feel_listened_to
        type: single_choice
        label: Do adults listen to you?
        choices:
          - {value: "yes", label: "Yes"}
          - {value: "no", label: "No"}

"""
RETIRED = "Yes, but I don't go (no longer offered)"
V1_ANSWERS = {"youth_activities": "yes_dont_go", "places_unsafe": ["alleys_underpasses"]}
V2_ANSWERS = {"youth_activities": "yes_go", "places_unsafe": ["online"], "feel_listened_to": "no"}


def second_version(text: str) -> str:
    for old, new in SECOND_VERSION:
        assert old in text, old
        text = text.replace(old, new)
    start, end = text.index("      - id: current_activity"), text.index("  - id: feeling_safe")
    return text[:start] + NEW_ITEM + text[end:]


@pytest.fixture
def two_versions(app, tmp_path):
    """young-people answered on its first version and on a second that drops, rewords and adds
    choices and items: 40 demo responses on each, and 2 real ones (wave 2026-autumn) on each, sent
    through the survey pages."""
    real_wave(app)
    with app.app_context():
        add_demo_responses(db_session(), "young-people", 40, seed=1)
    for _ in range(2):
        Respondent(app.test_client()).complete("young-people", YOUNG, V1_ANSWERS)
    source = tmp_path / "young-people.yaml"
    source.write_text(second_version((QUESTIONNAIRES / "young-people.yaml").read_text("utf-8")), "utf-8")
    with app.app_context():
        assert [r.status for r in sync_files(db_session(), [source])] == ["new version"]
        add_demo_responses(db_session(), "young-people", 40, seed=2)
    second = load_file(source)
    for _ in range(2):
        Respondent(app.test_client()).complete("young-people", second, V2_ANSWERS)
    with app.app_context():
        frame = responses_frame(db_session(), "young-people")
    return frame


def test_a_second_version_keeps_old_answers_readable_in_analyse(app, database_url, two_versions, tmp_path):
    demo = two_versions[two_versions["wave"] == "demo"]
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x"}
    result = run_cli(
        "analyse", "--survey", "young-people", "--wave", "demo", "--output", str(tmp_path), env=env
    )
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(tmp_path / "young-people.youth_activities.overall.csv", dtype={"count": "Int64"})
    labels = dict(zip(table["outcome"], table["outcome_label"], strict=True))
    assert labels["yes_dont_go"] == RETIRED and labels["yes_go"] == "Yes, and I go regularly"
    assert table["outcome"].iloc[-1] == "yes_dont_go", "a retired choice comes last"
    old_answers = int((demo["youth_activities"] == "yes_dont_go").sum())
    assert old_answers >= 10, "the seed gives enough old answers to be shown"
    assert table.set_index("outcome").loc["yes_dont_go", "count"] == old_answers
    assert (
        table.set_index("outcome").loc["yes_dont_go", "base"]
        == demo["youth_activities"].isin(["yes_go", "yes_dont_go", "none_near"]).sum()
    )
    asked_new = pd.read_csv(tmp_path / "young-people.feel_listened_to.overall.csv")
    assert set(asked_new["base"].dropna()) == {demo["feel_listened_to"].notna().sum()}
    assert demo["feel_listened_to"].notna().sum() <= 40, "only the second version's respondents"
    dropped = pd.read_csv(tmp_path / "young-people.current_activity.overall.csv")
    assert dropped["question_label"].iloc[0] == "What do you do now? (no longer asked)"
    places = pd.read_csv(tmp_path / "young-people.places_unsafe.overall.csv")
    assert "In alleys, underpasses or car parks (no longer offered)" in set(places["outcome_label"])
    assert "Online or on social media" in set(places["outcome_label"])
    assert "### Questionnaire versions" in (tmp_path / "insights.md").read_text("utf-8")


def test_the_dashboard_counts_answers_to_both_versions(app, two_versions):
    client = signed_in(app, "analyst")
    response = client.get(
        "/staff/surveys/young-people/dashboard?wave=demo&question=youth_activities"
        "&breakdown=age_band&answer=yes_dont_go"
    )
    assert response.status_code == 200
    html = unescape(response.get_data(as_text=True))
    with app.app_context():
        frame = responses_frame(db_session(), "young-people")
    ids = frame.loc[frame["wave"] == "demo", "response_id"]
    assert len(ids) == 80 and f"{published(app, ids)} responses match these filters" in html
    assert RETIRED in html and "Yes, and I go regularly" in html
    assert "What do you do now? (no longer asked)" in html, "a dropped question can still be chosen"
    dropped = client.get(
        "/staff/surveys/young-people/dashboard?wave=demo&question=current_activity&breakdown=overall"
    )
    assert dropped.status_code == 200 and "I&#39;m at school" in dropped.get_data(as_text=True)


def test_exports_label_choices_and_questions_only_old_versions_had(app, two_versions, tmp_path):
    client = signed_in(app, "analyst")
    base = "/staff/surveys/young-people/exports/responses.{}?wave=2026-autumn"
    csv = pd.read_csv(io.BytesIO(client.get(base.format("csv")).data), encoding="utf-8-sig", dtype=str)
    assert len(csv) == 4
    old, new = csv[csv["youth_activities"] == "yes_dont_go"], csv[csv["youth_activities"] == "yes_go"]
    assert len(old) == len(new) == 2
    assert set(old["places_unsafe.alleys_underpasses"]) == {"1"} and old["places_unsafe.online"].isna().all()
    assert set(new["places_unsafe.online"]) == {"1"} and new["places_unsafe.alleys_underpasses"].isna().all()
    assert old["current_activity"].notna().all() and new["current_activity"].isna().all()
    assert new["feel_listened_to"].eq("no").all() and old["feel_listened_to"].isna().all()
    codebook = pd.read_excel(
        io.BytesIO(client.get(base.format("xlsx")).data), sheet_name="codebook", dtype=str
    ).set_index("variable")
    values = codebook.loc["youth_activities", "values"].split("\n")
    assert values[0] == "1. yes_go = Yes, and I go regularly" and values[-1] == f"4. yes_dont_go = {RETIRED}"
    assert codebook.loc["current_activity", "question"] == "What do you do now? (no longer asked)"
    path = tmp_path / "export.sav"
    path.write_bytes(client.get(base.format("sav")).data)
    sav, meta = pyreadstat.read_sav(path)
    assert meta.variable_value_labels["youth_activities"][4.0] == RETIRED
    assert sorted(sav["youth_activities"]) == [1.0, 1.0, 4.0, 4.0]


def test_the_sna_report_reads_both_versions(app, two_versions):
    with app.app_context():
        report = sna_report(db_session(), "demo")
        html = render.html(report)
    cells = report.report.tables["young-people.youth_activities.overall"].cells
    assert RETIRED in set(cells["outcome_label"])
    assert "Questionnaire versions" in html


def test_an_item_may_not_change_type_in_a_new_version(app, tmp_path):
    source = tmp_path / "young-people.yaml"
    text = (QUESTIONNAIRES / "young-people.yaml").read_text("utf-8")
    source.write_text(
        text.replace(
            "      - id: current_activity\n        type: single_choice\n",
            "      - id: current_activity\n        type: multiple_choice\n",
        ),
        "utf-8",
    )
    with app.app_context(), pytest.raises(QuestionnaireInvalid) as invalid:
        sync_files(db_session(), [source])
    (problem,) = invalid.value.problems
    assert problem.line == text.splitlines().index("      - id: current_activity") + 2
    assert problem.message.startswith(
        "young-people: the item 'current_activity' is a multiple_choice in "
        "this file (young-people.yaml) but a single_choice in version "
    )


def test_versions_stored_with_a_changed_type_are_refused_with_the_reason(app):
    with app.app_context():
        session = db_session()
        survey = session.scalar(select(Questionnaire).where(Questionnaire.slug == "young-people"))
        changed = copy.deepcopy(survey.current_version.definition)
        postcode = next(
            i for page in changed["pages"] for i in page["items"] if i["id"] == "postcode_district"
        )
        postcode["type"] = "number"
        session.add(
            QuestionnaireVersion(
                questionnaire=survey,
                content_hash="f" * 64,
                definition=changed,
                source_text="",
                created_at=datetime(2027, 1, 5),
            )
        )
        session.commit()
        add_demo_responses(session, "young-people", 5)
    client = signed_in(app, "analyst")
    reason = "the item &#39;postcode_district&#39; is a short_text in version"
    for url in (
        "/staff/surveys/young-people/dashboard",
        "/staff/surveys/young-people/exports/responses.csv?wave=demo",
        "/staff/surveys/young-people/exports/tables.xlsx?wave=demo",
    ):
        response = client.get(url)
        assert response.status_code == 409 and reason in response.get_data(as_text=True), url
