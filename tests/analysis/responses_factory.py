"""Responses frames shaped exactly like the web app's export, built from short dicts.

``make_responses(definition, rows)`` follows the input contract of ``analysis.report``: metadata
columns, one string column per single choice and rating-scale statement, Int64 numbers, string
text, and one boolean column per option of a multiple choice (all missing when it was not
answered). A row gives a multiple choice as a list of ticked values under the item id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import count
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.item_types import NUMBER_STORED
from analysis.questionnaire import MULTI, SINGLE, choice_values, items, kind_of, multi_column

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"
METADATA = {
    "wave": "2026-autumn",
    "wave_label": "Autumn 2026",
    "synthetic": False,
    "month": "2026-10",
    "language": "en",
    "channel": pd.NA,
}
_ids = count(1)


def load_definition(slug: str) -> dict:
    """A standard questionnaire, parsed as the web app passes it to analysis."""
    return yaml.safe_load((QUESTIONNAIRES / f"{slug}.yaml").read_text(encoding="utf-8"))


def rows(n: int, **answers: object) -> list[dict]:
    """``n`` identical rows."""
    return [dict(answers) for _ in range(n)]


def spread(n: int, **columns: Mapping[object, int]) -> list[dict]:
    """``n`` rows in which each column takes its values as many times as given, in the order
    given, row by row; rows past the end of a column's values leave it missing. Lining columns up
    this way fixes which answers go together, e.g. who carried and who knows a carrier."""
    data: list[dict] = [{} for _ in range(n)]
    for column, counts in columns.items():
        values = [value for value, k in counts.items() for _ in range(k)]
        if len(values) > n:
            raise ValueError(f"{column}: {len(values)} values for {n} rows")
        for row, value in zip(data, values, strict=False):
            row[column] = value
    return data


def make_responses(
    definition: Mapping, data: Iterable[Mapping[str, object]], **metadata: object
) -> pd.DataFrame:
    """A contract-shaped frame: ``metadata`` sets the defaults of every row, a row may override
    them, and anything a row does not give is missing."""
    meta = {**METADATA, **metadata}
    records = []
    for row in data:
        record: dict[str, object] = {
            "response_id": f"r{next(_ids)}",
            "survey": definition["slug"],
            **{k: row.get(k, v) for k, v in meta.items()},
        }
        for item in items(definition):
            if kind_of(item).tabulated == MULTI:
                ticked = row.get(item["id"])
                for value in choice_values(definition, item):
                    record[multi_column(item["id"], value)] = pd.NA if ticked is None else value in ticked
            else:
                record.update({key: row.get(key, pd.NA) for key in _keys(item)})
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    return _typed(frame, definition)


def _typed(frame: pd.DataFrame, definition: Mapping) -> pd.DataFrame:
    types: dict[str, str] = {
        "response_id": "string",
        "survey": "string",
        "wave": "string",
        "wave_label": "string",
        "synthetic": "bool",
        "month": "string",
        "language": "string",
        "channel": "string",
    }
    for item in items(definition):
        kind = kind_of(item)
        if kind.tabulated == MULTI:
            types.update({multi_column(item["id"], v): "boolean" for v in choice_values(definition, item)})
        else:
            types.update({key: "Int64" if kind.stored == NUMBER_STORED else "string" for key in _keys(item)})
    return frame.astype(types)


def _keys(item: Mapping) -> tuple[str, ...]:
    return kind_of(item).answer_keys(item["id"], [s["id"] for s in item.get("statements", [])])


def random_responses(definition: Mapping, n: int, seed: int = 0, **metadata: object) -> pd.DataFrame:
    """``n`` responses with every question answered at random (a tenth skipped), respecting the
    one condition in the standard questionnaires that matters for tables: reasons for carrying
    are only asked of those who thought about it. Realistic in shape, not in findings."""
    rng = np.random.default_rng(seed)
    data = []
    for _ in range(n):
        row: dict[str, object] = {}
        for item in items(definition):
            if rng.random() < 0.1:
                continue
            if "show_if" in item and row.get(item["show_if"]["item"]) not in item["show_if"]["any_of"]:
                continue
            kind = kind_of(item)
            values = list(choice_values(definition, item)) if kind.has_options else []
            if kind.tabulated == MULTI:
                plain = [v for v in values if v not in item.get("exclusive", [])]
                row[item["id"]] = list(rng.choice(plain, size=int(rng.integers(1, 4)), replace=False))
            elif kind.tabulated == SINGLE:
                row.update({key: str(rng.choice(values)) for key in _keys(item)})
            elif kind.free_text and rng.random() < 0.5:
                row[item["id"]] = "More youth clubs and better street lighting."
        data.append(row)
    return make_responses(definition, data, **metadata)
