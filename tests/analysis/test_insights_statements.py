"""SNA statements 1-8 against hand-worked figures on crafted responses."""

import re

import pandas as pd
import pytest
from responses_factory import load_definition, make_responses, spread

from analysis.report import build_report
from analysis.reporting.counts import theme_counts
from analysis.stats.proportions import wilson_interval

YP = load_definition("young-people")
COMMUNITY = load_definition("community")
DEFINITIONS = {"young-people": YP, "community": COMMUNITY}


def statement(report, number):
    return next(s for s in report.statements if s.id == number)


def figure(statement, label_start):
    return next(f for f in statement.figures if f["label"].startswith(label_start))


def young_people(rows, **metadata):
    return make_responses(YP, rows, **metadata)


# Leicester is the one district in the most deprived quintile reached (2); Charnwood is quintile 4.
# After dark, Leicester: 10 very safe, 10 fairly, 10 a bit unsafe, 10 very unsafe; Charnwood: 20, 10,
# 20, 10 and 10 "don't know" (fewer would leave the base telling how few did not know).
# All: 30 very safe, 20 fairly, 30 a bit, 20 very unsafe = base 100.
SAFE_AFTER_DARK = young_people(
    spread(
        40,
        area={"leicester": 40},
        safe_area_dark={"very_safe": 10, "fairly_safe": 10, "a_bit_unsafe": 10, "very_unsafe": 10},
    )
    + spread(
        70,
        area={"charnwood": 70},
        safe_area_dark={
            "very_safe": 20,
            "fairly_safe": 10,
            "a_bit_unsafe": 20,
            "very_unsafe": 10,
            "dont_know": 10,
        },
    )
)


def test_unsafe_after_dark_half_of_one_hundred():
    s1 = statement(build_report(SAFE_AFTER_DARK, DEFINITIONS), 1)
    # 50 of 100: Wilson 95% interval 40.4% to 59.6%. "Don't know" is not in the base.
    assert wilson_interval(50, 100) == pytest.approx((0.4038, 0.5962), abs=1e-4)
    assert "50% (95% CI 40% to 60%; base 100) of young people feel a bit or very unsafe" in s1.text
    # Not always safe: 70 of 100, Wilson 60.4% to 78.1%.
    assert "70% (95% CI 60% to 78%; base 100) do not always feel safe there" in s1.text
    unsafe = figure(s1, "Feel unsafe after dark (all)")
    assert unsafe["percent"] == 50.0
    assert (unsafe["ci_low"], unsafe["ci_high"]) == pytest.approx((40.38, 59.62), abs=0.01)
    assert (unsafe["count_display"], unsafe["base"]) == ("50", 100)
    assert unsafe["table"] == "young-people.safe_area_dark.deprivation_group"
    assert unsafe["cell"] == "group=Total; outcome=unsafe"
    assert not s1.suppressed


def test_most_deprived_areas_are_leicester():
    s1 = statement(build_report(SAFE_AFTER_DARK, DEFINITIONS), 1)
    # Leicester: unsafe 20 of 40 (Wilson 35.2% to 64.8%), not always safe 30 of 40 (59.8% to 85.8%).
    assert "In the most deprived areas (Leicester), 50% (95% CI 35% to 65%; base 40) feel unsafe" in s1.text
    assert "75% (95% CI 60% to 86%; base 40) do not always feel safe" in s1.text
    assert figure(s1, "Do not always feel safe after dark (most deprived")["cell"] == (
        "group=most_deprived; outcome=not_always_safe"
    )


def test_a_survey_from_leicester_alone_still_reports_the_most_deprived_areas():
    rows = spread(100, area={"leicester": 100}, safe_area_dark={"very_safe": 50, "very_unsafe": 50})
    s1 = statement(build_report(young_people(rows), DEFINITIONS), 1)
    assert "In the most deprived areas (Leicester), 50% (95% CI 40% to 60%; base 100) feel unsafe" in s1.text


def test_places_ranked_largest_first_without_none_of_these():
    rows = spread(
        100,
        places_unsafe={
            ("buses", "town_centre", "parks"): 20,
            ("buses", "town_centre"): 10,
            ("buses",): 10,
            ("none_of_these",): 60,
        },
    )
    s2 = statement(build_report(young_people(rows), DEFINITIONS), 2)
    # Of 100 who answered: buses 40, town centre 30, parks 20; "None of these" (60) is not a place.
    assert s2.text.index("On buses 40%") < s2.text.index("In the town or city centre 30%")
    assert s2.text.index("In the town or city centre 30%") < s2.text.index("In parks or playing fields 20%")
    assert "None of these" not in s2.text
    assert [f["cell"] for f in s2.figures] == [
        "group=Total; outcome=buses",
        "group=Total; outcome=town_centre",
        "group=Total; outcome=parks",
    ]


def test_never_thought_about_carrying_and_reasons_on_too_small_a_base():
    rows = spread(
        110,
        thought_about_carrying={"no": 90, "yes": 10, "prefer_not_to_say": 10},
        carry_reasons={(): 90, ("protection", "fear"): 10},
    )
    s3 = statement(build_report(young_people(rows), DEFINITIONS), 3)
    low, high = wilson_interval(90, 100)  # 82.6% to 94.5%
    assert f"90% (95% CI {round(100 * low)}% to {round(100 * high)}%; base 100)" in s3.text
    assert "90% (95% CI 83% to 94%; base 100) of young people have never thought" in s3.text
    # Ten gave reasons: a base under 30, so no reason is quoted.
    assert "The reasons given by those who had are withheld for disclosure control." in s3.text
    assert s3.suppressed


def test_reasons_are_shares_of_those_who_gave_a_reason_not_of_those_who_preferred_not_to_say():
    rows = spread(
        300,
        thought_about_carrying={"no": 100, "yes": 200},
        carry_reasons={(): 100, ("protection",): 60, ("fear",): 40, ("prefer_not_to_say",): 100},
    )
    report = build_report(young_people(rows), DEFINITIONS)
    s3 = statement(report, 3)
    # 100 gave a reason; the 100 who ticked only "Prefer not to say" are not in the base.
    assert "To protect myself 60% (95% CI 50% to 69%; base 100)" in s3.text
    assert "Because I was scared 40%" in s3.text
    assert "Prefer not to say" not in s3.text


def test_one_wave_says_so():
    rows = spread(100, ever_carried={"yes_last_12_months": 10, "yes_longer_ago": 20, "no": 70})
    s4 = statement(build_report(young_people(rows), DEFINITIONS), 4)
    assert s4.text.startswith("Only one wave (Autumn 2026) is in this report")
    assert "10% (95% CI 6% to 17%; base 100) of young people say they have carried" in s4.text
    assert "30% (95% CI 22% to 40%; base 100) of young people say they have ever carried" in s4.text
    assert s4.table == "young-people.ever_carried.overall"


def two_waves(recent_before, recent_after):
    def wave(recent, **metadata):
        answers = {"yes_last_12_months": recent, "yes_longer_ago": 100, "no": 900 - recent}
        return young_people(spread(1000, ever_carried=answers), **metadata)

    return pd.concat(
        [
            wave(recent_before, wave="2026-spring", wave_label="Spring 2026", month="2026-04"),
            wave(recent_after),
        ],
        ignore_index=True,
    )


def test_eight_to_six_percent_is_not_significant():
    s4 = statement(build_report(two_waves(80, 60), DEFINITIONS), 4)
    # 80 of 1,000 (Wilson 6.5% to 9.9%) to 60 of 1,000 (4.7% to 7.7%); z = -1.75, p = 0.080.
    assert (
        "went from 8% (95% CI 6% to 10%; base 1,000) in Spring 2026 to 6% (95% CI 5% to 8%; "
        "base 1,000) in Autumn 2026, a change of -2 percentage points"
    ) in s4.text
    assert "not a statistically significant change" in s4.text
    # The family: ever_carried's three counted answers and "ever", and the derived "carries or knows
    # a carrier" (yes, no): six comparisons.
    assert "across 6 wave-on-wave comparisons" in s4.text
    assert s4.table == "young-people.wave_changes"
    change = figure(s4, "Change: carried in the last 12 months")
    assert change["percent"] == pytest.approx(-2.0)
    assert change["unit"] == "points"


def test_eight_to_three_percent_is_significant():
    s4 = statement(build_report(two_waves(80, 30), DEFINITIONS), 4)
    assert "to 3% (95% CI 2% to 4%; base 1,000) in Autumn 2026, a change of -5 percentage points" in s4.text
    assert "a statistically significant change (q < 0.001" in s4.text


def test_carry_or_know_in_most_deprived_areas_against_others():
    leicester = spread(
        40,
        area={"leicester": 40},
        ever_carried={"yes_longer_ago": 10, "yes_last_12_months": 10, "no": 20},
        know_someone_carries={"yes": 10, "no": 30},
    )
    charnwood = spread(
        70,
        area={"charnwood": 70},
        ever_carried={"yes_longer_ago": 10, "no": 50, "prefer_not_to_say": 10},
        know_someone_carries={"yes": 10, "no": 50},
    )
    s5 = statement(build_report(young_people(leicester + charnwood), DEFINITIONS), 5)
    # Leicester: 10 carried longer ago but know a carrier, 10 carried recently, 20 neither:
    # 20 of 40. Charnwood: 10 know a carrier, 50 neither, 10 undetermined (not in the base): 10 of 60.
    assert (
        "In the most deprived areas (Leicester), 50% (95% CI 35% to 65%; base 40) of young people" in s5.text
    )
    assert "compared with 17% (95% CI 9% to 28%; base 60) in other areas" in s5.text
    assert s5.table == "young-people.carries_or_knows_carrier.deprivation_group"


def test_frequently_witnessed_drug_dealing():
    rows = spread(
        110,
        seen_drug_dealing={
            "frequently": 27,
            "sometimes": 13,
            "once_or_twice": 10,
            "never": 50,
            "dont_know": 10,
        },
    )
    s6 = statement(build_report(make_responses(COMMUNITY, rows), DEFINITIONS), 6)
    # 27 of 100 (don't know left out): Wilson 19.3% to 36.4%.
    assert s6.text == (
        "27% (95% CI 19% to 36%; base 100) of adults in the community survey frequently saw drug "
        "dealing in their area in the last 12 months."
    )


def test_causes_ranked_and_themes_pending_without_theme_counts():
    rows = spread(
        100,
        violence_causes={("peer_pressure", "money_problems"): 30, ("peer_pressure",): 30, ("dont_know",): 40},
        why_carry_knives={"Because they are scared": 45},
    )
    s7 = statement(build_report(young_people(rows), DEFINITIONS), 7)
    assert (
        "Pressure from friends or other young people 60% (95% CI 50% to 69%; base 100); Money problems 30%"
        in (s7.text)
    )
    assert "I don't know" not in s7.text
    assert "free-text answers about causes are pending" in s7.text
    assert "45 to “Why do you think some young people carry knives?”" in s7.text


def test_themes_are_used_when_given_and_small_ones_left_out():
    rows = spread(100, one_thing_safer={"More street lights": 80})
    themes = pd.DataFrame(
        {
            "survey": "young-people",
            "question": ["one_thing_safer", "one_thing_safer", "one_thing_safer", "why_carry_knives"],
            "theme": ["Better lighting", "Youth clubs", "Knife arches", "Fear"],
            "count": [40, 20, 4, 30],
            "base": [80, 80, 80, 50],
        }
    )
    report = build_report(young_people(rows), DEFINITIONS, themes=themes)
    s8, s7 = statement(report, 8), statement(report, 7)
    # 40 of 80 = 50%, Wilson 39.3% to 60.7%; 20 of 80 = 25%; 4 is below the minimum count.
    assert (
        "Better lighting (40 answers; 50% (95% CI 39% to 61%; base 80)), Youth clubs (20 answers; 25%"
        in s8.text
    )
    assert re.search(r"to “[^”]+\?”: Better lighting \(40 answers", s8.text), "named with its question"
    assert "Knife arches" not in s8.text
    assert s8.table == "young-people.themes"
    assert "Fear (30 answers; 60%" in s7.text


def test_theme_counts_from_theme_indicators():
    indicators = pd.DataFrame(
        {
            "lighting": [True] * 40 + [False] * 40,
            "youth_clubs": [True] * 20 + [False] * 60,
            "no_theme": [False] * 40 + [True] * 40,
        }
    )
    counts = theme_counts(indicators, "young-people", "one_thing_safer", {"lighting": "Better lighting"})
    assert counts.to_dict("list") == {
        "survey": ["young-people"] * 2,
        "question": ["one_thing_safer"] * 2,
        "theme": ["Better lighting", "youth_clubs"],
        "count": [40, 20],
        "base": [80, 80],
    }
