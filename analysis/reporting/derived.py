"""Answers that an SNA statement needs but no single question asks.

"In areas of higher deprivation 98% carry or know someone who carries a knife" combines two
questions per respondent. Deriving it as a question of its own lets it go through the same
crosstab and disclosure control as everything else, and be published as a table that the statement
can point to.
"""

from __future__ import annotations

import pandas as pd

from analysis.questionnaire import SINGLE, ChoiceQuestion, Definition, choice_questions

CARRIES_OR_KNOWS = ChoiceQuestion(
    id="carries_or_knows_carrier",
    kind=SINGLE,
    label="Carried a knife or weapon in the last 12 months, or knows someone who carries a knife",
    values=("yes", "no", "not_determined"),
    labels={
        "yes": "Yes: carried in the last 12 months, or knows someone who carries",
        "no": "No: has not carried in the last 12 months and knows no one who carries",
        "not_determined": "Cannot tell (don't know, prefer not to say, or one question skipped)",
    },
    item_id="carries_or_knows_carrier",
)
SOURCES = ("ever_carried", "know_someone_carries")


def carries_or_knows(frame: pd.DataFrame) -> pd.Series:
    """``yes`` if someone carried in the last 12 months or knows a carrier (whatever the other
    answer), ``no`` if neither, ``not_determined`` if one answer is missing or unclear and the other
    is not ``yes``, and missing when both questions were skipped."""
    carried, knows = frame["ever_carried"], frame["know_someone_carries"]
    out = pd.Series(pd.NA, index=frame.index, dtype="string")
    out[carried.notna() | knows.notna()] = "not_determined"
    out[carried.isin(["no", "yes_longer_ago"]) & knows.eq("no").fillna(False)] = "no"
    out[carried.eq("yes_last_12_months").fillna(False) | knows.eq("yes").fillna(False)] = "yes"
    return out


def add_derived(frame: pd.DataFrame, definition: Definition) -> tuple[pd.DataFrame, list[ChoiceQuestion]]:
    """``frame`` with the derived answers this questionnaire supports, and their questions."""
    asked = {q.id for q in choice_questions(definition)}
    if not set(SOURCES) <= asked:
        return frame, []
    out = frame.copy()
    out[CARRIES_OR_KNOWS.id] = carries_or_knows(out)
    return out, [CARRIES_OR_KNOWS]
