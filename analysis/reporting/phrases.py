"""Figures for SNA statements, read from published tables, and the words that quote them.

A figure is only ever made from a published table row, and a withheld figure has no percentage,
interval or base to quote: the phrases below say "withheld for disclosure control" instead, and
use no digits, so a statement can never leak a hidden value through its wording either.
"""

from __future__ import annotations

import math
from typing import TypedDict

import pandas as pd

from analysis.reporting.tables import Table, whole_percent

WITHHELD = "withheld for disclosure control"
#: Units of a figure: a percentage, or a change in percentage points.
PERCENT = "%"
POINTS = "points"
NO_ANSWERS = "not available because no one answered"


class Figure(TypedDict):
    """One quoted figure, where it comes from (``table`` id and ``cell``), and its ``unit``."""

    label: str
    percent: float | None
    ci_low: float | None
    ci_high: float | None
    count_display: str
    base: int | None
    table: str
    cell: str
    unit: str


def _number(value: object) -> float | None:
    return None if pd.isna(value) else float(value)


def figure(table: Table | None, group: str, outcome: str, label: str) -> Figure | None:
    """The figure in ``table`` at ``group`` and ``outcome``; None if there is no such cell."""
    row = table.cell(group, outcome) if table is not None else None
    if table is None or row is None:
        return None
    base = row["base"]
    return Figure(
        label=label,
        percent=_number(row["percent"]),
        ci_low=_number(row["ci_low"]),
        ci_high=_number(row["ci_high"]),
        count_display=str(row["count_display"]),
        base=None if pd.isna(base) else int(base),
        table=table.id,
        cell=f"group={group}; outcome={outcome}",
        unit=PERCENT,
    )


def published(fig: Figure | None) -> bool:
    return fig is not None and fig["percent"] is not None


def withheld(fig: Figure | None) -> bool:
    """A figure that exists but may not be quoted (as opposed to one nobody answered)."""
    return fig is not None and fig["percent"] is None and fig["base"] != 0


def quote(fig: Figure) -> str:
    """``"50% (95% CI 40% to 60%; base 100)"``."""
    assert fig["percent"] is not None and fig["ci_low"] is not None and fig["ci_high"] is not None
    return (
        f"{whole_percent(fig['percent'])} (95% CI {whole_percent(fig['ci_low'])} to "
        f"{whole_percent(fig['ci_high'])}; base {fig['base']:,})"
    )


def claim(fig: Figure | None, shown: str, about: str) -> str:
    """``shown`` with the figure in front, or ``about`` saying why there is no figure.

    ``claim(f, "of young people feel unsafe", "of young people who feel unsafe")`` gives "50% (...)
    of young people feel unsafe" or "the share of young people who feel unsafe is withheld for
    disclosure control".
    """
    if published(fig):
        assert fig is not None
        return f"{quote(fig)} {shown}"
    reason = WITHHELD if withheld(fig) else NO_ANSWERS
    return f"the share {about} is {reason}"


def points(value: float) -> str:
    """A change in percentage points, rounded half away from zero: ``"-2"``, ``"+3"``, ``"0"``."""
    rounded = int(math.copysign(math.floor(abs(value) + 0.5), value))
    return f"{rounded:+d}" if rounded else "0"


def q_value(value: float) -> str:
    return "q < 0.001" if value < 0.001 else f"q = {value:.3f}"


def sentence(text: str) -> str:
    """First letter capitalised, one full stop at the end."""
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] + "."


def ranked(figures: list[Figure | None], top: int) -> tuple[list[Figure], bool]:
    """The ``top`` published figures, largest first, and whether any of the others were withheld.

    Withheld figures are left out of the ranking rather than placed in it, since their place
    would say something about their size.
    """
    shown = [f for f in figures if f is not None and f["percent"] is not None]
    shown.sort(key=lambda f: (-(f["percent"] or 0.0), f["label"]))
    return shown[:top], any(withheld(f) for f in figures)


def listing(figures: list[Figure]) -> str:
    """``"On buses 25% (...); At bus stops 20% (...)"``."""
    return "; ".join(f"{f['label']} {quote(f)}" for f in figures)
