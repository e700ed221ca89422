"""Wave-on-wave tests, Newcombe intervals and Benjamini-Hochberg against worked examples."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.stats.crosstab import SingleChoiceItem, crosstab
from analysis.stats.waves import (
    benjamini_hochberg,
    compare_waves,
    crosstab_wave_counts,
    newcombe_difference_interval,
)


def test_benjamini_hochberg_hand_worked():
    # m = 8. Sorted p times m / rank: 0.008, 0.032, 0.104, 0.082, 0.0672, 0.08, 0.0846, 0.205;
    # then the running minimum from the largest rank down: ranks 3 and 4 take 0.0672 from rank 5.
    p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205]
    expected = [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.592 / 7, 0.205]
    assert benjamini_hochberg(p) == pytest.approx(expected)


def test_benjamini_hochberg_keeps_input_order_and_skips_untestable():
    # Family of three (the NaN is not a test): 0.04 * 3 / 2 = 0.06, 0.01 * 3 / 1 = 0.03, 0.5.
    q = benjamini_hochberg([0.04, np.nan, 0.01, 0.5])
    assert np.isnan(q[1])
    assert q[[0, 2, 3]] == pytest.approx([0.06, 0.03, 0.5])


@given(st.lists(st.floats(0, 1), min_size=1, max_size=50))
def test_q_values_are_at_least_p_at_most_one_and_keep_order(p_values):
    p = np.array(p_values)
    q = benjamini_hochberg(p)
    assert (q >= p - 1e-12).all()
    assert (q <= 1).all()
    order = np.argsort(p, kind="stable")
    assert (np.diff(q[order]) >= -1e-12).all()


def test_newcombe_difference_matches_published_examples():
    # Newcombe (1998) Statistics in Medicine 17:873-890, Table II, method 10: 56/70 - 48/80 gives
    # 0.0524 to 0.3339, and 9/10 - 3/10 gives 0.1705 to 0.8090. Here B minus A.
    low, high = newcombe_difference_interval([48, 3], [80, 10], [56, 9], [70, 10])
    assert np.round(low, 4).tolist() == [0.0524, 0.1705]
    assert np.round(high, 4).tolist() == [0.3339, 0.8090]


def test_knife_carrying_eight_to_six_percent_by_hand():
    # Pooled p = 140/2000 = 0.07; se = sqrt(0.07 * 0.93 * (1/1000 + 1/1000)) = 0.0114105;
    # z = -0.02 / 0.0114105 = -1.7528, two-sided p = 0.0796: not significant at 5%.
    result = compare_waves(
        pd.DataFrame({"successes_a": [80], "n_a": [1000], "successes_b": [60], "n_b": [1000]})
    )
    row = result.iloc[0]
    assert row["test"] == "z"
    assert row["difference"] == pytest.approx(-0.02)
    assert row["z"] == pytest.approx(-1.7528, abs=1e-4)
    assert row["p_value"] == pytest.approx(0.0796, abs=1e-4)
    assert not row["significant"]
    assert row["reportable"]


def test_small_expected_counts_use_fisher_exact():
    # Fisher's tea-tasting table [[3, 1], [1, 3]]: two-sided p = 34/70 = 0.4857.
    result = compare_waves(pd.DataFrame({"successes_a": [3], "n_a": [4], "successes_b": [1], "n_b": [4]}))
    row = result.iloc[0]
    assert row["test"] == "fisher"
    assert np.isnan(row["z"])
    assert row["p_value"] == pytest.approx(34 / 70)
    assert not row["reportable"]


def test_family_correction_and_labels_are_kept():
    comparisons = pd.DataFrame(
        {
            "item": ["carried_knife", "seen_knife", "hurt", "empty"],
            "successes_a": [80, 300, 100, 0],
            "n_a": [1000, 1000, 1000, 0],
            "successes_b": [60, 200, 101, 5],
            "n_b": [1000, 1000, 1000, 50],
        }
    )
    result = compare_waves(comparisons)
    assert result["item"].tolist() == comparisons["item"].tolist()
    assert result["test"].tolist() == ["z", "z", "z", "none"]
    assert result["q_value"].iloc[:3].to_numpy() == pytest.approx(
        benjamini_hochberg(result["p_value"].iloc[:3])
    )
    assert result["significant"].tolist() == [False, True, False, False]
    assert np.isnan(result.loc[3, "q_value"])


def test_missing_count_columns_are_reported():
    with pytest.raises(ValueError, match="n_b"):
        compare_waves(pd.DataFrame({"successes_a": [1], "n_a": [2], "successes_b": [1]}))


def test_comparisons_from_a_crosstab_by_wave():
    item = SingleChoiceItem(
        "carried_knife", ("yes", "no", "prefer_not_to_say"), outcomes={"carried": {"yes"}}
    )
    answers = ["yes"] * 80 + ["no"] * 920 + ["yes"] * 60 + ["no"] * 940 + ["prefer_not_to_say"] * 12
    frame = pd.DataFrame({"carried_knife": answers, "wave": ["2024"] * 1000 + ["2025"] * 1012})
    counts = crosstab_wave_counts(crosstab(frame, item, "wave"), "2024", "2025")
    assert counts["outcome"].tolist() == ["yes", "no", "carried"]
    assert counts.loc[0, ["successes_a", "n_a", "successes_b", "n_b"]].tolist() == [80, 1000, 60, 1000]
    result = compare_waves(counts)
    assert result["reportable"].all()
    assert result.loc[0, "p_value"] == pytest.approx(0.0796, abs=1e-4)


def test_unpublishable_crosstab_cells_are_not_reportable():
    comparisons = pd.DataFrame(
        {
            "successes_a": [80],
            "n_a": [1000],
            "successes_b": [60],
            "n_b": [1000],
            "publishable_a": [True],
            "publishable_b": [False],
        }
    )
    assert not compare_waves(comparisons)["reportable"].iloc[0]
