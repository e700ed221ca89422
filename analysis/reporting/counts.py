"""Tables of free-text counts: how many wrote an answer, and how many answers mention each theme.

Each count stands alone: an answer can mention several themes, so theme counts add up to nothing
that is published, and a count of written answers sits beside its base with no other cell that
subtraction could expose. Primary suppression is therefore enough; percentages still need a base
of ``min_base``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.questionnaire import Definition, text_items
from analysis.reporting.breakdowns import OVERALL
from analysis.reporting.tables import COLUMNS, Table, TableContext, whole_percent
from analysis.stats import DisclosureRules, wilson_intervals
from analysis.stats.perturbation import RECORD_KEY

#: Columns a theme-count frame must have; ``base`` (answers themed) and ``wave`` are optional.
THEME_COLUMNS = ("survey", "question", "theme", "count")


def theme_counts(
    indicators: pd.DataFrame,
    survey: str,
    question: str,
    labels: Mapping[str, str] | None = None,
    none_column: str = "no_theme",
    record_keys: pd.Series | None = None,
) -> pd.DataFrame:
    """Theme counts for ``build_report(themes=...)`` from one question's theme indicators (one
    boolean column per theme, as ``analysis.themes.theme_indicators`` returns them).

    ``base`` is the answers that tick any column, i.e. every written answer; ``labels`` names the
    themes (theme ids otherwise). Concatenate the frames of several questions. With the answers'
    ``record_keys`` (same index), each count gets its cell key, for perturbed tables.
    """
    themes = [c for c in indicators.columns if c != none_column]
    labels = labels or {}
    counts = pd.DataFrame(
        {
            "survey": survey,
            "question": question,
            "theme": [labels.get(t, t) for t in themes],
            "count": [int(indicators[t].sum()) for t in themes],
            "base": int(indicators.any(axis=1).sum()),
        }
    )
    if record_keys is not None:
        keys = record_keys.reindex(indicators.index).to_numpy(np.int64)
        counts["key"] = [int(keys[indicators[t].to_numpy(bool)].sum()) for t in themes]
        counts["base_key"] = int(keys[indicators.any(axis=1).to_numpy(bool)].sum())
    return counts


def _count_display(values: np.ndarray, rules: DisclosureRules) -> np.ndarray:
    shown = np.array([f"{int(v):,}" for v in values], dtype=object)
    shown[rules.is_small(values)] = rules.suppressed_symbol
    return shown


def count_cells(
    counts: pd.DataFrame, context: TableContext, identifier: str, rules: DisclosureRules
) -> pd.DataFrame:
    """Published rows for ``counts``: columns ``question, question_label, group, group_label,
    outcome, outcome_label, count`` and ``base`` (NaN where there is no base to divide by); under
    perturbation also ``key`` and ``base_key``, the cell keys of count and base."""
    count = counts["count"].to_numpy(np.int64)
    base = counts["base"].to_numpy(np.float64)
    has_base = ~np.isnan(base)
    whole_base = np.where(has_base, base, count).astype(np.int64)
    if (count > whole_base).any():
        raise ValueError(f"{identifier}: a count is larger than its base")
    if rules.perturbation is not None:
        if "key" not in counts or "base_key" not in counts:
            raise ValueError(f"{identifier}: perturbed counts need the cell keys of counts and bases")
        count = rules.published(count, counts["key"].to_numpy(np.int64))
        base_keys = counts["base_key"].fillna(0).to_numpy(np.int64)
        whole_base = np.where(has_base, rules.published(whole_base, base_keys), count)
        count = np.minimum(count, whole_base)
    small = rules.is_small(count)
    shown_base = has_base & ~rules.is_small(whole_base)
    publishable = has_base & ~small & (whole_base >= rules.min_base) & (whole_base > 0)
    low, high = wilson_intervals(count, whole_base)
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.where(publishable, 100 * count / whole_base, np.nan)
    percent_display = np.where(has_base, rules.low_base_symbol, "").astype(object)
    percent_display[small] = rules.suppressed_symbol
    percent_display[publishable] = [whole_percent(p) for p in percent[publishable]]
    return pd.DataFrame(
        {
            "table_id": identifier,
            "survey": context.survey,
            "wave": context.wave,
            "synthetic": context.synthetic,
            "question": counts["question"].to_numpy(),
            "question_label": counts["question_label"].to_numpy(),
            "breakdown": OVERALL,
            "group": counts["group"].to_numpy(),
            "group_label": counts["group_label"].to_numpy(),
            "outcome": counts["outcome"].to_numpy(),
            "outcome_label": counts["outcome_label"].to_numpy(),
            "kind": "count",
            "count": pd.array(np.where(small, None, count), dtype="Int64"),
            "count_display": _count_display(count, rules),
            "base": pd.array(np.where(shown_base, whole_base, None), dtype="Int64"),
            "base_display": np.where(has_base, _count_display(whole_base, rules), ""),
            "percent": percent,
            "ci_low": np.where(publishable, 100 * low, np.nan),
            "ci_high": np.where(publishable, 100 * high, np.nan),
            "percent_display": percent_display,
        },
        columns=list(COLUMNS),
    )


def free_text_table(
    rows: pd.DataFrame, definition: Definition, context: TableContext, rules: DisclosureRules
) -> Table | None:
    """How many respondents wrote an answer to each free-text question (None if it has none)."""
    questions = [i for i in text_items(definition) if i["id"] in rows]
    wrote = {
        q["id"]: rows[q["id"]].astype("string").str.strip().fillna("").ne("").to_numpy(bool)
        for q in questions
    }
    counts = pd.DataFrame({"question": list(wrote), "count": [int(w.sum()) for w in wrote.values()]})
    responses = {"count": len(rows)}
    if RECORD_KEY in rows:
        keys = rows[RECORD_KEY].to_numpy(np.int64)
        counts["key"] = [int(keys[w].sum()) for w in wrote.values()]
        responses["key"] = int(keys.sum())
    return written_table(counts, responses, definition, context, rules)


def written_table(
    written: pd.DataFrame,
    responses: Mapping[str, int],
    definition: Definition,
    context: TableContext,
    rules: DisclosureRules,
) -> Table | None:
    """The free-text table from counts: ``written`` has a row per free-text question asked
    (``question``, ``count`` of those who wrote an answer and, for perturbed tables, ``key``, their
    cell key), ``responses`` the ``count`` (and ``key``) of everyone, the base."""
    if written.empty:
        return None
    labels = {i["id"]: i["label"] for i in text_items(definition)}
    label = written["question"].map(labels)
    counts = pd.DataFrame(
        {
            "question": written["question"],
            "question_label": label,
            "group": written["question"],
            "group_label": label,
            "outcome": "answered",
            "outcome_label": "Wrote an answer",
            "count": written["count"],
            "base": responses["count"],
        }
    )
    if "key" in written:
        counts["key"] = written["key"]
        counts["base_key"] = responses["key"]
    identifier = f"{context.survey}.free_text"
    cells = count_cells(counts, context, identifier, rules)
    return Table(identifier, context.survey, "free_text", OVERALL, "Free-text answers written", cells)


def theme_table(
    themes: pd.DataFrame, definition: Definition, context: TableContext, rules: DisclosureRules
) -> Table | None:
    """Theme counts for one survey and wave (rows of other surveys or waves are ignored)."""
    missing = [c for c in THEME_COLUMNS if c not in themes]
    if missing:
        raise ValueError(f"theme counts lack columns {missing}")
    rows = themes[themes["survey"] == context.survey]
    if "wave" in rows:
        rows = rows[rows["wave"] == context.wave]
    if rows.empty:
        return None
    labels = {i["id"]: i["label"] for i in text_items(definition)}
    counts = pd.DataFrame(
        {
            "question": rows["question"].astype(str).to_numpy(),
            "question_label": rows["question"].map(lambda q: labels.get(q, q)).to_numpy(),
            "group": rows["question"].astype(str).to_numpy(),
            "group_label": rows["question"].map(lambda q: labels.get(q, q)).to_numpy(),
            "outcome": rows["theme"].astype(str).to_numpy(),
            "outcome_label": rows["theme"].astype(str).to_numpy(),
            "count": rows["count"].to_numpy(np.int64),
            "base": rows["base"].to_numpy(np.float64) if "base" in rows else np.nan,
        }
    )
    for column in ("key", "base_key"):
        if column in rows:
            counts[column] = rows[column].to_numpy()
    identifier = f"{context.survey}.themes"
    cells = count_cells(counts, context, identifier, rules)
    return Table(identifier, context.survey, "themes", OVERALL, "Themes in free-text answers", cells)
