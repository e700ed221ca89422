"""Cell-key perturbation: the noise table's promises, record keys, and perturbed crosstabs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from responses_factory import load_definition, random_responses

from analysis.report import build_report
from analysis.reporting.counts import count_cells
from analysis.reporting.tables import TableContext
from analysis.stats import DisclosureRules, MultiChoiceItem, SingleChoiceItem, crosstab_set
from analysis.stats.disclosure import TOTAL
from analysis.stats.perturbation import KEYS, RECORD_KEY, CellKeyPerturbation, record_keys

NOISE = CellKeyPerturbation()
RULES = DisclosureRules(perturbation=NOISE)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 10, 19, 20, 57, 12345])
def test_noise_is_bounded_never_negative_and_zero_on_average(count):
    keys = np.random.default_rng(count).integers(0, KEYS, 200_000)
    noise = NOISE.noise(np.full(len(keys), count), keys)
    reach = min(count, NOISE.max_noise)
    assert noise.min() >= -reach and noise.max() <= reach
    assert (count + noise >= 0).all()
    if count == 0:
        assert (noise == 0).all(), "a cell with nobody in it stays empty"
        return
    assert abs(noise.mean()) < 0.02, "the noise averages zero"
    chances = [(noise == d).mean() for d in range(min(reach, 3) + 1)]
    assert chances == sorted(chances, reverse=True), "small noise is likelier than large"
    if count >= NOISE.usual_noise:
        assert (np.abs(noise) <= NOISE.usual_noise).mean() >= 0.95


def test_the_table_reaches_far_but_rarely():
    assert NOISE.usual_noise == 3 and NOISE.max_noise == 18
    # The rarest keys reach the ends of the table, so no reader can rule a large noise out.
    ends = NOISE.noise(np.full(2, 100), np.array([0, KEYS - 1]) - 0x9E3779 * 100)
    assert sorted(ends) == [-NOISE.max_noise, NOISE.max_noise]


def test_the_same_count_and_key_always_get_the_same_noise_and_others_differ():
    counts = np.array([40, 40, 41, 40])
    keys = np.array([7, 7, 7, 8])
    once, again = NOISE.perturb(counts, keys), NOISE.perturb(counts, keys)
    assert (once == again).all() and once[0] == once[1]
    spread = NOISE.noise(np.arange(100, 2100), np.full(2000, 7))
    assert set(range(-3, 4)) <= set(spread), "the count moves a cell along the table"


def test_record_keys_need_the_secret_and_spread_evenly():
    ids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(16000)]
    keys = record_keys(ids, b"one secret")
    assert keys.min() >= 0 and keys.max() < KEYS
    assert (record_keys(ids[:50], b"one secret") == keys[:50]).all()
    assert (record_keys(ids[:50], b"another secret") != keys[:50]).all()
    per_sixteenth = np.bincount(keys * 16 // KEYS, minlength=16)
    assert per_sixteenth.min() > 850 and per_sixteenth.max() < 1150, "about 1,000 in each sixteenth"


def _responses(n: int = 2000, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(n)],
            "feel": rng.choice(["safe", "unsafe", "dont_know"], n, p=[0.6, 0.37, 0.03]),
            "area": rng.choice(["north", "south", "east", "west"], n, p=[0.5, 0.3, 0.15, 0.05]),
            "age": rng.choice(["young", "old"], n),
            "m.a": rng.random(n) < 0.4,
            "m.b": rng.random(n) < 0.01,
        }
    )
    return frame.assign(**{RECORD_KEY: record_keys(frame["response_id"], b"s")})


FEEL = SingleChoiceItem("feel", ("safe", "unsafe", "dont_know"), outcomes={"any": {"safe", "unsafe"}})
TICKS = MultiChoiceItem("m", ("m.a", "m.b"))


def test_a_perturbed_crosstab_is_near_the_truth_and_the_same_people_get_the_same_figure():
    responses = _responses()
    exact = {(c.item, c.breakdown): c.cells for c in crosstab_set(responses, [FEEL, TICKS], ["area", "age"])}
    perturbed = crosstab_set(responses, [FEEL, TICKS], ["area", "age"], RULES)
    noisy = {(c.item, c.breakdown): c.cells for c in perturbed}
    for key, cells in noisy.items():
        truth = exact[key]
        assert (cells["count"] - truth["count"]).abs().max() <= NOISE.max_noise
        assert (cells["base"] - truth["base"]).abs().max() <= NOISE.max_noise
        assert (cells["count"] <= cells["base"]).all(), "no share above 100%"
        small = (cells["count"] > 0) & (cells["count"] < RULES.min_count)
        assert (cells.loc[small, "count_display"] == "[c]").all()
        assert (cells.loc[~small, "count_display"] == cells.loc[~small, "count"].map("{:,}".format)).all()
        assert not cells["count_suppressed"][~small].any(), "nothing is withheld for others' sake"
    # Everyone's figures are one set of people whichever breakdown shows them.
    for item in ("feel", "m"):
        by_area = noisy[item, "area"].query("group == @TOTAL")[["outcome", "count", "base"]]
        by_age = noisy[item, "age"].query("group == @TOTAL")[["outcome", "count", "base"]]
        assert by_area.reset_index(drop=True).equals(by_age.reset_index(drop=True))
    # Totals are perturbed on their own, so they need not be the sums of the shown groups.
    feel = noisy["feel", "area"]
    safe = feel[feel["outcome"] == "safe"].set_index("group")["count"]
    sums = [
        cells[cells["outcome"] == o].set_index("group")["count"]
        for cells in noisy.values()
        for o in set(cells["outcome"])
    ]
    assert any(s.drop(TOTAL).sum() != s[TOTAL] for s in sums), "some total differs from its parts"
    assert safe[TOTAL] > 0


def test_perturbed_tables_need_record_keys_and_cell_keys():
    with pytest.raises(ValueError, match="record key in a 'record_key' column"):
        crosstab_set(_responses().drop(columns=[RECORD_KEY]), [FEEL], ["area"], RULES)
    counts = pd.DataFrame(
        {
            "question": ["q"],
            "question_label": ["Q"],
            "group": ["q"],
            "group_label": ["Q"],
            "outcome": ["answered"],
            "outcome_label": ["Wrote"],
            "count": [40],
            "base": [90],
        }
    )
    context = TableContext("s", "w", False)
    with pytest.raises(ValueError, match=r"s\.free_text: perturbed counts need the cell keys"):
        count_cells(counts, context, "s.free_text", RULES)
    shown = count_cells(counts.assign(key=3, base_key=9), context, "s.free_text", RULES)
    assert abs(int(shown["count"].iloc[0]) - 40) <= 3 and abs(int(shown["base"].iloc[0]) - 90) <= 3


def test_a_perturbed_report_perturbs_its_sample_and_free_text_counts_too():
    definition = load_definition("young-people")
    responses = random_responses(definition, 400, seed=2)
    keyed = responses.assign(**{RECORD_KEY: record_keys(responses["response_id"], b"s")})
    exact = build_report(responses, {"young-people": definition})
    noisy = build_report(keyed, {"young-people": definition}, rules=RULES)
    n_exact = int(exact.samples[0].responses.replace(",", ""))
    n_noisy = int(noisy.samples[0].responses.replace(",", ""))
    assert abs(n_noisy - n_exact) <= NOISE.max_noise
    assert noisy.samples[0].languages.keys() == exact.samples[0].languages.keys()
    free = noisy.tables["young-people.free_text"].cells
    truth = exact.tables["young-people.free_text"].cells
    assert (free["count"].astype(float) - truth["count"].astype(float)).abs().max() <= NOISE.max_noise
    with pytest.raises(ValueError, match="record_key"):
        build_report(responses, {"young-people": definition}, rules=RULES)
