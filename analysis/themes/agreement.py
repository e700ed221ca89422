"""Inter-coder agreement: did two people coding the same answers give them the same themes?

Coding is multi-label, so every (answer, theme) pair is a yes/no decision. For each pair of coders
and each question, only the answers both of them coded count ("shared answers"):

* per theme, Cohen's kappa compares the two coders' yes/no for that theme over the shared answers;
* pooled, Cohen's kappa compares every theme decision on the shared answers at once, which is the
  single number to watch as a codebook settles;
* percentage agreement is the share of those decisions on which the two coders agree. It is shown
  because it is easy to read, and kappa because agreement alone flatters rare themes: two coders
  who never give a theme agree on almost every answer without agreeing on anything.

Kappa is undefined when chance alone would give perfect agreement, that is when both coders made
the same decision on every shared answer (both gave the theme to all of them, or to none); it is
then NaN, never 0 or 1, so that "not defined" is not mistaken for a score.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

#: Columns of the codings frame: one row per coder's coding of one answer; ``themes`` holds an
#: iterable of theme ids (empty when the coder decided the answer has none).
CODING_COLUMNS = ("question", "answer", "coder", "themes")
PAIR_COLUMNS = ("question", "coder_a", "coder_b", "shared", "agreement", "kappa")
THEME_COLUMNS = (
    "question",
    "coder_a",
    "coder_b",
    "theme",
    "shared",
    "given_a",
    "given_b",
    "agreement",
    "kappa",
)

#: Landis and Koch (1977), "The measurement of observer agreement for categorical data": below 0 is
#: "poor"; from 0 up, the upper bound of each band and its name.
LANDIS_KOCH = (
    (0.2, "slight"),
    (0.4, "fair"),
    (0.6, "moderate"),
    (0.8, "substantial"),
    (1.0, "almost perfect"),
)


def kappa(first: np.ndarray, second: np.ndarray) -> float:
    """Cohen's kappa of two coders' yes/no decisions on the same items; NaN when it is undefined."""
    first, second = np.asarray(first, dtype=bool), np.asarray(second, dtype=bool)
    if first.shape != second.shape:
        raise ValueError(f"{first.size} decisions against {second.size}")
    if first.size == 0 or ((first == first[0]).all() and (second == first[0]).all()):
        return float("nan")
    return float(cohen_kappa_score(first, second, labels=[False, True]))


def landis_koch(value: float) -> str | None:
    """The Landis and Koch name for a kappa ("moderate", ...); None when kappa is undefined."""
    if np.isnan(value):
        return None
    if value < 0:
        return "poor"
    return next(name for bound, name in LANDIS_KOCH if value <= bound)


def pair_agreement(codings: pd.DataFrame, theme_ids: Sequence[str]) -> pd.DataFrame:
    """One row per question and pair of coders with shared answers: ``shared`` answers, pooled
    ``agreement`` (0..1) and ``kappa`` over every theme decision on them."""
    rows = [
        (question, a, b, len(first), float((first == second).mean()), kappa(first.ravel(), second.ravel()))
        for question, a, b, first, second in _shared(codings, theme_ids)
    ]
    return pd.DataFrame(rows, columns=list(PAIR_COLUMNS))


def theme_agreement(codings: pd.DataFrame, theme_ids: Sequence[str]) -> pd.DataFrame:
    """One row per question, pair of coders and theme (codebook order): ``shared`` answers, how
    many of them each coder gave the theme (``given_a``, ``given_b``), ``agreement`` and ``kappa``."""
    rows = [
        (
            question,
            a,
            b,
            theme,
            len(first),
            int(first[:, j].sum()),
            int(second[:, j].sum()),
            float((first[:, j] == second[:, j]).mean()),
            kappa(first[:, j], second[:, j]),
        )
        for question, a, b, first, second in _shared(codings, theme_ids)
        for j, theme in enumerate(theme_ids)
    ]
    return pd.DataFrame(rows, columns=list(THEME_COLUMNS))


def _shared(
    codings: pd.DataFrame, theme_ids: Sequence[str]
) -> Iterator[tuple[object, object, object, np.ndarray, np.ndarray]]:
    """(question, coder_a, coder_b, decisions of a, decisions of b) for every pair of coders with
    shared answers; decisions are boolean answers x themes, the answers in the same order."""
    missing = [column for column in CODING_COLUMNS if column not in codings]
    if missing:
        raise ValueError(f"codings lack columns {missing}")
    keys = ["question", "answer", "coder"]
    if codings.duplicated(keys).any():
        raise ValueError("a coder has coded the same answer twice; keep one coding per coder and answer")
    column = {theme: j for j, theme in enumerate(theme_ids)}
    decisions = np.zeros((len(codings), len(column)), dtype=bool)
    for i, themes in enumerate(codings["themes"]):
        unknown = set(themes) - column.keys()
        if unknown:
            raise ValueError(f"codings use {sorted(unknown)}, which are not among the themes given")
        decisions[i, [column[theme] for theme in themes]] = True
    wide = pd.DataFrame(decisions, index=pd.MultiIndex.from_frame(codings[keys]))
    for question in sorted(codings["question"].unique()):
        by_coder = {
            coder: frame.droplevel(["question", "coder"])
            for coder, frame in wide.xs(question, level="question", drop_level=False).groupby(
                level="coder", sort=True
            )
        }
        for a, b in combinations(by_coder, 2):
            shared = by_coder[a].index.intersection(by_coder[b].index).sort_values()
            if len(shared):
                yield question, a, b, by_coder[a].loc[shared].to_numpy(), by_coder[b].loc[shared].to_numpy()
