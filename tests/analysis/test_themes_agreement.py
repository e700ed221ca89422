"""Inter-coder agreement against kappas worked out by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.themes.agreement import CODING_COLUMNS, kappa, landis_koch, pair_agreement, theme_agreement

THEMES = ["x", "y", "z"]


def codings() -> pd.DataFrame:
    """Coders 1 and 2 share ten answers to q1: 1 gives x to a1-a5 and y to a1-a2; 2 gives x to
    a1-a4 and a6, and y to a1. Nobody gives z. Coder 3 codes two q1 answers nobody else coded,
    and shares two q2 answers with coder 1; coder 2's one q2 answer is shared with nobody."""
    rows = []
    for n in range(1, 11):
        answer = f"a{n}"
        rows.append(("q1", answer, 1, [t for t, given in (("x", n <= 5), ("y", n <= 2)) if given]))
        rows.append(("q1", answer, 2, [t for t, given in (("x", n <= 4 or n == 6), ("y", n == 1)) if given]))
    rows += [
        ("q1", "a11", 3, ["x"]),
        ("q1", "a12", 3, []),
        ("q2", "b1", 1, ["z"]),
        ("q2", "b2", 1, []),
        ("q2", "b1", 3, ["z"]),
        ("q2", "b2", 3, ["y"]),
        ("q2", "b3", 2, ["x"]),
    ]
    return pd.DataFrame(rows, columns=["question", "answer", "coder", "themes"])


def test_theme_kappas_match_the_hand_computed_ones():
    table = theme_agreement(codings(), THEMES).set_index(["question", "coder_a", "coder_b", "theme"])
    x, y, z = (table.loc[("q1", 1, 2, theme)] for theme in THEMES)
    # x: 8 of 10 agree; each coder says yes to half, so chance agreement is 0.5: (0.8 - 0.5) / 0.5.
    assert x["shared"] == 10 and (x["given_a"], x["given_b"]) == (5, 4 + 1)
    assert x["agreement"] == pytest.approx(0.8) and x["kappa"] == pytest.approx(0.6)
    # y: 9 of 10 agree; chance is 0.2 * 0.1 + 0.8 * 0.9 = 0.74: (0.9 - 0.74) / 0.26.
    assert y["agreement"] == pytest.approx(0.9) and y["kappa"] == pytest.approx(0.16 / 0.26)
    # z: neither ever gives it, so they agree by necessity and kappa is not defined.
    assert z["agreement"] == 1.0 and math.isnan(z["kappa"])


def test_pooled_kappa_counts_every_theme_decision():
    table = pair_agreement(codings(), THEMES).set_index(["question", "coder_a", "coder_b"])
    pooled = table.loc[("q1", 1, 2)]
    # 30 decisions, 27 agree; coder 1 says yes 7 times, coder 2 six times:
    # chance = 7/30 * 6/30 + 23/30 * 24/30 = 0.66, kappa = (0.9 - 0.66) / 0.34.
    assert pooled["shared"] == 10
    assert pooled["agreement"] == pytest.approx(0.9) and pooled["kappa"] == pytest.approx(0.24 / 0.34)
    # q2: coders 1 and 3 share b1 and b2 and differ only on y for b2: 5 of 6 decisions agree.
    # Coder 1 says yes once, coder 3 twice: chance = 1/6 * 2/6 + 5/6 * 4/6 = 22/36.
    q2 = table.loc[("q2", 1, 3)]
    assert q2["shared"] == 2 and q2["kappa"] == pytest.approx((5 / 6 - 22 / 36) / (1 - 22 / 36))


def test_only_pairs_with_shared_answers_are_listed():
    pairs = pair_agreement(codings(), THEMES)
    assert list(zip(pairs["question"], pairs["coder_a"], pairs["coder_b"], strict=True)) == [
        ("q1", 1, 2),
        ("q2", 1, 3),
    ]
    assert len(theme_agreement(codings(), THEMES)) == 2 * len(THEMES)
    assert pair_agreement(codings().iloc[:0], THEMES).empty


def test_kappa_is_defined_whenever_chance_agreement_is_not_certain():
    assert kappa(np.array([True, True]), np.array([False, False])) == 0.0
    assert kappa(np.array([True, False]), np.array([True, False])) == 1.0
    assert kappa(np.array([True, False]), np.array([False, True])) == -1.0
    assert math.isnan(kappa(np.array([True, True]), np.array([True, True])))
    assert math.isnan(kappa(np.array([], dtype=bool), np.array([], dtype=bool)))


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (-0.1, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.35, "fair"),
        (0.6, "moderate"),
        (0.61, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
        (float("nan"), None),
    ],
)
def test_landis_and_koch_bands(value, band):
    assert landis_koch(value) == band


def test_bad_codings_are_refused():
    with pytest.raises(ValueError, match=r"\['w'\]"):
        theme_agreement(pd.DataFrame([("q", "a", 1, ["w"])], columns=list(CODING_COLUMNS)), THEMES)
    twice = pd.concat([codings().iloc[:1]] * 2)
    with pytest.raises(ValueError, match="twice"):
        pair_agreement(twice, THEMES)
    with pytest.raises(ValueError, match="lack columns"):
        pair_agreement(codings().drop(columns="coder"), THEMES)
