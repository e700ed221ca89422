"""From the ``area`` answer to ONS district codes and deprivation.

The questionnaires ask for the district by a stable value (``leicester``, ``melton``...), never a
code, so that labels can change without touching analysis. ``districts.csv`` turns those values into
ONS local authority district (LAD) codes and police force area; ``analysis.areas`` then looks
deprivation up by LAD code. Both are files so that a boundary or edition change is a data change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.areas import DATA_DIR, add_deprivation, load_district_deprivation

DISTRICTS_FILENAME = "districts.csv"
DISTRICT_COLUMNS = ("area", "lad_code", "lad_name")


def load_districts(path: str | Path | None = None) -> pd.DataFrame:
    """The area-value to district table: ``area, lad_code, lad_name`` and any further columns
    (the shipped file adds ``pfa_code, pfa_name``, the police force area)."""
    source = Path(path) if path is not None else DATA_DIR / DISTRICTS_FILENAME
    table = pd.read_csv(source, dtype="string")
    missing = [c for c in DISTRICT_COLUMNS if c not in table]
    if missing:
        raise ValueError(f"{source}: missing columns {missing}")
    if table["area"].duplicated().any() or table["lad_code"].duplicated().any():
        raise ValueError(f"{source}: an area value or district code appears twice")
    return table


def add_area_lookup(
    responses: pd.DataFrame,
    districts: pd.DataFrame | None = None,
    deprivation: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``responses`` with ``area_code`` (ONS LAD code) and the deprivation columns of
    ``analysis.areas.add_deprivation``: ``deprivation_decile``, ``deprivation_quintile``,
    ``deprivation_edition``.

    Answers with no district ("Somewhere else", "I don't know", "Prefer not to say", unanswered)
    get missing values, which tables report as "not known". ``districts`` and ``deprivation``
    default to the shipped files.
    """
    districts = load_districts() if districts is None else districts
    deprivation = load_district_deprivation() if deprivation is None else deprivation
    codes = districts.set_index("area")["lad_code"]
    out = responses.copy()
    out["area_code"] = out["area"].map(codes).astype("string")
    return add_deprivation(out, deprivation, area_column="area_code")


@dataclass(frozen=True)
class MostDeprived:
    """The districts counted as "the most deprived areas" in SNA statements, and why."""

    quintile: int
    areas: tuple[str, ...]
    names: tuple[str, ...]
    edition: str


def most_deprived(
    districts: pd.DataFrame | None = None, deprivation: pd.DataFrame | None = None
) -> MostDeprived:
    """Districts in the most deprived deprivation quintile that any surveyed district reaches.

    No Leicester, Leicestershire or Rutland district has its median neighbourhood in the most
    deprived fifth of England under IMD 2019 (Leicester is quintile 2), so a fixed "quintile 1" would
    always be empty. Taking the lowest quintile present in the lookup, not among respondents, keeps
    the definition the same from wave to wave.
    """
    districts = load_districts() if districts is None else districts
    deprivation = load_district_deprivation() if deprivation is None else deprivation
    merged = districts.merge(deprivation[["lad_code", "deprivation_quintile", "edition"]], on="lad_code")
    lowest = int(merged["deprivation_quintile"].min())
    chosen = merged[merged["deprivation_quintile"] == lowest]
    return MostDeprived(
        quintile=lowest,
        areas=tuple(chosen["area"]),
        names=tuple(chosen["lad_name"]),
        edition=str(merged["edition"].iloc[0]),
    )
