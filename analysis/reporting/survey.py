"""Every table of one survey's report wave: questions by breakdowns, waves, free text, themes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.districts import MostDeprived, add_area_lookup
from analysis.questionnaire import ChoiceQuestion, Definition, choice_questions
from analysis.reporting.breakdowns import (
    BREAKDOWNS,
    BY_DISTRICT,
    OVERALL,
    add_breakdown_columns,
    breakdowns_for,
    district_groups,
    group_labels,
)
from analysis.reporting.changes import change_table, wave_crosstab
from analysis.reporting.coarsen import coarsen
from analysis.reporting.counts import free_text_table, theme_table
from analysis.reporting.derived import add_derived
from analysis.reporting.selection import Selection, WaveRows
from analysis.reporting.tables import Table, TableContext, publish, stat_item
from analysis.stats import Crosstab, DisclosureRules, crosstab_set
from analysis.stats.disclosure import TOTAL

DEPRIVATION_COLUMNS = ("area_code", "deprivation_decile", "deprivation_quintile", "deprivation_edition")


@dataclass(frozen=True)
class Lookups:
    """Area lookups shared by every survey of a report."""

    districts: pd.DataFrame
    deprivation: pd.DataFrame
    most_deprived: MostDeprived


def prepare(
    rows: pd.DataFrame, definition: Definition, lookups: Lookups
) -> tuple[pd.DataFrame, list[ChoiceQuestion]]:
    """Rows with deprivation, derived answers and breakdown columns, and the questions to tabulate."""
    if "area" in rows:
        frame = add_area_lookup(rows, lookups.districts, lookups.deprivation)
    else:
        frame = rows.assign(**{c: pd.NA for c in DEPRIVATION_COLUMNS})
    frame, derived = add_derived(frame, definition)
    frame = add_breakdown_columns(frame, definition, lookups.most_deprived)
    questions = choice_questions(definition) + derived
    missing = sorted({c for q in questions for c in q.columns} - set(frame.columns))
    if missing:
        raise ValueError(f"{definition['slug']}: responses lack columns {missing}")
    answered = [q for q in questions if frame[list(q.columns)].notna().any(axis=None)]
    return frame, answered


def _crosstabs(frame: pd.DataFrame, question: ChoiceQuestion, rules: DisclosureRules) -> list[Crosstab]:
    """One question by each of its breakdowns: the direct ones protected together, those made of
    whole districts derived from the table by area."""
    chosen = breakdowns_for(frame, question.id)
    direct = crosstab_set(frame, [stat_item(question)], [b for b in chosen if b not in BY_DISTRICT], rules)
    by_area = next((c for c in direct if c.breakdown == "area"), None)
    derived = [
        coarsen(by_area, district_groups(frame, b), b, rules) for b in chosen if b in BY_DISTRICT and by_area
    ]
    return sorted([*direct, *derived], key=lambda c: chosen.index(c.breakdown))


def question_crosstabs(
    frame: pd.DataFrame, questions: list[ChoiceQuestion], rules: DisclosureRules
) -> dict[str, list[Crosstab]]:
    """Each question by each of its breakdowns."""
    return {q.id: _crosstabs(frame, q, rules) for q in questions}


def _overall(crosstabs: list[Crosstab]) -> Crosstab:
    return next(c for c in crosstabs if c.breakdown == OVERALL)


def _only_totals(crosstab: Crosstab) -> Crosstab:
    """The overall table keeps its "All respondents" column; its constant group repeats it."""
    cells = crosstab.cells[crosstab.cells["group"] == TOTAL].reset_index(drop=True)
    return Crosstab(crosstab.item, crosstab.breakdown, cells, crosstab.tables)


def survey_tables(
    selection: Selection,
    definition: Definition,
    lookups: Lookups,
    rules: DisclosureRules,
    themes: pd.DataFrame | None = None,
) -> list[Table]:
    """Every published table of ``selection``'s report wave, in report order."""
    main = selection.main
    context = TableContext(selection.survey, main.key, main.synthetic)
    frame, questions = prepare(main.rows, definition, lookups)
    crosstabs = question_crosstabs(frame, questions, rules)
    title = definition["title"]
    labels = {b: group_labels(definition, b, lookups.most_deprived) for b in BREAKDOWNS}
    tables = []
    for question in questions:
        for crosstab in crosstabs[question.id]:
            if crosstab.breakdown == OVERALL:
                shown, heading = _only_totals(crosstab), f"{title}: {question.label} (all respondents)"
            else:
                shown, heading = crosstab, f"{title}: {question.label} (by {BREAKDOWNS[crosstab.breakdown]})"
            tables.append(publish(shown, question, context, labels[crosstab.breakdown], heading))
    if selection.compare is not None:
        tables += _wave_tables(
            selection.compare, main, questions, crosstabs, definition, lookups, rules, context
        )
    free_text = free_text_table(frame, definition, context, rules)
    themed = theme_table(themes, definition, context, rules) if themes is not None else None
    return tables + [t for t in (free_text, themed) if t is not None]


def _wave_tables(
    earlier: WaveRows,
    later: WaveRows,
    questions: list[ChoiceQuestion],
    later_crosstabs: Mapping[str, list[Crosstab]],
    definition: Definition,
    lookups: Lookups,
    rules: DisclosureRules,
    context: TableContext,
) -> list[Table]:
    frame, earlier_questions = prepare(earlier.rows, definition, lookups)
    asked_before = {q.id for q in earlier_questions}
    both = [q for q in questions if q.id in asked_before]
    earlier_crosstabs = question_crosstabs(frame, both, rules)
    labels = {earlier.key: earlier.label, later.key: later.label}
    pairs = []
    tables = []
    for question in both:
        by_wave = wave_crosstab(
            _overall(earlier_crosstabs[question.id]),
            _overall(later_crosstabs[question.id]),
            earlier.key,
            later.key,
        )
        pairs.append((question, by_wave))
        heading = f"{definition['title']}: {question.label} (by wave)"
        tables.append(publish(by_wave, question, context, labels, heading))
    if pairs:
        tables.append(change_table(pairs, earlier.key, later.key, context, rules))
    return tables
