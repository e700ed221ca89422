"""Deprivation breakdowns derived from the table by district never undo its protection.

The check is the one ``analysis.stats.disclosure`` applies to a single table, extended to all the
tables of a question by district, by deprivation quintile and by most deprived or not: write
every published relation as a linear equation (answers add up to totals and bases, collapsed
outcomes to their answers, a quintile to its districts) and ask whether any hidden count is fixed
by the shown ones.
"""

import numpy as np
import pandas as pd
import pytest
from responses_factory import load_definition, random_responses
from scipy.linalg import null_space

from analysis.districts import add_area_lookup
from analysis.report import build_report
from analysis.reporting.tables import OUTCOMES

YP = load_definition("young-people")
COARSE = ("deprivation_quintile", "deprivation_group")


@pytest.fixture(scope="module")
def report():
    # About 35 young people per district: plenty of small counts to protect.
    return build_report(random_responses(YP, 420, seed=11), {"young-people": YP})


def _shown(display: str) -> bool:
    return display.replace(",", "").isdigit()


class System:
    """Cells as unknowns, published relations as equations, shown cells as known."""

    def __init__(self):
        self.index, self.hidden, self.equations = {}, [], []

    def cell(self, key, shown):
        if key not in self.index:
            self.index[key] = len(self.index)
            self.hidden.append(not shown)
        return self.index[key]

    def equation(self, plus, minus):
        self.equations.append(([self.index[k] for k in plus], [self.index[k] for k in minus]))

    def determined(self):
        """Hidden cells whose value follows from the shown ones."""
        hidden = np.flatnonzero(self.hidden)
        column = {v: k for k, v in enumerate(hidden)}
        matrix = np.zeros((len(self.equations), len(hidden)))
        for row, (plus, minus) in enumerate(self.equations):
            for v in plus:
                if v in column:
                    matrix[row, column[v]] += 1
            for v in minus:
                if v in column:
                    matrix[row, column[v]] -= 1
        free = null_space(matrix)
        fixed = np.all(np.abs(free) < 1e-9, axis=1) if free.size else np.ones(len(hidden), bool)
        names = {v: k for k, v in self.index.items()}
        return [names[hidden[k]] for k in np.flatnonzero(fixed)]


def _add_table(system, table, tag):
    """Cells and additive relations of one single-choice table; returns its groups."""
    cells = table.cells[table.cells["kind"].isin(["answer", "outcome"])]
    groups = list(dict.fromkeys(cells["group"]))
    answers = list(dict.fromkeys(cells.loc[cells["kind"] == "answer", "outcome"]))
    for row in cells.itertuples():
        system.cell((tag, row.outcome, row.group), _shown(row.count_display))
        system.cell((tag, "base", row.group), _shown(row.base_display))
    interior = [g for g in groups if g != "Total"]
    for outcome in [*answers, "base"]:
        system.equation([(tag, outcome, g) for g in interior], [(tag, outcome, "Total")])
    for group in groups:
        system.equation([(tag, a, group) for a in answers], [(tag, "base", group)])
        for outcome in OUTCOMES:
            if (tag, outcome.name, group) in system.index:
                members = [(tag, a, group) for a in answers if a in outcome.members]
                system.equation(members, [(tag, outcome.name, group)])
    return interior


def _members(report, breakdown, districts):
    """The districts (and "not known") in each group of ``breakdown``, from the area lookup; small
    districts combined stay combined."""
    members = {"pooled": ["pooled"]} if "pooled" in districts else {}
    districts = [d for d in districts if d != "pooled"]
    areas = pd.array([None if d == "not_known" else d for d in districts], dtype="string")
    quintiles = add_area_lookup(pd.DataFrame({"area": areas}))["deprivation_quintile"]
    for district, quintile in zip(districts, quintiles, strict=True):
        if pd.isna(quintile):
            group = "not_known"
        elif breakdown == "deprivation_quintile":
            group = str(quintile)
        else:
            group = "most_deprived" if quintile == report.most_deprived.quintile else "other_areas"
        members.setdefault(group, []).append(district)
    return members


def test_no_hidden_count_follows_from_the_district_and_deprivation_tables(report):
    hidden = 0
    for question in ("safe_area_dark", "safe_bus", "police_rating", "worry_knife_crime", "ever_carried"):
        system = System()
        districts = _add_table(system, report.tables[f"young-people.{question}.area"], "area")
        for breakdown in COARSE:
            members = _members(report, breakdown, districts)
            cells = report.tables[f"young-people.{question}.{breakdown}"].cells
            # Its totals are the district table's own cells, already in the system.
            cells = cells[cells["kind"].isin(["answer", "outcome"]) & (cells["group"] != "Total")]
            for row in cells.itertuples():
                system.cell((breakdown, row.outcome, row.group), _shown(row.count_display))
                system.cell((breakdown, "base", row.group), _shown(row.base_display))
                for outcome in (row.outcome, "base"):
                    in_group = [("area", outcome, d) for d in members[row.group]]
                    system.equation(in_group, [(breakdown, outcome, row.group)])
        assert system.determined() == [], question
        hidden += sum(system.hidden)
    assert hidden > 20  # the data really did hide cells
