"""Time a full crosstab set on synthetic responses.

Every single-choice and multi-choice item of a young people's survey shaped like the standard
questionnaire, by every product breakdown (age band, district, deprivation decile and quintile,
language, channel, wave), with disclosure control, then every wave-on-wave change with BH.

    .venv/bin/python benchmarks/stats.py            # one million responses
    .venv/bin/python benchmarks/stats.py --rows 200000 --seed 7

The answers are random, not realistic: this measures speed, not findings.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd

from analysis.areas import add_deprivation, load_district_deprivation
from analysis.stats import (
    MultiChoiceItem,
    SingleChoiceItem,
    compare_waves,
    crosstab_set,
    crosstab_wave_counts,
)

SAFE = ("very_safe", "fairly_safe", "a_bit_unsafe", "very_unsafe", "dont_know")
YES_NO = ("yes", "no", "prefer_not_to_say")
UNSAFE = {
    "unsafe": {"a_bit_unsafe", "very_unsafe"},
    "not_always_safe": {"fairly_safe", "a_bit_unsafe", "very_unsafe"},
}

SINGLE_CHOICE = [
    *(
        SingleChoiceItem(f"safe_{place}", SAFE, UNSAFE)
        for place in ("area_day", "area_dark", "school", "bus", "travel", "centre", "online")
    ),
    *(
        SingleChoiceItem(f"seen_{what}", YES_NO)
        for what in ("hurt", "knife", "threatened", "robbed", "been_hurt")
    ),
    SingleChoiceItem("know_carrier", YES_NO),
    SingleChoiceItem("carried_knife", YES_NO),
    SingleChoiceItem("thought_carrying", YES_NO),
    SingleChoiceItem(
        "worry_knife_crime",
        ("very_worried", "fairly_worried", "not_very_worried", "not_at_all_worried", "dont_know"),
        {"worried": {"very_worried", "fairly_worried"}},
    ),
    SingleChoiceItem(
        "police_job",
        ("excellent", "good", "fair", "poor", "very_poor", "dont_know"),
        {"good_or_excellent": {"excellent", "good"}},
    ),
    SingleChoiceItem("uses_youth_club", ("yes", "no", "none_near_me", "dont_know")),
    SingleChoiceItem("gender", ("girl", "boy", "another_way", "prefer_not_to_say")),
    SingleChoiceItem("ethnic_group", ("asian", "black", "mixed", "white", "other", "prefer_not_to_say")),
    SingleChoiceItem("activity", ("school", "college", "work", "apprenticeship", "none", "other")),
]
MULTI_CHOICE = [
    MultiChoiceItem(
        "unsafe_places",
        tuple(f"places_{p}" for p in ("local", "bus", "school_route", "park", "centre", "station", "none")),
    ),
    MultiChoiceItem(
        "causes",
        tuple(
            f"causes_{c}"
            for c in (
                "peer",
                "money",
                "media",
                "youth_services",
                "racism",
                "drugs",
                "gangs",
                "home",
                "exclusion",
            )
        ),
    ),
    MultiChoiceItem(
        "carry_reasons",
        tuple(f"reasons_{r}" for r in ("protection", "fear", "others_do", "status", "pressure")),
    ),
]
BREAKDOWNS = ["age_band", "area", "deprivation_decile", "deprivation_quintile", "language", "channel", "wave"]

AGE_BANDS = ["11-13", "14-15", "16-17", "18-21", "22-25"]
# Roughly each district's share of LLR residents, plus answers that are not a district.
AREAS = {
    "E06000016": 0.32, "E06000017": 0.035, "E07000129": 0.09, "E07000130": 0.16, "E07000131": 0.085,
    "E07000132": 0.1, "E07000133": 0.045, "E07000134": 0.09, "E07000135": 0.05,
    "somewhere_else": 0.015, "prefer_not_to_say": 0.01,
}  # fmt: skip
LANGUAGES = {"en": 0.8, "gu": 0.08, "pa": 0.03, "pl": 0.025, "ro": 0.015, "ur": 0.01, "ar": 0.01,
             "so": 0.008, "bn": 0.007, "pt": 0.007, "hi": 0.005, "ta": 0.003}  # fmt: skip
CHANNELS = {"web": 0.7, "qr_code": 0.2, "assisted": 0.08, "paper": 0.02}
WAVES = ["2025", "2026", "2027"]
MISSING_SHARE = 0.03


def categorical(rng: np.random.Generator, n: int, weights: dict[str, float] | list[str]) -> pd.Categorical:
    """``n`` draws as a Categorical, built from codes so a million rows take milliseconds."""
    labels = list(weights)
    p = np.array(list(weights.values()) if isinstance(weights, dict) else [1.0] * len(labels))
    return pd.Categorical.from_codes(rng.choice(len(labels), size=n, p=p / p.sum()), categories=labels)


def with_missing(rng: np.random.Generator, values: pd.Categorical) -> pd.Categorical:
    codes = values.codes.copy()
    codes[rng.random(len(codes)) < MISSING_SHARE] = -1
    return pd.Categorical.from_codes(codes, categories=values.categories)


def synthetic_responses(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    columns: dict[str, object] = {
        "age_band": categorical(rng, n, AGE_BANDS),
        "area": categorical(rng, n, AREAS),
        "language": categorical(rng, n, LANGUAGES),
        "channel": categorical(rng, n, CHANNELS),
        "wave": categorical(rng, n, WAVES),
    }
    for item in SINGLE_CHOICE:
        # Skewed answer shares so that some cells in small groups fall under the threshold.
        shares = rng.dirichlet(np.full(len(item.answers), 1.5))
        columns[item.id] = with_missing(
            rng, categorical(rng, n, dict(zip(item.answers, shares, strict=True)))
        )
    for item in MULTI_CHOICE:
        rates = rng.uniform(0.02, 0.5, len(item.options))
        ticks = rng.random((n, len(item.options)), dtype=np.float32) < rates.astype(np.float32)
        columns.update({option: ticks[:, k] for k, option in enumerate(item.options)})
    return pd.DataFrame(columns)


@contextmanager
def timed(label: str, timings: dict[str, float]) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[label] = time.perf_counter() - start
    print(f"{label:<44} {timings[label]:8.2f} s")


def run(rows: int, seed: int, report: Callable[[str], None] = print) -> dict[str, float]:
    timings: dict[str, float] = {}
    with timed(f"generate {rows:,} responses", timings):
        responses = synthetic_responses(rows, seed)
    with timed("look up district deprivation", timings):
        responses = add_deprivation(responses, load_district_deprivation())
    items = [*SINGLE_CHOICE, *MULTI_CHOICE]
    with timed("crosstab set with disclosure control", timings):
        tables = crosstab_set(responses, items, BREAKDOWNS)
    with timed("wave 2025 -> 2027 comparisons with BH", timings):
        family = pd.concat(
            [crosstab_wave_counts(t, "2025", "2027") for t in tables if t.breakdown == "wave"],
            ignore_index=True,
        )
        changes = compare_waves(family)

    cells = pd.concat([t.cells for t in tables], ignore_index=True)
    n_tables = sum(len(t.tables) for t in tables)
    report(
        f"\n{len(items)} items ({len(SINGLE_CHOICE)} single-choice, {len(MULTI_CHOICE)} multi-choice) x "
        f"{len(BREAKDOWNS)} breakdowns = {len(tables)} crosstabs, {n_tables} protected count tables, "
        f"{len(cells):,} published cells"
    )
    report(
        f"counts suppressed: {int(cells['count_suppressed'].sum()):,}; "
        f"percentages publishable: {int(cells['percent_publishable'].sum()):,}"
    )
    report(f"wave comparisons: {len(changes)}, significant after BH: {int(changes['significant'].sum())}")
    report(f"per crosstab: {1000 * timings['crosstab set with disclosure control'] / len(tables):.1f} ms")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    run(args.rows, args.seed)


if __name__ == "__main__":
    main()
