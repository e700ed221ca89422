"""Area lookups: deprivation and main language per local authority district.

The survey asks only for the district, so deprivation is looked up from it here and never asked.
The lookups load from files that can be replaced (the English Indices of Deprivation 2025 use LSOA
2021 boundaries and will replace IMD 2019 on LSOA 2011 boundaries), and every derived figure
carries the edition it came from so two waves are never silently compared on different editions.

District level only: no postcode-district lookup ships with the project. A finer lookup (postcode
district, or a response's LSOA) can be summarised the same way with ``summarise_deprivation`` given
an LSOA table with a column naming the finer area.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).parent / "data" / "areas"
MOST_DEPRIVED_DECILES = (1, 2)
DECILES = range(1, 11)


@dataclass(frozen=True)
class DeprivationEdition:
    """Where to find the LSOA deprivation columns in one edition's file, and how to label it."""

    label: str
    filename: str
    columns: Mapping[str, str]


#: IMD 2019 on LSOA 2011 boundaries, as shipped in ``analysis/data/areas/``.
IMD2019 = DeprivationEdition(
    label="IMD 2019, LSOA 2011 boundaries",
    filename="imd2019_llr_lsoa.csv",
    columns={
        "lsoa11cd": "lsoa_code",
        "lsoa11nm": "lsoa_name",
        "lad19cd": "lad_code",
        "lad19nm": "lad_name",
        "imd_rank": "imd_rank",
        "imd_decile": "imd_decile",
    },
)

LANGUAGE_SOURCE = "Census 2021 TS024 main language, usual residents aged 3+"
LANGUAGE_FILENAME = "census2021_main_language_llr.csv"


def load_lsoa_deprivation(
    path: str | Path | None = None, edition: DeprivationEdition = IMD2019
) -> pd.DataFrame:
    """LSOAs with their district, national rank and decile, and the edition label.

    Columns: ``lsoa_code, lsoa_name, lad_code, lad_name, imd_rank, imd_decile, edition``.
    ``path`` defaults to the file shipped for ``edition``.
    """
    source = Path(path) if path is not None else DATA_DIR / edition.filename
    table = pd.read_csv(source, usecols=list(edition.columns))
    table = table.rename(columns=dict(edition.columns))
    bad = ~table["imd_decile"].isin(DECILES)
    if bad.any():
        raise ValueError(f"{source}: deciles outside 1-10 in rows {table.index[bad].tolist()[:5]}")
    if table["lsoa_code"].duplicated().any():
        raise ValueError(f"{source}: an LSOA appears twice")
    table["edition"] = edition.label
    return table


def summarise_deprivation(lsoas: pd.DataFrame, by: str = "lad_code") -> pd.DataFrame:
    """Deprivation profile per area ``by`` from an LSOA table (as from ``load_lsoa_deprivation``).

    Per area: ``lsoa_count``; ``lsoas_decile_1`` ... ``lsoas_decile_10``, the number of its LSOAs in
    each national decile; ``share_most_deprived_20pct``, the share of its LSOAs in the most deprived
    20% nationally; ``deprivation_decile``, the national decile of its median LSOA by rank (with an
    even count, the more deprived of the two middle LSOAs); ``deprivation_quintile`` from that
    decile; and ``edition``.

    Shares are of LSOAs, not people: the files hold no LSOA populations, and LSOAs are drawn to
    hold similar numbers of residents (about 1,500), so the LSOA share stands in for the
    population share. The decile of the median LSOA is *not* MHCLG's local authority ranking (which
    ranks all districts in England against each other and needs every LSOA in England); it places
    the district's typical neighbourhood on the national LSOA scale, which is what "more deprived
    areas" means in a breakdown of respondents.
    """
    if lsoas["edition"].nunique() != 1:
        raise ValueError("LSOA table mixes deprivation editions")
    decile_counts = (
        pd.crosstab(lsoas[by], lsoas["imd_decile"])
        .reindex(columns=list(DECILES), fill_value=0)
        .rename(columns=lambda d: f"lsoas_decile_{d}")
    )
    ordered = lsoas.sort_values(["imd_rank", "lsoa_code"])
    median_decile = ordered.groupby(by)["imd_decile"].agg(lambda d: d.iloc[(len(d) - 1) // 2])
    summary = pd.DataFrame(
        {
            "lsoa_count": decile_counts.sum(axis=1),
            "share_most_deprived_20pct": lsoas["imd_decile"]
            .isin(MOST_DEPRIVED_DECILES)
            .groupby(lsoas[by])
            .mean(),
            "deprivation_decile": median_decile.astype("int64"),
        }
    )
    summary["deprivation_quintile"] = (summary["deprivation_decile"] + 1) // 2
    if by == "lad_code":
        summary.insert(0, "lad_name", lsoas.groupby(by)["lad_name"].first())
    summary = summary.join(decile_counts)
    summary["edition"] = lsoas["edition"].iloc[0]
    return summary.rename_axis(by).reset_index()


def load_district_deprivation(
    path: str | Path | None = None, edition: DeprivationEdition = IMD2019
) -> pd.DataFrame:
    """``summarise_deprivation`` per local authority district of the given (or shipped) file."""
    return summarise_deprivation(load_lsoa_deprivation(path, edition), by="lad_code")


def load_main_language(path: str | Path | None = None) -> pd.DataFrame:
    """Census 2021 main language per district: ``lad_code, lad_name, language, count, share, source``.

    Only single-language rows are kept (group subtotals would count people twice); ``share`` is of
    the district's residents aged 3 and over, and the rows are checked to add up to that total.
    """
    source = Path(path) if path is not None else DATA_DIR / LANGUAGE_FILENAME
    table = pd.read_csv(source)
    totals = table[table["level"] == "total"].set_index("lad_code")["count"]
    languages = table[table["level"] == "language"].drop(columns="level").reset_index(drop=True)
    sums = languages.groupby("lad_code")["count"].sum()
    if not sums.reindex(totals.index).eq(totals).all():
        raise ValueError(f"{source}: language rows do not add up to the district totals")
    languages["share"] = languages["count"] / languages["lad_code"].map(totals)
    languages["source"] = LANGUAGE_SOURCE
    return languages


def add_deprivation(
    responses: pd.DataFrame, districts: pd.DataFrame, area_column: str = "area"
) -> pd.DataFrame:
    """``responses`` with ``deprivation_decile``, ``deprivation_quintile`` and ``deprivation_edition``
    columns looked up from each response's district code in ``area_column``.

    Responses from outside the lookup ("Somewhere else", "Prefer not to say", missing) get missing
    values, which crosstabs report as the ``not_known`` group.
    """
    lookup = districts.set_index("lad_code")
    area = responses[area_column]
    out = responses.copy()
    for column in ("deprivation_decile", "deprivation_quintile"):
        out[column] = area.map(lookup[column]).astype("Int64")
    known = out["deprivation_decile"].notna().to_numpy()
    out["deprivation_edition"] = pd.Series(
        np.where(known, lookup["edition"].iloc[0], None), index=out.index, dtype="string"
    )
    return out
