"""Crosstabs: hand-counted tables, collapsed outcomes, multi-choice, disclosure, invariants."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.stats.crosstab import NOT_KNOWN, MultiChoiceItem, SingleChoiceItem, crosstab, crosstab_set
from analysis.stats.disclosure import DisclosureRules
from analysis.stats.proportions import wilson_interval

SCALE = ("very_safe", "fairly_safe", "a_bit_unsafe", "very_unsafe", "dont_know", "prefer_not_to_say")
SAFE_DARK = SingleChoiceItem(
    "safe_dark",
    SCALE,
    outcomes={
        "unsafe": {"a_bit_unsafe", "very_unsafe"},
        "not_always_safe": {"fairly_safe", "a_bit_unsafe", "very_unsafe"},
    },
)


def responses(
    counts: dict[str, dict[str | None, int]], item: str = "safe_dark", by: str = "age"
) -> pd.DataFrame:
    """One row per response from {group: {answer: how many}}."""
    rows = [
        (group, answer)
        for group, answers in counts.items()
        for answer, k in answers.items()
        for _ in range(k)
    ]
    return pd.DataFrame(rows, columns=[by, item])


HAND = responses(
    {
        "11-13": {
            "very_safe": 40,
            "fairly_safe": 30,
            "a_bit_unsafe": 20,
            "very_unsafe": 10,
            "dont_know": 12,
            None: 5,
        },
        "14-15": dict(zip(SCALE, [30, 25, 25, 20, 10, 10], strict=True)),
    }
)


def cell(table, group, outcome):
    cells = table.cells.set_index(["group", "outcome"])
    return cells.loc[(group, outcome)]


def test_counts_bases_and_percentages_by_hand():
    table = crosstab(HAND, SAFE_DARK, "age")
    # 11-13: base leaves out 12 "don't know" and the 5 who skipped: 40 + 30 + 20 + 10 = 100.
    very_safe = cell(table, "11-13", "very_safe")
    assert (very_safe["count"], very_safe["base"], very_safe["percent"]) == (40, 100, 40.0)
    assert very_safe["percent_display"] == "40%"
    low, high = wilson_interval(40, 100)
    assert very_safe["ci_low"] == pytest.approx(100 * low)
    assert very_safe["ci_high"] == pytest.approx(100 * high)
    # Total: 70 of 200.
    total = cell(table, "Total", "very_safe")
    assert (total["count"], total["base"], total["percent_display"]) == (70, 200, "35%")
    # 55 of 200 is 27.5%: halves round up.
    assert cell(table, "Total", "fairly_safe")["percent_display"] == "28%"


def test_collapsed_outcomes_add_their_answers():
    table = crosstab(HAND, SAFE_DARK, "age")
    assert cell(table, "11-13", "unsafe")["percent"] == 30.0
    assert cell(table, "14-15", "unsafe")["percent"] == 45.0
    assert cell(table, "14-15", "not_always_safe")["count"] == 70
    assert cell(table, "14-15", "not_always_safe")["kind"] == "outcome"


def test_answers_left_out_of_the_base_are_shares_of_everyone_who_answered():
    table = crosstab(HAND, SAFE_DARK, "age")
    dont_know = cell(table, "11-13", "dont_know")
    assert dont_know["kind"] == "excluded"
    # 112 answered in 11-13 (the 5 who skipped did not): 12 of them did not know.
    assert (dont_know["count"], dont_know["base"], dont_know["base_display"]) == (12, 112, "112")
    assert dont_know["percent_display"] == "11%"
    # The base of the answers in it is unchanged.
    assert cell(table, "11-13", "very_safe")["base"] == 100


def test_excluded_set_is_configurable():
    keep_all = SingleChoiceItem("safe_dark", SCALE, excluded=frozenset())
    table = crosstab(HAND, keep_all, "age")
    assert cell(table, "11-13", "very_safe")["base"] == 112
    assert cell(table, "11-13", "dont_know")["kind"] == "answer"


def test_missing_answers_can_be_counted_as_an_answer():
    item = SingleChoiceItem(
        "safe_dark", (*SCALE, "not_answered"), excluded=frozenset({"dont_know"}), missing_as="not_answered"
    )
    table = crosstab(HAND, item, "age")
    assert cell(table, "11-13", "not_answered")["count"] == 5
    assert cell(table, "11-13", "very_safe")["base"] == 105


def test_answers_outside_the_item_are_an_error():
    frame = HAND.copy()
    frame.loc[0, "safe_dark"] = "quite_safe"
    with pytest.raises(ValueError, match="quite_safe"):
        crosstab(frame, SAFE_DARK, "age")


def test_item_definitions_are_checked():
    with pytest.raises(ValueError, match="outcome"):
        SingleChoiceItem("x", ("a", "b"), outcomes={"both": {"a", "c"}})
    with pytest.raises(ValueError, match="counted"):
        SingleChoiceItem("x", ("a", "dont_know"), outcomes={"unsure": {"dont_know"}})


def test_missing_breakdown_is_a_group_so_totals_match_every_breakdown():
    frame = HAND.copy()
    frame.loc[frame.index[:40], "age"] = None
    table = crosstab(frame, SAFE_DARK, "age")
    assert list(table.cells["group"].unique()) == ["11-13", "14-15", NOT_KNOWN, "Total"]
    answers = table.cells[table.cells["kind"] == "answer"]
    by_group = answers[answers["group"] != "Total"].groupby("outcome")["count"].sum()
    totals = answers[answers["group"] == "Total"].set_index("outcome")["count"]
    assert by_group.reindex(totals.index).equals(totals)


def test_categorical_breakdown_keeps_its_order_and_empty_groups():
    frame = HAND.copy()
    frame["age"] = pd.Categorical(frame["age"], categories=["16-17", "14-15", "11-13"], ordered=True)
    table = crosstab(frame, SAFE_DARK, "age")
    assert list(table.cells["group"].unique()) == ["16-17", "14-15", "11-13", "Total"]
    empty = cell(table, "16-17", "very_safe")
    assert empty["base"] == 0
    assert not empty["percent_publishable"]


SMALL = responses(
    {
        "g1": dict(zip(SCALE, [50, 30, 17, 3], strict=False)),
        "g2": {"very_safe": 10, "fairly_safe": 20},
    }
)


def test_small_cells_low_bases_and_protected_outcomes():
    item = SingleChoiceItem(
        "safe_dark", SCALE, outcomes={**SAFE_DARK.outcomes, "extremes": {"very_safe", "very_unsafe"}}
    )
    table = crosstab(SMALL, item, "age")
    # (very_unsafe, g1) = 3 is small; its row total is 3 too. Column g1 then hides the smallest other
    # cell, a_bit_unsafe = 17, whose row hides its total (the only other non-zero entry). Small or
    # not, a withheld count is shown as one symbol.
    assert table.tables["counted"].display.loc["very_unsafe"].tolist() == ["[c]", "0", "[c]"]
    assert table.tables["counted"].display.loc["a_bit_unsafe"].tolist() == ["[c]", "0", "[c]"]
    assert cell(table, "g1", "very_unsafe")["percent_display"] == "[c]"
    # "unsafe" holds every hidden cell of column g1, whose total is shown: safe to publish.
    unsafe = cell(table, "g1", "unsafe")
    assert (unsafe["count_display"], unsafe["percent_display"]) == ("20", "20%")
    assert cell(table, "Total", "unsafe")["percent_display"] == "15%"
    # "extremes" holds very_unsafe but not a_bit_unsafe: it would reveal (very_unsafe, g1).
    extremes = cell(table, "g1", "extremes")
    assert extremes["count_suppressed"]
    assert (extremes["count_display"], extremes["percent_display"]) == ("[c]", "[c]")
    # g2 has 30 respondents, enough for percentages.
    g2 = cell(table, "g2", "very_safe")
    assert (g2["count_display"], g2["percent_display"]) == ("10", "33%")


def test_a_small_excluded_count_hides_how_many_answered_and_the_base_only_when_few_are_outside_it():
    # 5 "prefer not to say" and 10 "don't know" in g2: the base (100) and the group's size (115)
    # leave 15 outside the base, so the 5 can be anything from 0 to 15. Only how many answered
    # (base plus excluded answers) has to be withheld with it.
    frame = responses(
        {
            "g1": {"very_safe": 60, "very_unsafe": 40, "dont_know": 12},
            "g2": {"very_safe": 50, "very_unsafe": 50, "prefer_not_to_say": 5, "dont_know": 10},
        }
    )
    table = crosstab(frame, SAFE_DARK, "age")
    assert set(table.tables) == {"counted", "excluded"}
    assert not table.tables["counted"].suppressed.to_numpy().any()
    pns = cell(table, "g2", "prefer_not_to_say")
    assert (pns["count_display"], pns["base_display"]) == ("[c]", "[c]")
    assert table.cells.loc[table.cells["kind"] != "excluded", "percent_publishable"].all()


def test_a_base_that_gives_away_a_small_excluded_count_is_withheld():
    # Only the 5 "prefer not to say" are outside g2's base: a reader who knows g2 has 105 people
    # would learn from a base of 100 that at most 5 preferred not to say.
    frame = responses(
        {
            "g1": {"very_safe": 60, "very_unsafe": 40},
            "g2": {"very_safe": 50, "very_unsafe": 50, "prefer_not_to_say": 5},
        }
    )
    table = crosstab(frame, SAFE_DARK, "age")
    assert cell(table, "g2", "very_safe")["base_display"] == "[c]"
    assert cell(table, "g1", "very_safe")["percent_display"] == "60%"


def test_publishable_blanks_what_may_not_be_quoted():
    table = crosstab(SMALL, SAFE_DARK, "age").publishable().set_index(["group", "outcome"])
    assert np.isnan(table.loc[("g1", "very_unsafe"), "count"])
    assert np.isnan(table.loc[("g1", "a_bit_unsafe"), "percent"])
    assert table.loc[("g1", "unsafe"), "percent"] == 20.0


def test_rules_can_be_relaxed():
    table = crosstab(SMALL, SAFE_DARK, "age", DisclosureRules(min_count=1, min_base=1), decimals=1)
    assert cell(table, "g1", "very_unsafe")["percent_display"] == "3.0%"
    assert cell(table, "g2", "very_safe")["percent_display"] == "33.3%"


def test_wide_gives_outcomes_by_groups():
    wide = crosstab(HAND, SAFE_DARK, "age").wide()
    assert list(wide.columns) == ["11-13", "14-15", "Total"]
    assert wide.loc["unsafe", "14-15"] == "45%"


PLACES = MultiChoiceItem("unsafe_places", ("place_bus", "place_park", "place_none"))


def multi_choice_frame() -> pd.DataFrame:
    # 60 in g1: 40 tick bus, 30 park (20 of them both), 10 none. 50 in g2: 25 bus only, 25 none.
    # 5 tick nothing and are not in the base.
    ticks = [(1, 1, 0)] * 20 + [(1, 0, 0)] * 20 + [(0, 1, 0)] * 10 + [(0, 0, 1)] * 10
    ticks += [(1, 0, 0)] * 25 + [(0, 0, 1)] * 25 + [(0, 0, 0)] * 5
    frame = pd.DataFrame(ticks, columns=list(PLACES.options)).astype(bool)
    frame["age"] = ["g1"] * 60 + ["g2"] * 55
    return frame


def test_multi_choice_percentages_are_of_respondents_who_answered():
    table = crosstab(multi_choice_frame(), PLACES, "age")
    assert cell(table, "g1", "place_bus")["percent"] == pytest.approx(100 * 40 / 60)
    assert cell(table, "g1", "place_park")["percent"] == 50.0
    assert cell(table, "g2", "place_bus")["base"] == 50
    assert cell(table, "Total", "place_none")["percent"] == pytest.approx(100 * 35 / 110)
    assert set(table.tables) == set(PLACES.options)
    assert (table.cells["kind"] == "option").all()


def test_multi_choice_missing_ticks_count_as_not_ticked():
    frame = multi_choice_frame()
    frame["place_park"] = frame["place_park"].astype("boolean")
    frame.loc[frame.index[-1], "place_park"] = pd.NA
    assert cell(crosstab(frame, PLACES, "age"), "g2", "place_park")["count"] == 0


def test_multi_choice_small_counts_are_suppressed():
    frame = multi_choice_frame()
    frame.loc[frame.index[:20], "place_park"] = False
    frame.loc[frame.index[40:46], "place_park"] = False
    park = cell(crosstab(frame, PLACES, "age"), "g1", "place_park")
    assert park["count"] == 4
    assert (park["count_display"], park["percent_display"]) == ("[c]", "[c]")


def test_crosstab_set_covers_every_item_and_breakdown():
    frame = multi_choice_frame()
    frame["safe_dark"] = np.resize(np.array(SCALE[:4]), len(frame))
    frame["wave"] = np.resize(np.array(["2025", "2026"]), len(frame))
    tables = crosstab_set(frame, [SAFE_DARK, PLACES], ["age", "wave"])
    assert [(t.item, t.breakdown) for t in tables] == [
        ("safe_dark", "age"),
        ("safe_dark", "wave"),
        ("unsafe_places", "age"),
        ("unsafe_places", "wave"),
    ]


answer_lists = st.lists(st.sampled_from([*SCALE, None]), min_size=1, max_size=300)


@settings(max_examples=60, deadline=None)
@given(answer_lists, st.data())
def test_breakdowns_of_one_item_publish_identical_totals(answers, data):
    n = len(answers)
    frame = pd.DataFrame(
        {
            "safe_dark": answers,
            "age": data.draw(st.lists(st.sampled_from(["a", "b", "c", None]), min_size=n, max_size=n)),
            "area": data.draw(st.lists(st.sampled_from(["x", "y"]), min_size=n, max_size=n)),
        }
    )
    by_age, by_area = crosstab_set(frame, [SAFE_DARK], ["age", "area"])
    columns = ["outcome", "count", "count_suppressed", "count_display", "percent_display"]
    total_age = by_age.cells.loc[by_age.cells["group"] == "Total", columns].reset_index(drop=True)
    total_area = by_area.cells.loc[by_area.cells["group"] == "Total", columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(total_age, total_area)
    for table in (by_age, by_area):
        cells = table.cells
        quoted = cells[cells["percent_publishable"]]
        assert (quoted["base"] >= 30).all()
        assert not quoted["count_suppressed"].any()
        assert ((quoted["ci_low"] <= quoted["percent"]) & (quoted["percent"] <= quoted["ci_high"])).all()
        small = cells[(cells["count"] > 0) & (cells["count"] < 10)]
        assert small["count_suppressed"].all()
