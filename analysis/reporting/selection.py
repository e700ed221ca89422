"""Which responses a report uses: one wave per survey, and never synthetic rows with real ones.

Demo data is generated into synthetic waves so that the app can be shown without real answers. A
report that silently picked it up would publish invented figures, so synthetic rows are left out of
every report unless their wave is asked for by name, and a synthetic wave is never compared with a
real one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.stats import DisclosureRules
from analysis.stats.perturbation import RECORD_KEY


@dataclass(frozen=True)
class WaveRows:
    """The rows of one survey's wave."""

    key: str
    label: str
    synthetic: bool
    rows: pd.DataFrame


@dataclass(frozen=True)
class Selection:
    """One survey's report wave and, if there is one, the wave it is compared with."""

    survey: str
    main: WaveRows
    compare: WaveRows | None


def _synthetic(frame: pd.DataFrame) -> pd.Series:
    # A row whose flag is missing cannot be shown to be real, so it counts as synthetic.
    return frame["synthetic"].astype("boolean").fillna(True).astype(bool)


def real_waves(frame: pd.DataFrame) -> list[str]:
    """Wave keys with real rows, oldest first: by last fieldwork month, then first month, then key.

    Keys such as ``2026-autumn`` do not sort by date, so the months answered decide.
    """
    real = frame[~_synthetic(frame)]
    if real.empty:
        return []
    months = real.groupby("wave")["month"].agg(["max", "min"])
    return months.reset_index().sort_values(["max", "min", "wave"])["wave"].tolist()


def _wave_rows(frame: pd.DataFrame, key: str) -> WaveRows:
    """A wave with any real rows is real, and only its real rows are used; a wave is synthetic
    only when every row is."""
    rows = frame[frame["wave"] == key]
    synthetic = _synthetic(rows)
    label = str(rows["wave_label"].iloc[0])
    if synthetic.all():
        return WaveRows(key, label, True, rows)
    return WaveRows(key, label, False, rows[~synthetic])


def select(
    frame: pd.DataFrame, survey: str, wave: str | None = None, compare_wave: str | None = None
) -> Selection | None:
    """The rows of ``survey`` to report (``frame`` may hold several surveys); None if it has none.

    ``wave=None`` takes the latest real wave; a named wave may be synthetic. ``compare_wave=None``
    compares a real wave with the real wave before it, if any; a named comparison (skipped if this
    survey has no such wave) must be synthetic exactly when the report wave is.
    """
    rows = frame[frame["survey"] == survey]
    order = real_waves(rows)
    if wave is None:
        if not order:
            return None
        main = _wave_rows(rows, order[-1])
    elif (rows["wave"] == wave).any():
        main = _wave_rows(rows, wave)
    else:
        return None
    compare = None
    if compare_wave is not None:
        if not (rows["wave"] == compare_wave).any():
            return Selection(survey, main, None)
        compare = _wave_rows(rows, compare_wave)
        if compare.synthetic != main.synthetic:
            raise ValueError(f"{survey}: will not compare synthetic and real waves")
        if compare.key == main.key:
            raise ValueError(f"{survey}: cannot compare wave {main.key!r} with itself")
    elif not main.synthetic and order.index(main.key) > 0:
        compare = _wave_rows(rows, order[order.index(main.key) - 1])
    return Selection(survey, main, compare)


@dataclass(frozen=True)
class SurveySample:
    """What a report says about one survey's sample: counts as display strings, so that a small
    group (say, three answers in one language) is shown as ``<10`` wherever it appears."""

    survey: str
    title: str
    wave: str
    wave_label: str
    synthetic: bool
    responses: str
    first_month: str
    last_month: str
    languages: Mapping[str, str]
    channels: Mapping[str, str]
    compare_wave: str | None = None
    compare_label: str | None = None
    compare_responses: str | None = None


#: The value of a response without a language or channel, in the sample's shares.
NOT_RECORDED = "not recorded"


def display_size(count: int, rules: DisclosureRules) -> str:
    """A number of people as the methods note shows it: small ones as ``<10``."""
    return rules.small_count_label if rules.is_small(np.array(count)) else f"{count:,}"


def _size(rows: pd.DataFrame, rules: DisclosureRules) -> int:
    """How many rows, perturbed by their cell key where the rules say so."""
    if rules.perturbation is None:
        return len(rows)
    return rules.published_size(rows[RECORD_KEY].to_numpy())


def _shares(rows: pd.DataFrame, column: str, rules: DisclosureRules) -> dict[str, str]:
    values = rows[column].fillna(NOT_RECORDED).astype(str)
    if rules.perturbation is not None:
        keys = rows[RECORD_KEY]
        return perturbed_shares(values.groupby(values).size(), keys.groupby(values).sum(), rules)
    return {str(k): display_size(int(v), rules) for k, v in values.value_counts().items()}


def perturbed_shares(counts: pd.Series, keys: pd.Series, rules: DisclosureRules) -> dict[str, str]:
    """How many people have each value (``counts`` and the sums of their record keys, by value in
    sorted order) as the methods note shows them under perturbation: most first."""
    sizes = pd.Series(rules.published(counts.to_numpy(), keys.to_numpy()), index=counts.index)
    sizes = sizes.sort_values(ascending=False, kind="stable")
    return {str(k): display_size(int(v), rules) for k, v in sizes.items()}


def describe(selection: Selection, title: str, rules: DisclosureRules) -> SurveySample:
    """The sample of ``selection`` as the methods note reports it."""
    main, compare = selection.main, selection.compare
    rows = main.rows
    return SurveySample(
        survey=selection.survey,
        title=title,
        wave=main.key,
        wave_label=main.label,
        synthetic=main.synthetic,
        responses=display_size(_size(rows, rules), rules),
        first_month=str(rows["month"].min()),
        last_month=str(rows["month"].max()),
        languages=_shares(rows, "language", rules),
        channels=_shares(rows, "channel", rules),
        compare_wave=compare.key if compare else None,
        compare_label=compare.label if compare else None,
        compare_responses=display_size(_size(compare.rows, rules), rules) if compare else None,
    )
