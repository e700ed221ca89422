"""The staff dashboard: counters and filtered figures, every number through disclosure control."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import delete, select, update

from analysis.report import build_report
from analysis.reporting.tables import whole_percent
from analysis.stats.perturbation import KEYS, record_keys
from analysis.text import sentiment
from survey_app.charts import Row, bar_chart
from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.demo import add_demo_responses
from survey_app.models import (
    ActivityCount,
    Answer,
    Channel,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Wave,
)
from survey_app.responses.read import responses_frame
from survey_app.staff.dashboard import counts as dashboard_counts
from survey_app.staff.dashboard import service as dashboard
from survey_app.staff.surveys import questionnaire
from survey_app.surveys.activity import STARTED, SUBMITTED, page_event
from tests.conftest import QUESTIONNAIRES, TEST_QUESTIONNAIRES
from tests.helpers import Respondent
from tests.test_panels import tag_name
from tests.test_staff_access import signed_in

#: The record keys' secret for dashboards loaded outside a request.
SECRET = b"test secret"

KITCHEN = load_file(TEST_QUESTIONNAIRES / "kitchen-sink.yaml")
YP = "/staff/surveys/young-people/dashboard"


def keyed(app, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the record keys the app's dashboard gives its responses."""
    return frame.assign(record_key=record_keys(frame["response_id"], dashboard.secret(app)))


def perturbed(app, response_ids: pd.Series) -> int:
    """The number of these responses (or answers) perturbed by their cell key."""
    keys = record_keys(response_ids, dashboard.secret(app))
    return int(dashboard.RULES.published(np.array(len(keys)), np.array(keys.sum() % KEYS)))


def counter(
    app,
    event: str,
    label: str,
    count: int,
    *,
    slug: str = "kitchen-sink",
    wave: str = dashboard.NO_WAVE,
    channel: str = "",
) -> str:
    """How the dashboard shows an activity counter: with the noise of what it counts."""
    value = dashboard.counter_figures(dashboard.secret(app), slug, wave, channel, event, [label], [count])[0]
    return "[c]" if dashboard.RULES.is_small(np.array(value)) else f"{value:,}"


def share(count: str, started: str) -> str:
    return whole_percent(100 * int(count) / int(started))


def published(app, response_ids: pd.Series) -> str:
    """How the dashboard shows the number of these responses."""
    value = perturbed(app, response_ids)
    return "[c]" if dashboard.RULES.is_small(np.array(value)) else f"{value:,}"


def demo(app, count: int, slug: str = "young-people", seed: int = 7) -> None:
    with app.app_context():
        add_demo_responses(db_session(), slug, count, seed=seed)


def responses_counted(monkeypatch) -> list[int]:
    """How many responses each of the dashboard's counting statements counts, from now on."""
    counted = []
    count = dashboard_counts._count

    def spy(session, versions, items, questions, texts, keys):
        counted.append(len(keys))
        return count(session, versions, items, questions, texts, keys)

    monkeypatch.setattr(dashboard_counts, "_count", spy)
    return counted


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _text(cell: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())


def table(html: str, region: str) -> list[list[str]]:
    """The body rows of the table whose caption has id ``<region>-caption``, as cell texts."""
    start = html.index(f'aria-labelledby="{region}-caption"')
    body = html[html.index("<tbody>", start) : html.index("</table>", start)]
    return [
        [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def svg(html: str, chart: str) -> str:
    """The markup of the chart whose title has id ``<chart>-title``."""
    start = html.index(f'<title id="{chart}-title">')
    return html[start : html.index("</svg>", start)]


def matching(html: str) -> str:
    found = re.search(r"([\d,]+) responses match these filters in", html)
    assert found, "no count of matching responses"
    return found.group(1)


def count(app, slug: str, week: str, event: str, number: int, *, wave_id: int = 0, channel_id: int = 0):
    with app.app_context():
        version_id = db_session().scalar(
            select(Questionnaire.current_version_id).where(Questionnaire.slug == slug)
        )
        db_session().add(
            ActivityCount(
                version_id=version_id,
                wave_id=wave_id,
                channel_id=channel_id,
                week=week,
                event=event,
                count=number,
            )
        )
        db_session().commit()


@pytest.mark.parametrize("role", ["admin", "analyst", "safeguarding_lead"])
def test_every_staff_role_sees_the_dashboard(app, role):
    demo(app, 40)
    html = page(signed_in(app, role), YP)
    assert "Dashboard: young-people" in html and "Synthetic demo data." in html
    assert 'href="/staff/surveys/young-people"' in html


def test_a_panel_member_may_not_see_it(app):
    assert signed_in(app, "panel_member").get(YP).status_code == 403


def test_an_empty_survey_says_so_rather_than_failing(app):
    html = page(signed_in(app, "analyst"), "/staff/surveys/community/dashboard")
    assert "No activity has been counted" in html
    assert "Fewer than 30 responses match these filters" in html


def test_filters_narrow_the_responses_to_those_that_match(app):
    demo(app, 300)
    client = signed_in(app, "analyst")
    with app.app_context():
        frame = responses_frame(db_session(), "young-people")
    ids = frame["response_id"]
    assert matching(page(client, YP)) == published(app, ids)
    by_area = page(client, f"{YP}?area=leicester")
    assert matching(by_area) == published(app, ids[frame["area"] == "leicester"])
    assert "filters you chose are not applied to these counts" in by_area
    both = (frame["age_band"] == "age_14_15") & (frame["language"] == "en")
    assert both.sum() >= 30
    assert matching(page(client, f"{YP}?age_band=age_14_15&language=en")) == published(app, ids[both])
    # Deprivation quintile 4 is every district of the county but Harborough and Rutland (quintile 5).
    quintile = frame["area"].isin(
        [
            "blaby",
            "charnwood",
            "hinckley_and_bosworth",
            "melton",
            "north_west_leicestershire",
            "oadby_and_wigston",
        ]
    )
    assert matching(page(client, f"{YP}?deprivation=4")) == published(app, ids[quintile])
    school, direct = frame["channel"] == "school", frame["channel"].isna()
    assert school.sum() >= 30 and direct.sum() >= 30
    assert matching(page(client, f"{YP}?channel=school")) == published(app, ids[school])
    assert matching(page(client, f"{YP}?channel=none")) == published(app, ids[direct])
    assert "Fewer than 30 responses match" in page(client, f"{YP}?channel=event&language=pl")


def test_too_few_matching_responses_show_no_figures(app):
    demo(app, 25)
    html = page(signed_in(app, "analyst"), YP)
    assert "Fewer than 30 responses match these filters" in html and "Remove a filter" in html
    assert "responses match these filters in" not in html
    assert 'id="crosstab-chart' not in html and "%" not in _text(html[html.index('id="headline"') :])


def test_the_crosstab_shows_the_reports_own_figures_for_the_same_filter(app):
    demo(app, 300)
    client = signed_in(app, "analyst")
    html = page(client, f"{YP}?language=en&question=safe_area_dark&breakdown=age_band&answer=unsafe")
    with app.app_context():
        frame = responses_frame(db_session(), "young-people")
        definition = (
            db_session()
            .scalar(select(Questionnaire).where(Questionnaire.slug == "young-people"))
            .current_version.definition
        )
    english = keyed(app, frame[frame["language"] == "en"])
    report = build_report(english, {"young-people": definition}, wave="demo", rules=dashboard.RULES)
    cells = report.tables["young-people.safe_area_dark.age_band"].cells
    expected = [
        [g, a, c, b, p]
        for g, a, c, b, p in cells[
            ["group_label", "outcome_label", "count_display", "base_display", "percent_display"]
        ].values
    ]
    shown, answer = [], None
    for row in table(html, "crosstab-table"):
        if len(row) == 1:
            answer = row[0].removeprefix("Answer: ")
        else:
            shown.append([row[0], answer, *row[1:]])
    assert [row[:5] for row in shown] == expected
    withheld = [row for row in shown if row[4] in ("[c]", "[u]")]
    assert withheld and all(row[5] == "–" for row in withheld)
    unsafe = cells[(cells["outcome"] == "unsafe") & cells["percent"].notna()]
    chart = svg(html, "crosstab-chart")
    assert chart.count("<rect") == len(unsafe)
    for percent_display in unsafe["percent_display"]:
        assert f">{percent_display}</text>" in chart


def test_each_chart_is_an_image_with_a_title_followed_by_its_table(app):
    demo(app, 60)
    count(app, "young-people", "2026-W47", STARTED, 40)
    count(app, "young-people", "2026-W47", SUBMITTED, 31)
    with app.app_context():
        wave_id = db_session().scalar(select(Wave.id).where(Wave.key == "demo"))
    count(app, "young-people", "2026-W48", STARTED, 12, wave_id=wave_id)
    html = page(signed_in(app, "analyst"), YP)
    charts = re.findall(r"<svg ([^>]*)>(.*?)</svg>\s*(<[^>]*>)", html, re.S)
    assert len(charts) == 3
    for attributes, inside, following in charts:
        assert 'role="img"' in attributes and 'viewBox="0 0 ' in attributes
        named = re.search(r'aria-labelledby="(\S+) (\S+)"', attributes).groups()
        assert f'<title id="{named[0]}">' in inside and f'<desc id="{named[1]}">' in inside
        assert following.startswith('<div class="table-wrap"') and 'role="region"' in following
    assert html.count("<caption") >= 3


def test_small_counter_figures_show_only_as_withheld(app):
    for week, started, submitted in (("2026-W45", 40, 30), ("2026-W46", 3, 2), ("2026-W47", 25, 20)):
        count(app, "kitchen-sink", week, STARTED, started)
        count(app, "kitchen-sink", week, SUBMITTED, submitted)
    count(app, "kitchen-sink", "2026-W45", page_event("first"), 60)
    count(app, "kitchen-sink", "2026-W46", page_event("only_pet_owners"), 4)
    html = page(signed_in(app, "analyst"), "/staff/surveys/kitchen-sink/dashboard")
    weeks = table(html, "weekly-table")
    expected = [
        (w, counter(app, STARTED, w, started), counter(app, SUBMITTED, w, sent))
        for w, started, sent in (("2026-W45", 40, 30), ("2026-W46", 3, 2), ("2026-W47", 25, 20))
    ]
    assert [(w[0], w[2], w[3]) for w in weeks] == expected
    assert set(expected[1][1:]) <= {"[c]", "0"}, "a week of 3 and 2 is withheld (or shown as none)"
    started = counter(app, STARTED, dashboard.ALL_WEEKS, 68)
    first = counter(app, page_event("first"), dashboard.ALL_WEEKS, 60)
    sent = counter(app, SUBMITTED, dashboard.ALL_WEEKS, 52)
    steps = table(html, "steps-table")
    assert steps[0] == ["Started the survey", started, "100%"]
    assert steps[1] == ["First page", first, share(first, started)]
    pets = counter(app, page_event("only_pet_owners"), dashboard.ALL_WEEKS, 4)
    assert steps[-2] == ["Pet owners (only some people see this page)", pets, "–"] and pets in ("[c]", "0")
    assert steps[-1] == ["Sent their answers", sent, share(sent, started)]
    weekly = svg(html, "weekly-chart")
    assert weekly.count("[c]</text>") == [w[2] for w in expected].count("[c]")
    assert "area, deprivation, age band and language cannot" in html


def test_pages_that_share_a_title_are_told_apart_in_the_drop_off_table(app):
    count(app, "young-people", "2026-W47", STARTED, 50)
    html = page(signed_in(app, "analyst"), f"{YP}?wave={dashboard.NO_WAVE}")
    labels = [row[0] for row in table(html, "steps-table")]
    assert len(labels) == len(set(labels)), labels
    assert "About you (page 1 of 3)" in labels and "About you (page 3 of 3)" in labels
    assert labels.index("Feeling safe (page 1 of 4)") + 3 == labels.index("Feeling safe (page 4 of 4)")
    assert "Places" in labels and "Your ideas" in labels, "a title of its own is not numbered"


def test_counters_follow_the_wave_and_channel_filters(app):
    with app.app_context():
        survey = db_session().scalar(select(Questionnaire).where(Questionnaire.slug == "kitchen-sink"))
        school = Channel(
            questionnaire_id=survey.id,
            key="k" * 16,
            name="Year 9, City School",
            type="school",
            created_at=datetime(2026, 11, 1),
        )
        wave = Wave(questionnaire_id=survey.id, key="2026-autumn", label="Autumn 2026")
        db_session().add_all([school, wave])
        db_session().commit()
        school_id, wave_id = school.id, wave.id
    count(app, "kitchen-sink", "2026-W47", STARTED, 55, channel_id=school_id)
    count(app, "kitchen-sink", "2026-W47", STARTED, 44)
    count(app, "kitchen-sink", "2026-W47", STARTED, 33, wave_id=wave_id)
    client = signed_in(app, "analyst")
    url = "/staff/surveys/kitchen-sink/dashboard?wave=no-wave"

    def started(query: str = "") -> str:
        return table(page(client, url + query), "steps-table")[0][1]

    def expected(count: int, wave: str = dashboard.NO_WAVE, channel: str = "") -> str:
        return counter(app, STARTED, dashboard.ALL_WEEKS, count, wave=wave, channel=channel)

    assert started() == expected(99)
    assert started("&channel=school") == expected(55, channel="school")
    assert started("&channel=none") == expected(44, channel=dashboard.NO_CHANNEL)
    assert "No activity has been counted" in page(client, url + "&channel=college")
    assert table(page(client, "/staff/surveys/kitchen-sink/dashboard?wave=2026-autumn"), "steps-table")[0][
        1
    ] == expected(33, wave="2026-autumn")


def test_the_survey_taking_flow_counts_started_and_sent(app):
    for _ in range(3):
        Respondent(app.test_client()).complete("kitchen-sink", KITCHEN)
    html = page(signed_in(app, "analyst"), "/staff/surveys/kitchen-sink/dashboard")
    steps = table(html, "steps-table")
    assert steps[0][:2] == ["Started the survey", counter(app, STARTED, dashboard.ALL_WEEKS, 3)]
    assert steps[-1][:2] == ["Sent their answers", counter(app, SUBMITTED, dashboard.ALL_WEEKS, 3)]
    assert all(step[1] in ("[c]", "0") for step in steps[1:-1] if "only some people" not in step[0])
    assert not re.search(r'class="num">[1-9]</td>', html), "a small count is shown as a number"
    assert "Fewer than 30 responses match these filters" in html


def test_a_filter_the_survey_does_not_offer_is_left_out_with_a_notice(app):
    demo(app, 60)
    client = signed_in(app, "analyst")
    html = page(client, f"{YP}?area=atlantis&breakdown=shoe_size&lang=xx")
    assert "Some filters in this link were not applied" in html
    assert "Area: “atlantis” is not one this survey offers" in html
    assert "Broken down by: “shoe_size” is not one this survey offers" in html
    with app.app_context():
        ids = responses_frame(db_session(), "young-people")["response_id"]
    assert len(ids) == 60 and matching(html) == published(app, ids), "no filter applied"
    assert "not applied" not in page(client, YP)


def test_the_wave_defaults_to_the_current_one(app):
    demo(app, 40)
    with app.app_context():
        survey = db_session().scalar(select(Questionnaire).where(Questionnaire.slug == "young-people"))
        wave = Wave(questionnaire_id=survey.id, key="2026-autumn", label="Autumn 2026")
        db_session().add(wave)
        db_session().flush()
        survey.current_wave_id = wave.id
        db_session().commit()
    html = page(signed_in(app, "analyst"), YP)
    assert '<option value="2026-autumn" selected>Autumn 2026</option>' in html
    assert "Synthetic demo data." not in html and "Fewer than 30 responses match" in html


def test_the_dashboard_and_coding_open_on_the_latest_wave_with_data(app):
    """A wave just opened with a couple of responses is not the default: the latest with enough is."""
    demo(app, 40)
    with app.app_context():
        session = db_session()
        survey = session.scalar(select(Questionnaire).where(Questionnaire.slug == "young-people"))
        spring = session.scalar(select(Wave).where(Wave.questionnaire_id == survey.id, Wave.key == "demo"))
        # The demo responses stand in for a real wave's: real data is slow to make over HTTP.
        spring.key, spring.label, spring.synthetic = "2026-spring", "Spring 2026", False
        autumn = Wave(questionnaire_id=survey.id, key="2026-autumn", label="Autumn 2026")
        session.add(autumn)
        session.flush()
        survey.current_wave_id = autumn.id
        moved = session.scalars(select(Response.id).where(Response.wave_id == spring.id).limit(2)).all()
        session.execute(update(Response).where(Response.id.in_(moved)).values(wave_id=autumn.id))
        session.commit()
    client = signed_in(app, "analyst")
    html = page(client, YP)
    with app.app_context():
        frame = responses_frame(db_session(), "young-people")
    spring_ids = frame.loc[frame["wave"] == "2026-spring", "response_id"]
    assert len(spring_ids) == 38
    assert '<option value="2026-spring" selected>Spring 2026</option>' in html
    assert matching(html) == published(app, spring_ids)
    coding = page(client, "/staff/surveys/young-people/answers")
    assert 'id="wave-2026-spring" value="2026-spring" checked' in coding
    assert "2026-autumn" in page(client, YP + "?wave=2026-autumn")


def test_bars_leave_out_withheld_values_and_scale_percentages_to_100():
    chart = bar_chart(
        [
            Row("Leicester", 50.0, "50%", 40.0, 60.0),
            Row("Rutland", None, "[c]"),
            Row("A very long district name that goes on and on past the width of a phone", 100.0, "100%"),
        ],
        percent=True,
    )
    leicester, rutland, long = chart.rows
    assert leicester.bar_width == 168.0 and leicester.whisker == (134.4, 201.6)
    assert leicester.text_x > leicester.whisker[1]
    assert rutland.bar_width == 0 and rutland.whisker is None and rutland.text == "[c]"
    assert len(long.label_lines) == 2 and long.bar_y > rutland.bar_y
    assert [t[1] for t in chart.ticks] == ["0%", "25%", "50%", "75%", "100%"]
    counts = bar_chart([Row("W1", 1234.0, "1,234"), Row("W2", None, "[c]")])
    assert [t[1] for t in counts.ticks] == ["0", "500", "1,000", "1,500"]


def test_a_question_nobody_has_answered_leaves_the_figures_standing(app):
    demo(app, 40)
    with app.app_context():
        session = db_session()
        # As if every respondent had skipped it: the responses frame still has its (empty) column.
        skipped = select(Item.id).where(Item.key == "safe_online")
        session.execute(delete(Answer).where(Answer.item_id.in_(skipped)))
        session.commit()
        source = dashboard.load(session, questionnaire(session, "young-people"), SECRET)
        assert responses_frame(session, "young-people")["safe_online"].isna().all()
        offered = dashboard.choices(session, source, {})
        filters, ignored = dashboard.parse({"question": "safe_online"}, source, offered)
        found = dashboard.figures(session, source, filters, offered)
    assert ignored == [] and found.report is not None and found.crosstab is None
    assert "young-people.safe_area_dark.deprivation_group" in found.report.tables


def test_a_new_response_is_seen_at_once_though_the_counts_are_kept(app):
    demo(app, 40)
    client = signed_in(app, "analyst")
    page(client, YP)
    [first] = app.extensions["dashboard.tallies"].values()
    page(client, f"{YP}?area=leicester")
    [again] = app.extensions["dashboard.tallies"].values()
    assert again is first, "counting every response again is avoided"
    Respondent(app.test_client()).complete("young-people", load_file(QUESTIONNAIRES / "young-people.yaml"))
    page(client, YP)
    [after] = app.extensions["dashboard.tallies"].values()
    assert len(after.ids) == len(first.ids) + 1, "the new response is counted at once"


def test_rows_alike_are_made_one_with_counts_and_keys_added_and_months_widened():
    rows = pd.DataFrame(
        {
            "wave_id": [1, None, 1, None, 2],
            "area": ["leicester", None, "leicester", None, "leicester"],
            "first_month": ["2026-03", "2026-01", "2025-11", "2026-02", "2026-05"],
            "last_month": ["2026-04", "2026-01", "2026-06", "2026-02", "2026-05"],
            "count": [3, 1, 2, 4, 5],
            "key": [10, 20, 30, 40, 50],
        }
    )
    merged = dashboard_counts._merged(rows)
    assert merged.to_dict("records") == [
        {
            "wave_id": 1,
            "area": "leicester",
            "first_month": "2025-11",
            "last_month": "2026-06",
            "count": 5,
            "key": 40,
        },
        {
            "wave_id": None,
            "area": None,
            "first_month": "2026-01",
            "last_month": "2026-02",
            "count": 5,
            "key": 60,
        },
        {
            "wave_id": 2,
            "area": "leicester",
            "first_month": "2026-05",
            "last_month": "2026-05",
            "count": 5,
            "key": 50,
        },
    ]


def test_flagged_answers_are_counted_by_kind_with_small_counts_hidden(app):
    community = load_file(QUESTIONNAIRES / "community.yaml")
    answers = ["My cousin got stabbed at the shop"] * 10 + ["I want to kill myself", "kms honestly"]
    for text in answers:
        Respondent(app.test_client()).complete("community", community, {"make_area_safer": text})
    client = signed_in(app, "analyst", "analyst@example.org")
    html = page(client, f"/staff/surveys/community/dashboard?wave={dashboard.NO_WAVE}")
    rows = dict(table(html, "harm-table"))
    assert rows == {
        "Self-harm or suicidal thoughts": "[c]",
        "Violence or abuse at home": "0",
        "Sexual abuse, exploitation or grooming": "0",
        "Criminal exploitation: county lines, drugs, debts": "0",
        "Carrying or threatened with a weapon": "10",
        "Serious threats or bullying": "0",
    }


def test_sentiment_says_how_many_answers_were_scored_in_each_language(app):
    demo(app, 300)
    with app.app_context():
        answers = pd.DataFrame(
            db_session()
            .execute(
                select(Answer.response_id, Answer.text, Answer.text_language)
                .join(Item, Item.id == Answer.item_id)
                .join(QuestionnaireVersion, QuestionnaireVersion.id == Item.version_id)
                .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
                .where(Questionnaire.slug == "young-people", Item.kind == "text", Answer.text != "")
            )
            .all(),
            columns=["response_id", "text", "language"],
        )
    answers["response_id"] = answers["response_id"].astype(str)
    scores = [sentiment(text, tag) for text, tag in zip(answers["text"], answers["language"], strict=True)]
    scored = answers[[score is not None for score in scores]]
    assert scored["language"].nunique() > 1, "the demo answers are in several languages, all scored"
    by_language = {tag: rows["response_id"] for tag, rows in scored.groupby("language")}
    # Most first by the figures shown, then by tag: the true order would rank the withheld ones.
    order = sorted(by_language, key=lambda tag: (-perturbed(app, by_language[tag]), tag))
    languages = ", ".join(f"{tag_name(tag)} {published(app, by_language[tag])}" for tag in order)
    html = unescape(page(signed_in(app, "analyst"), YP))
    total, scored_total = published(app, answers["response_id"]), published(app, scored["response_id"])
    expected = f"From {scored_total} of {total} answers ({languages})."
    assert f"Sentiment of the free-text answers: {expected}" in html


def test_a_worker_counts_in_advance_so_the_first_view_counts_nothing(app, monkeypatch):
    """wsgi.py warms each worker's dashboard in the background: the first analyst's view, and
    another breakdown, then count no response again; a survey with no responses is passed over."""
    demo(app, 40)
    dashboard.warm_in_background(app).join()
    counted = responses_counted(monkeypatch)
    client = signed_in(app, "analyst")
    assert table(page(client, YP), "crosstab-table")
    assert table(page(client, f"{YP}?breakdown=language"), "crosstab-table")
    assert counted == [], "the worker counted the responses before the first view"
    assert len(app.extensions["dashboard.figures"]) >= 1
