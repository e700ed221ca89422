"""Text a spreadsheet would run as a formula (CSV injection), made inert.

Excel, LibreOffice and Google Sheets treat a cell that begins with =, +, -, @, a tab or a carriage
return as a formula, so a theme renamed "=HYPERLINK(...)" would become a live link in a published
table. Every file people open (response exports, analysis tables and workbooks, report tables)
passes its text through this one rule: such a cell gets an apostrophe in front and shows as typed.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

#: A spreadsheet treats a cell that begins with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def defuse_frame(frame: pd.DataFrame, clean: Callable[[str], str] = lambda value: value) -> pd.DataFrame:
    """Every text cell (of text, mixed or categorical columns) passed through ``clean`` and defused;
    numbers and missing values untouched."""

    def column_defused(column: pd.Series) -> pd.Series:
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        elif not (column.dtype == object or pd.api.types.is_string_dtype(column)):
            return column
        return column.map(
            lambda value: defuse(clean(value)) if isinstance(value, str) else value, na_action="ignore"
        )

    return frame.apply(column_defused)
