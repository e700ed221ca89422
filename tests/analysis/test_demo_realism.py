"""Demo responses tell the story the SNA tells, so charts built on them do not mislead.

Bands are wide enough for sampling noise at n = 5,000 (a share's standard error is under one
point there) and narrow enough to fail if a relationship disappears or turns round.
"""

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.areas import add_deprivation, load_district_deprivation
from analysis.demo import DISTRICT_CODES, POSTCODE_DISTRICTS, generate

ROOT = Path(__file__).resolve().parents[2]
BANK = yaml.safe_load((ROOT / "analysis" / "data" / "demo_text.yaml").read_text("utf-8"))["answers"]
TEXT_LANGUAGE = {entry["text"].strip(): entry["lang"] for entries in BANK.values() for entry in entries}
TEXT_THEMES = {entry["text"].strip(): set(entry["themes"]) for entries in BANK.values() for entry in entries}
UNSAFE = {"a_bit_unsafe", "very_unsafe"}
NOT_AN_OPINION = {"dont_know", "prefer_not_to_say", "does_not_apply"}
CARRIED = {"yes_last_12_months", "yes_longer_ago"}


def frame(name: str, n: int = 5000, seed: int = 0) -> pd.DataFrame:
    definition = yaml.safe_load((ROOT / "questionnaires" / f"{name}.yaml").read_text("utf-8"))
    responses = generate(definition, n, seed=seed)
    table = pd.DataFrame([r.answers for r in responses])
    table["language"] = [r.language for r in responses]
    return table


def share(answers: pd.Series, outcome: set[str], excluded: set[str] = NOT_AN_OPINION) -> float:
    """Share giving ``outcome`` among those who gave an opinion, as a crosstab would report it."""
    given = answers.dropna()
    given = given[~given.isin(excluded)]
    return float(given.isin(outcome).mean())


@pytest.fixture(scope="module")
def young() -> pd.DataFrame:
    return frame("young-people")


@pytest.fixture(scope="module")
def adults() -> pd.DataFrame:
    return frame("community")


def test_feeling_unsafe_after_dark_is_far_commoner_in_leicester_than_in_rutland_and_harborough(young):
    leicester = share(young.loc[young["area"] == "leicester", "safe_area_dark"], UNSAFE)
    least_deprived = share(young.loc[young["area"].isin(["rutland", "harborough"]), "safe_area_dark"], UNSAFE)
    assert leicester > least_deprived + 0.25
    assert 0.55 < leicester < 0.8


def test_feeling_unsafe_falls_quintile_by_quintile_of_district_deprivation(young):
    codes = young.assign(area=young["area"].map(DISTRICT_CODES))
    with_deprivation = add_deprivation(codes, load_district_deprivation())
    by_quintile = with_deprivation.groupby("deprivation_quintile")["safe_area_dark"].apply(share, UNSAFE)
    # Leicester's typical neighbourhood is in quintile 2; the county districts in 4 and 5.
    assert list(by_quintile.index) == [2, 4, 5]
    assert by_quintile[2] > by_quintile[4] + 0.15 > by_quintile[5] + 0.15


def test_half_feel_unsafe_somewhere_and_most_in_the_most_deprived_area_do_not_always_feel_safe(young):
    statements = [column for column in young.columns if column.startswith("safe_")]
    unsafe_somewhere = young[statements].isin(UNSAFE).any(axis=1)
    assert 0.45 < unsafe_somewhere.mean() < 0.65
    leicester = young["area"] == "leicester"
    not_always_safe = {"fairly_safe", "a_bit_unsafe", "very_unsafe"}
    assert share(young.loc[leicester, "safe_area_dark"], not_always_safe) > 0.8


def test_after_dark_feels_less_safe_than_daytime(young, adults):
    for table in (young, adults):
        assert share(table["safe_area_dark"], UNSAFE) > share(table["safe_area_day"], UNSAFE) + 0.25


def test_the_youngest_feel_safer_than_the_oldest(young):
    youngest = share(young.loc[young["age_band"] == "age_11_13", "safe_area_dark"], UNSAFE)
    oldest = share(young.loc[young["age_band"] == "age_22_25", "safe_area_dark"], UNSAFE)
    assert youngest < oldest - 0.05


def test_knife_carrying_is_rare_and_mostly_for_protection_or_fear(young):
    assert 0.04 < share(young["ever_carried"], CARRIED, {"prefer_not_to_say"}) < 0.10
    assert 0.85 < share(young["thought_about_carrying"], {"no"}, {"prefer_not_to_say"}) < 0.95
    reasons = young["carry_reasons"].dropna().explode().value_counts()
    assert set(reasons.index[:2]) == {"protection", "fear"}


def test_knowing_a_carrier_rises_with_deprivation_and_with_what_people_have_seen(young):
    leicester = share(young.loc[young["area"] == "leicester", "know_someone_carries"], {"yes"})
    county = share(young.loc[young["area"].isin(["rutland", "harborough"]), "know_someone_carries"], {"yes"})
    assert leicester > county + 0.15
    saw = share(young.loc[young["saw_knife"] == "yes", "know_someone_carries"], {"yes"})
    did_not = share(young.loc[young["saw_knife"] == "no", "know_someone_carries"], {"yes"})
    assert saw > did_not + 0.2
    hurt = share(young.loc[young["was_hurt"] == "yes", "thought_about_carrying"], {"yes"})
    not_hurt = share(young.loc[young["was_hurt"] == "no", "thought_about_carrying"], {"yes"})
    assert hurt > not_hurt + 0.05


def test_refusals_and_dont_knows_are_present_but_small(young):
    for column in ("gender", "ethnic_group", "was_hurt", "ever_carried"):
        refused = (young[column] == "prefer_not_to_say").mean()
        assert 0.005 < refused < 0.1, column
    assert 0.005 < (young["safe_area_dark"] == "dont_know").mean() < 0.05


def test_areas_follow_population(young):
    areas = young["area"].value_counts(normalize=True)
    assert 0.27 < areas["leicester"] < 0.37
    assert areas["charnwood"] > areas["rutland"] * 3
    assert 0.01 < areas[["somewhere_else", "dont_know", "prefer_not_to_say"]].sum() < 0.08


def test_languages_follow_the_census_mix(young):
    assert len(set(young["language"]) - {"en"}) >= 8
    leicester = young.loc[young["area"] == "leicester", "language"].value_counts(normalize=True)
    assert 0.65 < leicester["en"] < 0.82
    assert leicester.index[1] == "gu"
    assert 0.1 < leicester["gu"] < 0.18
    county = young.loc[young["area"].isin(DISTRICT_CODES) & (young["area"] != "leicester"), "language"]
    assert (county == "en").mean() > 0.9


def test_postcode_districts_lie_in_the_district_named(young):
    given = young.dropna(subset=["postcode_district"])
    assert all(re.fullmatch(r"[A-Z]{1,2}\d{1,2}", code.upper()) for code in given["postcode_district"])
    assert all(
        code.upper() in POSTCODE_DISTRICTS[area]
        for area, code in zip(given["area"], given["postcode_district"], strict=True)
    )
    assert given["area"].isin(["dont_know", "prefer_not_to_say"]).sum() == 0
    in_districts = young[young["area"].isin(DISTRICT_CODES)]
    assert 0.45 < in_districts["postcode_district"].notna().mean() < 0.65


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("young", ["one_thing_safer", "why_carry_knives", "anything_else"]),
        ("adults", ["make_area_safer", "causes_of_violence", "for_young_people"]),
    ],
)
def test_free_text_is_written_by_about_half_and_comes_from_the_bank(request, table, columns):
    answers = request.getfixturevalue(table)
    for column in columns:
        assert 0.4 < answers[column].notna().mean() < 0.6, column
        written = answers[column].dropna()
        assert written.isin(TEXT_LANGUAGE).all(), column
        assert written.map(TEXT_LANGUAGE).eq("en").any()


def test_free_text_is_mostly_in_the_respondents_language_with_some_english(young, adults):
    pairs = []
    for table, columns in (
        (young, ["one_thing_safer", "why_carry_knives", "anything_else"]),
        (adults, ["make_area_safer", "causes_of_violence", "for_young_people"]),
    ):
        for column in columns:
            written = table.dropna(subset=[column])
            written = written[written["language"] != "en"]
            pairs += zip(written["language"], written[column].map(TEXT_LANGUAGE), strict=True)
    same = sum(language == text for language, text in pairs) / len(pairs)
    english = sum(text == "en" for _, text in pairs) / len(pairs)
    assert 0.6 < same < 0.9
    assert english > 0.1
    assert len({text for _, text in pairs} - {"en"}) >= 8


def test_free_text_echoes_earlier_answers(young):
    written = young.dropna(subset=["one_thing_safer"])
    about_youth = written["one_thing_safer"].map(lambda text: "youth_provision" in TEXT_THEMES[text])
    none_near = about_youth[written["youth_activities"] == "none_near"].mean()
    go = about_youth[written["youth_activities"] == "yes_go"].mean()
    assert none_near > go + 0.08


def test_residents_see_more_drug_dealing_and_problems_in_leicester(adults):
    leicester = adults["area"] == "leicester"
    county = adults["area"].isin(DISTRICT_CODES) & ~leicester
    assert share(adults.loc[leicester, "seen_drug_dealing"], {"frequently"}) > (
        share(adults.loc[county, "seen_drug_dealing"], {"frequently"}) + 0.15
    )
    big = {"very_big_problem", "fairly_big_problem"}
    assert (
        share(adults.loc[leicester, "problem_drugs"], big)
        > share(adults.loc[county, "problem_drugs"], big) + 0.2
    )
    assert 0.1 < share(adults["seen_drug_dealing"], {"frequently"}) < 0.3
    assert share(adults["agree_enough_for_young_people"], {"disagree", "strongly_disagree"}) > 0.5
