"""Published tables: a protected crosstab turned into the tidy rows that may leave the building.

A ``Crosstab`` from ``analysis.stats`` keeps the true counts for checks; a ``Table`` keeps only
what may be published, so anything that reads a ``Table`` (files, statements) cannot quote a hidden
figure by mistake: a hidden count, base or percentage is missing, not merely flagged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.questionnaire import MULTI, ChoiceQuestion
from analysis.stats import Crosstab, MultiChoiceItem, SingleChoiceItem
from analysis.stats.crosstab import NOT_KNOWN, POOLED
from analysis.stats.disclosure import TOTAL

#: Answers left out of every percentage base. ``does_not_apply`` keeps people who never take a bus
#: out of "feel unsafe on buses"; ``not_determined`` is the derived answer for mixed skips.
EXCLUDED_FROM_BASE = frozenset({"dont_know", "prefer_not_to_say", "does_not_apply", "not_determined"})
#: Options of a multiple-choice question that are no answer: ticking only "Prefer not to say" keeps
#: someone out of the base ("of those who gave a reason"). "I don't know" stays an answer there.
NOT_AN_ANSWER = frozenset({"prefer_not_to_say"})


@dataclass(frozen=True)
class Outcome:
    """Answers reported together, added to every question whose scale has all of them."""

    name: str
    members: frozenset[str]
    label: str


OUTCOMES = (
    Outcome("unsafe", frozenset({"a_bit_unsafe", "very_unsafe"}), "A bit or very unsafe"),
    Outcome(
        "not_always_safe",
        frozenset({"fairly_safe", "a_bit_unsafe", "very_unsafe"}),
        "Not always safe (anything but very safe)",
    ),
    Outcome("ever", frozenset({"yes_last_12_months", "yes_longer_ago"}), "Yes, ever"),
    Outcome("worried", frozenset({"very_worried", "fairly_worried"}), "Very or fairly worried"),
    Outcome(
        "big_problem",
        frozenset({"very_big_problem", "fairly_big_problem"}),
        "Very or fairly big problem",
    ),
    Outcome("agree_any", frozenset({"strongly_agree", "agree"}), "Strongly agree or agree"),
    Outcome("excellent_or_good", frozenset({"excellent", "good"}), "Excellent or good"),
)

GROUP_LABELS = {TOTAL: "All respondents", NOT_KNOWN: "Not known", POOLED: "Other (small groups combined)"}

#: Columns of every published table, in order.
COLUMNS = (
    "table_id", "survey", "wave", "synthetic", "question", "question_label", "breakdown", "group",
    "group_label", "outcome", "outcome_label", "kind", "count", "count_display", "base",
    "base_display", "percent", "ci_low", "ci_high", "percent_display",
)  # fmt: skip


@dataclass(frozen=True)
class Table:
    """One published table: ``cells`` has ``COLUMNS``; hidden figures are missing values."""

    id: str
    survey: str
    question: str
    breakdown: str
    title: str
    cells: pd.DataFrame

    def cell(self, group: str, outcome: str) -> pd.Series | None:
        """The row for ``group`` and ``outcome``, or None if the table has no such row."""
        match = self.cells[(self.cells["group"] == group) & (self.cells["outcome"] == outcome)]
        return None if match.empty else match.iloc[0]


@dataclass(frozen=True)
class TableContext:
    """What every table of one survey and wave is stamped with."""

    survey: str
    wave: str
    synthetic: bool


def stat_item(question: ChoiceQuestion) -> SingleChoiceItem | MultiChoiceItem:
    """The ``analysis.stats`` item for a question, with its base exclusions and outcomes."""
    if question.kind == MULTI:
        excluded = {c for v, c in zip(question.values, question.columns, strict=True) if v in NOT_AN_ANSWER}
        return MultiChoiceItem(question.id, question.columns, excluded=excluded)
    excluded = EXCLUDED_FROM_BASE & set(question.values)
    counted = set(question.values) - excluded
    outcomes = {o.name: o.members for o in OUTCOMES if o.members <= counted}
    return SingleChoiceItem(question.id, question.values, outcomes=outcomes, excluded=excluded)


def outcome_labels(question: ChoiceQuestion) -> dict[str, str]:
    labels = dict(question.labels)
    labels.update({o.name: o.label for o in OUTCOMES})
    return labels


def whole_percent(value: float) -> str:
    """A percentage rounded half up to a whole number, as ``analysis.stats`` displays them."""
    return f"{math.floor(value + 0.5)}%"


def table_id(survey: str, question: str, breakdown: str) -> str:
    return f"{survey}.{question}.{breakdown}"


def _shown(values: pd.Series, display: pd.Series) -> pd.Series:
    """``values`` where ``display`` shows exactly that number, else missing."""
    formatted = values.map(lambda v: f"{int(v):,}")
    return values.where(display.astype(str) == formatted).astype("Int64")


def publish(
    crosstab: Crosstab,
    question: ChoiceQuestion,
    context: TableContext,
    group_labels: Mapping[str, str],
    title: str,
) -> Table:
    """The publishable form of ``crosstab``: numbers kept only where the displays show them."""
    cells = crosstab.cells
    outcome = cells["outcome"].astype(str)
    if question.kind == MULTI:
        outcome = outcome.str.removeprefix(f"{question.id}.")
    group = cells["group"].astype(str)
    publishable = cells["percent_publishable"].to_numpy(bool)
    labels = outcome_labels(question)
    identifier = table_id(context.survey, question.id, crosstab.breakdown)
    frame = pd.DataFrame(
        {
            "table_id": identifier,
            "survey": context.survey,
            "wave": context.wave,
            "synthetic": context.synthetic,
            "question": question.id,
            "question_label": question.label,
            "breakdown": crosstab.breakdown,
            "group": group,
            "group_label": group.map(lambda g: group_labels.get(g, GROUP_LABELS.get(g, g))),
            "outcome": outcome,
            "outcome_label": outcome.map(lambda o: labels.get(o, o)),
            "kind": cells["kind"],
            "count": _shown(cells["count"], cells["count_display"]),
            "count_display": cells["count_display"].astype(str),
            "base": _shown(cells["base"], cells["base_display"]),
            "base_display": cells["base_display"].astype(str),
            "percent": cells["percent"].where(publishable),
            "ci_low": cells["ci_low"].where(publishable),
            "ci_high": cells["ci_high"].where(publishable),
            "percent_display": cells["percent_display"].astype(str),
        },
        columns=list(COLUMNS),
    )
    return Table(identifier, context.survey, question.id, crosstab.breakdown, title, frame)
