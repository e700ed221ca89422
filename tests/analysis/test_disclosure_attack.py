"""An integer-programming attack on a whole report's tables (``milp_attack``): no withheld count,
base or "everyone who answered" is pinned, and none can be narrowed to fewer than ``min_count``
possible values' width, on demo data of both surveys."""

from __future__ import annotations

import pandas as pd
import pytest
from milp_attack import attack
from responses_factory import load_definition, make_responses, random_responses

from analysis.demo import generate
from analysis.report import (
    DEFAULT_RULES,
    build_report,
    load_district_deprivation,
    load_districts,
    most_deprived,
)
from analysis.reporting.breakdowns import BREAKDOWNS, BY_DISTRICT, district_groups
from analysis.reporting.survey import Lookups, prepare, question_crosstabs
from analysis.reporting.tables import table_id
from analysis.stats.crosstab import NOT_KNOWN, POOLED
from analysis.stats.disclosure import TOTAL, DisclosureRules

#: The true counts, in the report's groups (``min_base`` combines the same small groups), with nothing
#: small and so nothing withheld: the truth is not worked out by the protection it judges.
TRUE_COUNTS = DisclosureRules(min_count=1, min_base=DEFAULT_RULES.min_base)


def demo_frame(slug: str, n: int, seed: int) -> pd.DataFrame:
    definition = load_definition(slug)
    responses = generate(definition, n, seed=seed, month="2026-10")
    rows = [{**r.answers, "language": r.language} for r in responses]
    return make_responses(definition, rows)


def reader_knowledge(report, frame: pd.DataFrame, slug: str):
    """What the attacker is given besides the tables, and the truth to judge its answers by."""
    definition = load_definition(slug)
    districts, deprivation = load_districts(), load_district_deprivation()
    lookups = Lookups(districts, deprivation, most_deprived(districts, deprivation))
    prepared, questions = prepare(frame[frame["survey"] == slug], definition, lookups)
    crosstabs = question_crosstabs(prepared, questions, TRUE_COUNTS)
    truth = {}
    for question in questions:
        for crosstab in crosstabs[question.id]:
            cells = crosstab.cells.assign(
                outcome=crosstab.cells["outcome"].astype(str).str.removeprefix(f"{question.id}.")
            )
            truth[table_id(slug, question.id, crosstab.breakdown)] = cells
    sizes: dict = {"__all__": len(prepared)}
    shown_areas = set()
    for breakdown in BREAKDOWNS:
        if breakdown not in prepared:
            continue
        published = {g for t in report.tables.values() if t.breakdown == breakdown for g in t.cells["group"]}
        if breakdown == "area":
            shown_areas = published
        values = prepared[breakdown].astype("object").where(prepared[breakdown].notna(), NOT_KNOWN)
        counts = values.astype(str).value_counts()
        named = {g: int(counts.get(g, 0)) for g in published if g not in (TOTAL, POOLED)}
        named[POOLED] = len(prepared) - sum(named.values())
        sizes[breakdown] = named
    nesting = {}
    for breakdown in BY_DISTRICT:
        nesting[breakdown] = {
            (area if area in shown_areas else POOLED): (coarse if area in shown_areas else POOLED)
            for area, coarse in district_groups(prepared, breakdown).items()
        }
        # Small districts stay combined in these groups too, so their sizes add up from the areas'.
        coarse_sizes: dict = {}
        for area, coarse in nesting[breakdown].items():
            coarse_sizes[coarse] = coarse_sizes.get(coarse, 0) + sizes["area"].get(area, 0)
        sizes[breakdown] = coarse_sizes
    return truth, sizes, nesting


@pytest.mark.parametrize(
    ("slug", "frame"),
    [
        ("young-people", lambda: demo_frame("young-people", 1500, seed=3)),
        ("community", lambda: demo_frame("community", 900, seed=4)),
        ("young-people", lambda: random_responses(load_definition("young-people"), 700, seed=1)),
    ],
    ids=["young-people-demo", "community-demo", "young-people-random"],
)
def test_no_withheld_figure_of_a_report_can_be_narrowed(slug, frame):
    responses = frame()
    report = build_report(responses, {slug: load_definition(slug)})
    truth, sizes, nesting = reader_knowledge(report, responses, slug)
    findings = attack(report.tables.values(), truth, sizes, nesting, enough=DEFAULT_RULES.min_count)
    assert len(findings) > 100, "the data should make the tables withhold figures"
    narrow = [f for f in findings if f.width < DEFAULT_RULES.min_count]
    assert narrow == []
    # The attacker's ranges hold the truth: it solved the right sums.
    solved = [f for f in findings if f.exact]
    assert len(solved) > 20 and all(f.low <= f.value <= f.high for f in solved)
