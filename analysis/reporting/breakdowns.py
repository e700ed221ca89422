"""The breakdowns every question is tabulated by, and the columns they need.

Breakdowns come from the responses frame (age band, area, language, channel) or are looked up
from the area (deprivation quintile, most deprived areas or not). ``overall`` is a constant column:
tabulated like the others it is protected together with them, so the overall figures always agree
with the "All respondents" column of every other breakdown.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.districts import MostDeprived
from analysis.questionnaire import Definition, choice_labels, choice_values, item, items
from analysis.stats.crosstab import NOT_KNOWN

OVERALL = "overall"
WAVE = "wave"
MOST_DEPRIVED = "most_deprived"
OTHER_AREAS = "other_areas"

#: Breakdowns in report order, with how a reader names them.
BREAKDOWNS: Mapping[str, str] = {
    OVERALL: "all respondents",
    "age_band": "age band",
    "area": "area (district)",
    "deprivation_quintile": "deprivation quintile of the district",
    "deprivation_group": "most deprived areas or not",
    "language": "language the survey was taken in",
    "channel": "channel",
}
#: Breakdowns whose groups are sets of whole districts: derived from the table by area (see
#: ``analysis.reporting.coarsen``), and meaningless for the area question itself.
BY_DISTRICT = ("deprivation_quintile", "deprivation_group")
#: Breakdowns whose groups are answers to a question of the same id, ordered and labelled by it.
FROM_QUESTIONS = ("age_band", "area")


def add_breakdown_columns(frame: pd.DataFrame, definition: Definition, most: MostDeprived) -> pd.DataFrame:
    """``frame`` (with the deprivation columns of ``add_area_lookup``) plus the breakdown columns.

    Age band and area become categoricals in questionnaire order, so tables list groups as the
    questionnaire does rather than alphabetically.
    """
    out = frame.copy()
    out[OVERALL] = "all"
    for key in FROM_QUESTIONS:
        if key in out:
            order = choice_values(definition, item(definition, key))
            present = set(out[key].dropna())
            categories = [v for v in order if v in present] + sorted(present - set(order))
            out[key] = pd.Categorical(out[key], categories=categories)
    quintile = out["deprivation_quintile"]
    group = pd.Series(pd.NA, index=out.index, dtype="string")
    group[quintile.notna()] = OTHER_AREAS
    group[quintile.eq(most.quintile).fillna(False)] = MOST_DEPRIVED
    out["deprivation_group"] = group
    return out


def district_groups(frame: pd.DataFrame, breakdown: str) -> dict[str, str]:
    """Group of ``breakdown`` for each group of the area breakdown (``not_known`` where missing)."""
    groups = {NOT_KNOWN: NOT_KNOWN}
    for area, value in frame[["area", breakdown]].drop_duplicates().itertuples(index=False):
        groups[NOT_KNOWN if pd.isna(area) else str(area)] = NOT_KNOWN if pd.isna(value) else str(value)
    return groups


def breakdowns_for(frame: pd.DataFrame, question_id: str) -> list[str]:
    """The breakdowns to tabulate ``question_id`` by, ``overall`` first, in ``BREAKDOWNS`` order.
    Those in ``BY_DISTRICT`` come only with ``area``, from which they are derived."""
    chosen = [OVERALL]
    for name in BREAKDOWNS:
        if name in (OVERALL, question_id) or name not in frame:
            continue
        if question_id == "area" and name in BY_DISTRICT:
            continue
        # A breakdown with no values at all (say, no channel recorded) would be one "not known" group.
        if frame[name].notna().any() and (name not in BY_DISTRICT or "area" in chosen):
            chosen.append(name)
    return chosen


def group_labels(definition: Definition, breakdown: str, most: MostDeprived) -> dict[str, str]:
    """Readable names of a breakdown's groups (values not listed keep their key)."""
    if breakdown in FROM_QUESTIONS:
        asked = [candidate for candidate in items(definition) if candidate["id"] == breakdown]
        return choice_labels(definition, asked[0]) if asked else {}
    if breakdown == "deprivation_quintile":
        return {str(q): f"Quintile {q} of 5 (1 = most deprived)" for q in range(1, 6)}
    if breakdown == "deprivation_group":
        return {MOST_DEPRIVED: f"Most deprived areas ({', '.join(most.names)})", OTHER_AREAS: "Other areas"}
    return {}
