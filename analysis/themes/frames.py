"""Theme assignments as DataFrames, for analysis notebooks and the crosstab tables.

Kept apart from ``matching`` so that assigning themes (which the web app may do per answer) does
not import pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.themes.codebook import Codebook
from analysis.themes.matching import assign_themes


def assign_themes_frame(texts: pd.Series, codebook: Codebook) -> pd.DataFrame:
    """One row per answer and theme found: ``answer`` (the series' index), ``theme``, ``label``,
    ``score``, ``assigned``, ``negated``, ``cues`` (the cues found, ``"; "``-separated)."""
    labels = {theme.id: theme.label for theme in codebook}
    rows = [
        (answer, m.theme, labels[m.theme], m.score, m.assigned, m.negated, "; ".join(m.cues))
        for answer, matches in zip(texts.index, assign_themes(texts, codebook), strict=True)
        for m in matches
    ]
    return pd.DataFrame(rows, columns=["answer", "theme", "label", "score", "assigned", "negated", "cues"])


def theme_indicators(texts: pd.Series, codebook: Codebook, none_column: str = "no_theme") -> pd.DataFrame:
    """One boolean column per theme (assigned or not), plus ``none_column`` for answers with none.

    Shaped for ``analysis.stats.MultiChoiceItem``: an answer that was given ticks at least one
    column, so the base is every answer; a missing or blank answer ticks none and drops out.
    """
    ids = codebook.ids
    if none_column in ids:
        raise ValueError(f"none_column {none_column!r} is a theme id; choose another name")
    column = {theme_id: j for j, theme_id in enumerate(ids)}
    ticks = np.zeros((len(texts), len(ids) + 1), dtype=bool)
    for row, (text, matches) in enumerate(zip(texts, assign_themes(texts, codebook), strict=True)):
        assigned = [column[m.theme] for m in matches if m.assigned]
        if assigned:
            ticks[row, assigned] = True
        elif isinstance(text, str) and text.strip():
            ticks[row, -1] = True
    return pd.DataFrame(ticks, index=texts.index, columns=[*ids, none_column])
