"""The effective codebook: the shipped file's themes with the panels' decisions applied.

Staff record renames, merges and new themes as ``ThemeChange`` rows after a panel review; the
codebook file itself only changes with a release. Every page and report that names or counts
themes goes through ``effective_themes`` so that they all use the names the panels agreed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.themes import Codebook, load_codebook
from survey_app.models import ThemeChange

#: Longest theme id the ``theme_change`` and ``round_card`` columns hold.
MAX_ID = 60


@functools.cache
def file_codebook() -> Codebook:
    """The codebook shipped with the app; it only changes with a new release."""
    return load_codebook()


@dataclass(frozen=True)
class EffectiveThemes:
    """``labels``: every live theme (file order, then added ones) and its name; ``merged_into``:
    each merged theme and the live theme it now counts as."""

    labels: Mapping[str, str]
    merged_into: Mapping[str, str]

    def canonical(self, theme_id: str) -> str:
        """The live theme ``theme_id`` counts as (itself unless it was merged)."""
        return self.merged_into.get(theme_id, theme_id)

    def label(self, theme_id: str) -> str:
        return self.labels.get(self.canonical(theme_id), theme_id)

    def fold(self, indicators: pd.DataFrame) -> pd.DataFrame:
        """Theme indicator columns (one per file theme, as ``analysis.themes.theme_indicators``
        gives them) with each merged theme's column or-ed into the theme it was merged into."""
        folded = indicators.copy()
        for merged, target in self.merged_into.items():
            if merged not in folded:
                continue
            folded[target] = folded[merged] | folded[target] if target in folded else folded[merged]
            folded = folded.drop(columns=merged)
        return folded


def apply_changes(labels: Mapping[str, str], changes: Iterable[tuple[str, str, str]]) -> EffectiveThemes:
    """``labels`` (theme id to name) after ``changes`` as (kind, theme id, value), in order: a
    rename gives a new name, a merge folds the theme into the theme named by value (and anything
    already merged into it follows), an add starts a new theme. A change to a theme that no longer
    exists is skipped: it was overtaken by a later decision."""
    live = dict(labels)
    merged: dict[str, str] = {}
    for kind, theme_id, value in changes:
        if kind == "add":
            live.setdefault(theme_id, value)
        elif kind == "rename" and theme_id in live:
            live[theme_id] = value
        elif kind == "merge" and theme_id in live and value in live and value != theme_id:
            del live[theme_id]
            merged = {source: value if target == theme_id else target for source, target in merged.items()}
            merged[theme_id] = value
    return EffectiveThemes(live, merged)


def effective_themes(session: Session) -> EffectiveThemes:
    """The shipped codebook's labels with every recorded ``ThemeChange`` applied in id order."""
    labels = {theme.id: theme.label for theme in file_codebook()}
    changes = session.execute(
        select(ThemeChange.kind, ThemeChange.theme_id, ThemeChange.value).order_by(ThemeChange.id)
    ).all()
    return apply_changes(labels, changes)


def effective_labels(session: Session) -> dict[str, str]:
    """Every live theme id and its name, in codebook order with added themes last."""
    return dict(effective_themes(session).labels)


def merges(session: Session) -> dict[str, str]:
    """Each merged theme id and the live theme it now counts as."""
    return dict(effective_themes(session).merged_into)


def new_theme_id(session: Session, name: str) -> str:
    """A snake_case id for a theme added under ``name``, unused by the file and by any change."""
    taken = set(file_codebook().ids) | set(session.scalars(select(ThemeChange.theme_id)))
    stem = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[: MAX_ID - 4] or "theme"
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}_{n}"
    return candidate
