"""Learning from human coding: stratified folds, the learner beating cues, and human decisions kept."""

import math
import pickle

import numpy as np
import pytest
from themes_coded_answers import CODED_ANSWERS, DISCRIMINATION, DRUGS, FEAR, GANGS, NOTHING, POLICE

from analysis.themes import (
    assign_themes,
    cross_validate_themes,
    iterative_stratified_folds,
    load_codebook,
    parse_codebook,
    suggest,
    train_theme_model,
)
from analysis.themes.evaluation import MIN_EVALUATED, NOT_ENOUGH, evaluate
from analysis.themes.learning import MIN_POSITIVES, label_matrix
from analysis.themes.suggestions import cue_scores

CODEBOOK = load_codebook()
TEXTS = [text for text, _ in CODED_ANSWERS]
LABELS = [labels for _, labels in CODED_ANSWERS]


@pytest.fixture(scope="module")
def model():
    return train_theme_model(TEXTS, LABELS, CODEBOOK)


@pytest.fixture(scope="module")
def cross_validation():
    return cross_validate_themes(TEXTS, LABELS, CODEBOOK, folds=5, seed=0)


def test_coded_answers_are_a_fair_test():
    assert 150 <= len(CODED_ANSWERS) <= 250
    assert len(set(TEXTS)) == len(TEXTS), "no answer twice"
    label_matrix(LABELS, CODEBOOK)  # every code is a codebook theme
    assert sum(not labels for labels in LABELS) >= 10, "some answers have no theme"


def test_folds_hold_every_common_theme_and_similar_sizes():
    truth = label_matrix(LABELS, CODEBOOK)
    fold_of = iterative_stratified_folds(truth, 5, seed=0)
    sizes = np.bincount(fold_of, minlength=5)
    assert sizes.sum() == len(TEXTS) and sizes.max() - sizes.min() <= 2
    for j in np.flatnonzero(truth.sum(axis=0) >= MIN_EVALUATED):
        assert (np.bincount(fold_of[truth[:, j]], minlength=5) >= 1).all(), CODEBOOK.ids[j]
    assert (iterative_stratified_folds(truth, 5, seed=0) == fold_of).all()
    with pytest.raises(ValueError, match="folds"):
        iterative_stratified_folds(truth, 1)


def test_learner_beats_cues_on_held_out_answers():
    truth = label_matrix(LABELS, CODEBOOK)
    held_out = iterative_stratified_folds(truth, 4, seed=0) == 0
    train, test = np.flatnonzero(~held_out), np.flatnonzero(held_out)
    model = train_theme_model([TEXTS[i] for i in train], [LABELS[i] for i in train], CODEBOOK)
    suggestions = suggest([TEXTS[i] for i in test], CODEBOOK, model)
    suggested = label_matrix([s.theme_ids for s in suggestions], CODEBOOK)
    by_cues = cue_scores(assign_themes([TEXTS[i] for i in test], CODEBOOK), CODEBOOK) >= 0.5
    micro = evaluate(truth[test], suggested, by_cues, CODEBOOK, min_positives=1).micro
    assert micro["f1"] >= micro["cue_f1"] + 0.05, micro
    assert micro["precision"] >= 0.85, micro


def test_cross_validation_reports_each_theme_or_says_why_not(cross_validation):
    table = cross_validation.per_theme.set_index("theme")
    assert list(table.index) == list(CODEBOOK.ids)
    rare = table.loc[DISCRIMINATION]
    assert rare["status"] == NOT_ENOUGH and rare["positives"] < MIN_EVALUATED
    assert all(math.isnan(rare[column]) for column in ("precision", "recall", "f1", "cue_f1"))
    evaluated = table[table["status"] == "ok"]
    assert len(evaluated) == len(CODEBOOK) - 1
    figures = evaluated[["precision", "recall", "f1", "cue_precision", "cue_recall", "cue_f1"]]
    assert figures.notna().all().all() and ((figures >= 0) & (figures <= 1)).all().all()
    assert cross_validation.micro["f1"] > cross_validation.micro["cue_f1"]
    assert (evaluated["recall"] >= evaluated["cue_recall"]).all(), "the model only adds to cues"


def test_human_decisions_are_returned_as_given(model):
    answers = [
        "no street lights and the buses stop at 7 so I walk home scared",
        "Drug dealers outside the shops every night",
        "Gangs recruiting kids as young as 12",
        "just in case something happens",
    ]
    decided = [None, {POLICE}, set(), None]
    results = suggest(answers, CODEBOOK, model, human_labels=decided)

    assert [r.source for r in results] == ["suggested", "human", "human", "suggested"]
    assert results[1].theme_ids == (POLICE,), "not drugs, although cues and model both say drugs"
    assert all(t.source == "human" and t.score == 1.0 for t in results[1].themes)
    assert results[2].themes == (), "'no theme' is a decision too"
    assert {"lighting_and_environment", "transport_and_journeys", FEAR} <= set(results[0].theme_ids)
    assert FEAR in results[3].theme_ids, "learned from coded answers; no cue says so"
    [fear] = [t for t in results[3].themes if t.theme == FEAR]
    assert fear.source == "model" and fear.cues == ()


def test_suggestions_explain_themselves_and_rank_strongest_first(model):
    [result] = suggest(["Drug dealers and gangs, nothing to do round here"], CODEBOOK, model)
    assert set(result.theme_ids) >= {DRUGS, GANGS, NOTHING}
    scores = [t.score for t in result.themes]
    assert scores == sorted(scores, reverse=True)
    [drugs] = [t for t in result.themes if t.theme == DRUGS]
    assert "dealer" in drugs.cues


def test_without_a_model_suggestions_are_the_assigned_cues():
    answers = [text for text, _ in CODED_ANSWERS[:40]]
    by_cues = [tuple(m.theme for m in found if m.assigned) for found in assign_themes(answers, CODEBOOK)]
    suggested = [s.theme_ids for s in suggest(answers, CODEBOOK)]
    assert [set(s) for s in suggested] == [set(c) for c in by_cues]
    assert all(t.source == "cues" for s in suggest(answers, CODEBOOK) for t in s.themes)


def test_bad_human_labels_are_refused(model):
    with pytest.raises(ValueError, match="not_a_theme"):
        suggest(["anything"], CODEBOOK, model, human_labels=[{"not_a_theme"}])
    with pytest.raises(ValueError, match="2 answers but 1"):
        suggest(["a", "b"], CODEBOOK, model, human_labels=[None])


def test_rare_themes_stay_with_cues():
    keep = [i for i, labels in enumerate(LABELS) if DISCRIMINATION not in labels]
    keep += [i for i, labels in enumerate(LABELS) if DISCRIMINATION in labels][: MIN_POSITIVES - 1]
    model = train_theme_model([TEXTS[i] for i in keep], [LABELS[i] for i in keep], CODEBOOK)
    assert model.untrained == (DISCRIMINATION,)
    [result] = suggest(["Racism from the police"], CODEBOOK, model)
    [racism] = [t for t in result.themes if t.theme == DISCRIMINATION]
    assert racism.source == "cues" and racism.cues == ("racism",)


def test_model_survives_pickling(model):
    restored = pickle.loads(pickle.dumps(model))
    assert np.allclose(restored.predict_proba(TEXTS[:20]), model.predict_proba(TEXTS[:20]))


def test_model_refuses_a_codebook_without_its_themes(model):
    other = parse_codebook(
        """\
version: "2.0.0"
changelog: [{version: "2.0.0", date: "2027-01-01", changes: [Only one theme left.]}]
themes:
  - id: drugs_and_dealing
    label: Drugs
    description: Drugs.
    examples: [drugs, dealers, weed]
    cues: {en: [drug, dealer, weed]}
"""
    )
    with pytest.raises(ValueError, match="no longer has"):
        suggest(["drugs"], other, model)


def test_too_few_coded_answers_train_nothing():
    model = train_theme_model(TEXTS[:6], LABELS[:6], CODEBOOK)
    assert model.themes == () and model.classifier is None
    assert [s.theme_ids for s in suggest(TEXTS[:6], CODEBOOK, model)] == [
        s.theme_ids for s in suggest(TEXTS[:6], CODEBOOK)
    ]


def test_a_single_trained_theme_is_suggested():
    """Early in coding, one theme may be the only one with enough examples."""
    texts = [
        "we need more flibber near the flats",
        "flibber for the kids please",
        "bring back the flibber",
        "a flibber on every estate",
        "flibber and more flibber",
        "the old flibber was great",
        "the weather is grey today",
        "I have lived here a long time",
        "my neighbours are kind people",
        "the shops are fine",
        "it is a quiet road",
        "no strong views on this",
    ]
    model = train_theme_model(texts, [{"safe_spaces"}] * 6 + [set()] * 6, CODEBOOK)
    assert model.themes == ("safe_spaces",)
    assert model.predict_proba(["flibber please", "grey"]).shape == (2, 1)
    [result] = suggest(["flibber please, we miss it"], CODEBOOK, model)
    assert [(t.theme, t.source) for t in result.themes] == [("safe_spaces", "model")]
