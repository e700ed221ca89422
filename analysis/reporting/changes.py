"""Wave-on-wave tables and the tests of change between them.

Each wave's column is cut from the "all respondents" figures of that wave's own tables, protected
with that wave's own breakdowns. Tabulating the two waves together instead would protect the
report wave's overall counts differently from its other tables (and the earlier wave's differently
from its own report), and a count hidden in one table but shown in another can be read off.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.questionnaire import MULTI, ChoiceQuestion
from analysis.reporting.breakdowns import WAVE
from analysis.reporting.tables import Table, TableContext, outcome_labels
from analysis.stats import Crosstab, DisclosureRules, compare_waves, crosstab_wave_counts
from analysis.stats.disclosure import TOTAL

CHANGE_COLUMNS = (
    "table_id", "survey", "wave", "synthetic", "question", "question_label", "outcome",
    "outcome_label", "wave_a", "wave_b", "percent_a", "percent_b", "change_points",
    "change_low", "change_high", "test", "p_value", "q_value", "significant", "reportable",
    "family_size",
)  # fmt: skip


def wave_crosstab(earlier: Crosstab, later: Crosstab, earlier_key: str, later_key: str) -> Crosstab:
    """One item by wave, from each wave's overall crosstab (see the module docstring).

    The result has no combined column: two waves' answers added together describe no population.
    """
    parts = []
    for table, key in ((earlier, earlier_key), (later, later_key)):
        cells = table.cells[table.cells["group"] == TOTAL].copy()
        cells["group"] = key
        cells["breakdown"] = WAVE
        parts.append(cells)
    return Crosstab(later.item, WAVE, pd.concat(parts, ignore_index=True), tables={})


def change_table(
    crosstabs: Sequence[tuple[ChoiceQuestion, Crosstab]],
    earlier_key: str,
    later_key: str,
    context: TableContext,
    rules: DisclosureRules,
) -> Table:
    """Every answer and outcome of every question, earlier wave against later, as one family for
    Benjamini-Hochberg. Figures of a comparison that is not reportable are left out."""
    rows = []
    for question, crosstab in crosstabs:
        counts = crosstab_wave_counts(crosstab, earlier_key, later_key)
        counts["question"] = question.id
        counts["question_label"] = question.label
        outcome = counts["outcome"].astype(str)
        if question.kind == MULTI:
            outcome = outcome.str.removeprefix(f"{question.id}.")
        counts["outcome"] = outcome
        counts["outcome_label"] = outcome.map(outcome_labels(question)).fillna(outcome)
        rows.append(counts)
    tested = compare_waves(pd.concat(rows, ignore_index=True), rules=rules)
    shown = tested["reportable"].to_numpy(bool)
    identifier = f"{context.survey}.wave_changes"
    frame = pd.DataFrame(
        {
            "table_id": identifier,
            "survey": context.survey,
            "wave": context.wave,
            "synthetic": context.synthetic,
            "question": tested["question"],
            "question_label": tested["question_label"],
            "outcome": tested["outcome"],
            "outcome_label": tested["outcome_label"],
            "wave_a": earlier_key,
            "wave_b": later_key,
            "percent_a": (100 * tested["p_a"]).where(shown),
            "percent_b": (100 * tested["p_b"]).where(shown),
            "change_points": (100 * tested["difference"]).where(shown),
            "change_low": (100 * tested["diff_low"]).where(shown),
            "change_high": (100 * tested["diff_high"]).where(shown),
            "test": tested["test"].where(shown),
            "p_value": tested["p_value"].where(shown),
            "q_value": tested["q_value"].where(shown),
            "significant": tested["significant"].astype("boolean").where(shown),
            "reportable": shown,
            "family_size": int(np.isfinite(tested["p_value"]).sum()),
        },
        columns=list(CHANGE_COLUMNS),
    )
    title = f"Change from {earlier_key} to {later_key}, every question (Benjamini-Hochberg family)"
    return Table(identifier, context.survey, "wave_changes", WAVE, title, frame)
