"""Statements never quote a figure that disclosure control withholds."""

import re

from responses_factory import load_definition, make_responses, spread

from analysis.report import build_report
from analysis.reporting.markdown import render
from analysis.stats import DisclosureRules

YP = load_definition("young-people")
COMMUNITY = load_definition("community")
DEFINITIONS = {"young-people": YP, "community": COMMUNITY}
DIGIT = re.compile(r"\d")


def has_number(text):
    """Digits other than those of the question wording "in the last 12 months"."""
    return bool(DIGIT.search(text.replace("12 months", "")))


def statement(report, number):
    return next(s for s in report.statements if s.id == number)


def test_a_base_under_thirty_gives_a_statement_with_no_number():
    rows = spread(25, seen_drug_dealing={"frequently": 12, "never": 13})
    s6 = statement(build_report(make_responses(COMMUNITY, rows), DEFINITIONS), 6)
    assert s6.suppressed
    assert "withheld for disclosure control" in s6.text
    assert not has_number(s6.text), s6.text
    [fig] = s6.figures
    assert fig["percent"] is None and fig["ci_low"] is None and fig["ci_high"] is None


def test_a_small_count_gives_a_statement_with_no_number():
    # 4 of 100 frequently saw dealing: the count is withheld ("[c]") and the percentage too.
    rows = spread(100, seen_drug_dealing={"frequently": 4, "never": 96})
    s6 = statement(build_report(make_responses(COMMUNITY, rows), DEFINITIONS), 6)
    assert s6.suppressed
    assert not has_number(s6.text), s6.text
    assert s6.figures[0]["count_display"] == "[c]"


def test_a_deprived_group_too_small_to_show_is_not_quoted_and_the_rest_still_is():
    # Twenty young people from Leicester: a group under 30 is combined with others, so that sentence
    # carries no number.
    leicester = spread(20, area={"leicester": 20}, safe_area_dark={"very_unsafe": 10, "very_safe": 10})
    charnwood = spread(100, area={"charnwood": 100}, safe_area_dark={"very_safe": 50, "a_bit_unsafe": 50})
    s1 = statement(build_report(make_responses(YP, leicester + charnwood), DEFINITIONS), 1)
    overall, deprived = s1.text.split(" Too few young people in the most deprived areas")
    assert overall.startswith("50% (95% CI 41% to 59%; base 120) of young people feel a bit or very unsafe")
    assert not has_number(deprived), deprived
    assert not [f for f in s1.figures if "most deprived" in f["label"]]


def test_secondarily_suppressed_cells_are_withheld_too():
    # Five Leicester respondents say "very unsafe": that count is primary-suppressed, and secondary
    # suppression then hides the overall "a bit or very unsafe" (55 of 145, 38%) as well, since
    # it would give the five away. Leicester's true figures are 5 of 45 (11%) and 25 of 45 (56%).
    leicester = spread(
        45, area={"leicester": 45}, safe_area_dark={"very_safe": 20, "fairly_safe": 20, "very_unsafe": 5}
    )
    charnwood = spread(100, area={"charnwood": 100}, safe_area_dark={"very_safe": 50, "a_bit_unsafe": 50})
    s1 = statement(build_report(make_responses(YP, leicester + charnwood), DEFINITIONS), 1)
    assert s1.text.startswith(
        "The share of young people who feel a bit or very unsafe walking alone in their local area after "
        "dark is withheld for disclosure control, and 52% (95% CI 44% to 60%; base 145) do not always"
    )
    for hidden in ("38%", "11%", "56%"):
        assert hidden not in s1.text
    quoted = {f["cell"]: f["percent"] for f in s1.figures}
    assert quoted["group=Total; outcome=unsafe"] is None
    assert quoted["group=most_deprived; outcome=unsafe"] is None
    assert quoted["group=most_deprived; outcome=not_always_safe"] is None
    assert quoted["group=Total; outcome=not_always_safe"] == 100 * 75 / 145


def test_stricter_rules_withhold_more():
    rows = spread(100, seen_drug_dealing={"frequently": 27, "never": 73})
    report = build_report(make_responses(COMMUNITY, rows), DEFINITIONS, rules=DisclosureRules(min_base=200))
    s6 = statement(report, 6)
    assert s6.suppressed and not has_number(s6.text)
    assert "Percentages on a base below 200 are not shown" in render(report)
