"""Wilson intervals against hand-worked and published values, and their invariants."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.stats.proportions import wilson_frame, wilson_interval, wilson_intervals


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # By hand, z = 1.959964, z² = 3.841459. 8/10: centre = (0.8 + 0.192073) / 1.384146 = 0.716738,
        # half-width = (1.959964 / 1.384146) * sqrt(0.016 + 0.009604) = 0.226578.
        (8, 10, 0.4902, 0.9433),
        # 0/10: centre = 0.192073 / 1.384146 = 0.138767 = half-width, so (0, 0.2775).
        (0, 10, 0.0, 0.2775),
        # 50/100: centre 0.5, half-width = (1.959964 / 1.038415) * sqrt(0.0025 + 0.000096) = 0.096177.
        (50, 100, 0.4038, 0.5962),
        # Published: Newcombe (1998) Statistics in Medicine 17:857-872, Table I, method 3.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_hand_worked_and_published_values(successes, n, low, high):
    got_low, got_high = wilson_interval(successes, n)
    assert round(got_low, 4) == low
    assert round(got_high, 4) == high


def test_all_successes_mirror_no_successes():
    low, high = wilson_interval(10, 10)
    assert (round(low, 4), high) == (0.7225, 1.0)


def test_empty_base_gives_nan_interval_not_an_error():
    low, high = wilson_interval(0, 0)
    assert math.isnan(low)
    assert math.isnan(high)


def test_lower_confidence_gives_narrower_interval():
    low95, high95 = wilson_interval(30, 100)
    low90, high90 = wilson_interval(30, 100, confidence=0.90)
    assert low95 < low90 < high90 < high95


@pytest.mark.parametrize(("successes", "n"), [(11, 10), (-1, 10)])
def test_impossible_counts_are_rejected(successes, n):
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(successes, n)


def test_confidence_outside_zero_one_is_rejected():
    with pytest.raises(ValueError, match="confidence"):
        wilson_interval(1, 2, confidence=95)


def test_vectorised_version_agrees_with_scalar_and_keeps_shape():
    successes = np.array([[8, 0], [50, 0]])
    n = np.array([[10, 10], [100, 0]])
    low, high = wilson_intervals(successes, n)
    assert low.shape == (2, 2)
    assert low[0, 0] == pytest.approx(wilson_interval(8, 10)[0])
    assert high[1, 0] == pytest.approx(wilson_interval(50, 100)[1])
    assert np.isnan(low[1, 1])


def test_frame_keeps_the_series_index():
    counts = pd.Series([8, 0], index=["leicester", "rutland"])
    frame = wilson_frame(counts, pd.Series([0, 10], index=["rutland", "leicester"]))
    assert list(frame.index) == ["leicester", "rutland"]
    assert frame.loc["leicester", "proportion"] == pytest.approx(0.8)
    assert frame.loc["rutland"].isna().all()


@given(st.integers(min_value=1, max_value=10**7).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_interval_contains_estimate_and_lies_in_unit_interval(case):
    successes, n = case
    low, high = wilson_interval(successes, n)
    assert 0.0 <= low <= successes / n <= high <= 1.0
