"""The dashboard's filtered views attacked together: a reader who opens the view of every district,
every deprivation quintile and the whole survey, and subtracts one from another with integer
programming (``noisy_attack``), on demo data of both surveys.

Each view alone was once protected and differencing recovered hidden counts exactly (a district's
"carried a knife" = 1 from its quintile minus the other districts). Under cell-key perturbation no
figure is exact, so the reader must allow for the noise every figure may carry: no withheld small
count may be narrowed to a range under ``min_count`` wide.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pytest

from analysis.questionnaire import question
from analysis.reporting.tables import stat_item
from analysis.stats.crosstab import NOT_KNOWN, POOLED
from analysis.stats.disclosure import TOTAL
from survey_app.db import db_session
from survey_app.demo import add_demo_responses
from survey_app.responses.read import responses_frame
from survey_app.staff.dashboard import service as dashboard
from survey_app.staff.surveys import questionnaire
from tests.noisy_attack import Finding, NoisyReader

#: A response that did not answer the question: counted in "responses match these filters" only.
NO_ANSWER = "(no answer)"

#: One survey on each database: the views are read from each the way the dashboard reads them.
CASES = [
    ("sqlite", "young-people", 1500, 3, ["safe_area_dark", "ever_carried"]),
    ("postgresql", "community", 900, 4, ["safe_area_dark", "seen_drug_dealing"]),
]


def _family(offered: dashboard.Choices) -> list[dict[str, str]]:
    """Every view of one question by one breakdown that differs only in where people live."""
    return (
        [{}]
        + [{"area": o.value} for o in offered.options["area"]]
        + [{"deprivation": o.value} for o in offered.options["deprivation"]]
    )


def _areas_of(chosen: dict[str, str], offered: dashboard.Choices, every: set[str]) -> set[str]:
    if "area" in chosen:
        return {chosen["area"]}
    if "deprivation" in chosen:
        return set(offered.quintile_areas[chosen["deprivation"]])
    return every


def _groups(cells: pd.DataFrame, every: set[str]) -> dict[str, set[str]]:
    """Which breakdown values each group of a view holds; the combined group holds the rest."""
    shown = {g for g in cells["group"] if g not in (TOTAL, POOLED)}
    groups = {g: {g} for g in shown}
    groups[POOLED] = every - shown
    groups[TOTAL] = every
    return groups


def _cells(areas: Iterable[str], values: Iterable[str], answers: Iterable[str]) -> list[tuple]:
    return [(a, v, x) for a in areas for v in values for x in answers]


def _attack_question(
    session, source, offered, frame: pd.DataFrame, question_id: str, breakdown: str
) -> list[Finding]:
    """Read every view of the family for one question, then attack."""
    item = stat_item(question(source.merged, question_id))
    area = frame["area"].astype("object").where(frame["area"].notna(), NOT_KNOWN)
    value = frame[breakdown].astype("object").where(frame[breakdown].notna(), NOT_KNOWN)
    answer = frame[question_id].astype("object").where(frame[question_id].notna(), NO_ANSWER)
    truth = pd.Series(1, index=pd.MultiIndex.from_arrays([area, value, answer])).groupby(level=[0, 1, 2])
    truth = truth.sum()
    every_value = set(value)

    def true(members: list[tuple]) -> int:
        return int(truth.reindex(members).fillna(0).sum())

    reader = NoisyReader(dashboard.RULES.perturbation.max_noise, dashboard.RULES.min_count)
    for chosen in _family(offered):
        asked = {**chosen, "wave": "demo", "question": question_id, "breakdown": breakdown}
        filters, ignored = dashboard.parse(asked, source, offered)
        assert ignored == []
        figures = dashboard.figures(session, source, filters, offered)
        if figures.report is None:
            continue
        areas = _areas_of(chosen, offered, set(area))
        everyone = _cells(areas, every_value, [*item.answers, NO_ANSWER])
        reader.read((str(chosen), "responses"), everyone, figures.sample.responses, true(everyone))
        groups = _groups(figures.crosstab.cells, every_value)
        for row in figures.crosstab.cells.itertuples(index=False):
            counted = sorted(item.outcomes[row.outcome]) if row.kind == "outcome" else [row.outcome]
            excluded = row.kind == "excluded"
            members = _cells(areas, groups[row.group], counted)
            base = _cells(areas, groups[row.group], list(item.answers) if excluded else item.counted)
            where = (str(chosen), row.group)
            reader.read((*where, row.outcome), members, row.count_display, true(members))
            reader.read((*where, "answered" if excluded else "base"), base, row.base_display, true(base))
    return reader.attack(enough=dashboard.RULES.min_count)


@pytest.mark.parametrize(
    ("backend", "slug", "count", "seed", "questions"), CASES, ids=[c[1] for c in CASES], indirect=["backend"]
)
def test_no_district_can_be_subtracted_from_its_quintile(app, slug, count, seed, questions):
    with app.app_context():
        session = db_session()
        add_demo_responses(session, slug, count, seed=seed)
        source = dashboard.load(session, questionnaire(session, slug), dashboard.secret(app))
        offered = dashboard.choices(session, source, {})
        frame = responses_frame(session, slug)
        frame = frame[frame["wave"] == "demo"]
        findings = [
            f for q in questions for f in _attack_question(session, source, offered, frame, q, "age_band")
        ]
    small = [f for f in findings if 1 <= f.value < dashboard.RULES.min_count]
    assert len(small) > 20, "the demo data should make the views withhold small counts"
    exact = [f for f in findings if f.exact]
    assert exact, "some ranges were solved exactly"
    assert all(f.low <= f.value <= f.high for f in exact), "the attacker solved the right sums"
    widths = np.array([f.width for f in small])
    print(
        f"{slug}: {len(small)} withheld small counts, {len(exact)} ranges solved exactly; range width "
        f"at least: min {widths.min():.0f}, median {np.median(widths):.0f}"
    )
    narrow = [f for f in small if f.width < dashboard.RULES.min_count]
    assert narrow == [], narrow
