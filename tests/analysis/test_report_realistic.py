"""A realistic report: both surveys, two real waves and a demo wave, every table and statement."""

import re

import pandas as pd
import pytest
from responses_factory import load_definition, random_responses

from analysis.report import build_report, write_report
from analysis.reporting.phrases import POINTS

YP = load_definition("young-people")
COMMUNITY = load_definition("community")
DEFINITIONS = {"young-people": YP, "community": COMMUNITY}


@pytest.fixture(scope="module")
def report():
    spring = {"wave": "2026-spring", "wave_label": "Spring 2026", "month": "2026-04"}
    frames = [
        random_responses(YP, 400, seed=1, **spring),
        random_responses(YP, 500, seed=2, language="ur", channel="school"),
        random_responses(YP, 100, seed=3, channel="online"),
        random_responses(YP, 200, seed=4, wave="demo", wave_label="Demo", synthetic=True),
        random_responses(COMMUNITY, 300, seed=5),
    ]
    return build_report(pd.concat(frames, ignore_index=True), DEFINITIONS)


@pytest.fixture(scope="module")
def insights(report, tmp_path_factory):
    folder = tmp_path_factory.mktemp("realistic")
    write_report(report, folder)
    return (folder / "insights.md").read_text(encoding="utf-8")


def test_every_statement_appears_in_insights_md(report, insights):
    assert [s.id for s in report.statements] == list(range(1, 9))
    for statement in report.statements:
        assert f"### {statement.id}. {statement.title}" in insights
        assert statement.text in insights
    assert "SYNTHETIC" not in insights


def test_methods_note_states_samples_rules_and_edition(insights):
    methods = insights.split("## Methods", 1)[1]
    assert "600 responses in Autumn 2026" in methods
    assert "Compared with Spring 2026 (`2026-spring`, 400 responses)" in methods
    assert "300 responses in Autumn 2026" in methods
    assert "en: 100" in methods and "ur: 500" in methods
    assert "IMD 2019, LSOA 2011 boundaries" in methods
    assert "Counts from 1 to 9 are withheld" in methods
    assert "Groups of fewer than 30 people are combined" in methods
    assert "self-selected" in methods


def test_every_figure_is_the_cell_it_names(report):
    for statement in report.statements:
        for fig in statement.figures:
            table = report.tables[fig["table"]]
            keys = dict(part.split("=") for part in fig["cell"].split("; "))
            if fig["unit"] == POINTS:
                row = table.cells[
                    (table.cells["question"] == keys["question"])
                    & (table.cells["outcome"] == keys["outcome"])
                ].iloc[0]
                assert fig["percent"] == row["change_points"]
                continue
            row = table.cell(keys["group"], keys["outcome"])
            assert fig["count_display"] == row["count_display"]
            if fig["percent"] is None:
                assert pd.isna(row["percent"])
            else:
                assert fig["percent"] == row["percent"]
                assert (fig["ci_low"], fig["ci_high"]) == (row["ci_low"], row["ci_high"])
                assert fig["base"] == row["base"]


def test_every_quoted_percentage_is_a_published_figure(report):
    for statement in report.statements:
        quoted = set(re.findall(r"(\d+)% \(95% CI", statement.text))
        published = {str(int(f["percent"] + 0.5)) for f in statement.figures if f["percent"] is not None}
        assert quoted <= published, statement.id


def test_tables_cover_every_question_and_breakdown_with_data(report):
    ids = set(report.tables)
    assert "young-people.safe_area_dark.language" in ids
    assert "young-people.safe_area_dark.channel" in ids
    assert "young-people.places_unsafe.age_band" in ids
    assert "young-people.ever_carried.wave" in ids
    assert "young-people.wave_changes" in ids
    assert "community.seen_drug_dealing.area" in ids
    # No channel recorded for the community survey: nothing to break it down by.
    assert "community.seen_drug_dealing.language" in ids
    assert "community.seen_drug_dealing.channel" not in ids
    # A question is not broken down by itself, nor the area by what is looked up from it.
    assert "young-people.age_band.age_band" not in ids
    assert "young-people.area.deprivation_quintile" not in ids
    # No comparison wave for the community survey.
    assert "community.wave_changes" not in ids


def test_overall_figures_agree_across_breakdowns(report):
    overall = report.tables["young-people.safe_area_dark.overall"].cells
    assert set(overall["group"]) == {"Total"}
    for breakdown in ("age_band", "area", "deprivation_quintile", "deprivation_group", "language", "channel"):
        cells = report.tables[f"young-people.safe_area_dark.{breakdown}"].cells
        totals = cells[cells["group"] == "Total"]
        assert totals["count_display"].tolist() == overall["count_display"].tolist(), breakdown
        assert totals["percent_display"].tolist() == overall["percent_display"].tolist(), breakdown
