"""Find groups of similar answers that no theme covers, for a person to read and name.

A codebook only knows the themes someone thought of. When a new worry appears (e-scooters on the
pavement, a closed underpass) it shows up as answers no cue matches, saying similar things. This
module clusters those answers and describes each cluster by its most distinctive words and the
answers nearest its centre; a human decides whether it is a theme and what to call it.

Method: TF-IDF on content words and their character n-grams (see ``vectors``), reduced with
truncated SVD (LSA) and normalised; then agglomerative clustering with average linkage on cosine
distance for each k in a range, keeping the k with the best silhouette. Answers in clusters too
small to report count as silhouette 0 (unexplained, as scikit-learn already counts a lone
answer), otherwise silhouette rewards splitting one-off answers into ever smaller pairs. Average
linkage rather than k-means, because k-means splits a large, loosely worded topic (29 ways of
saying "e-scooters on the pavement") to absorb one-off answers; average linkage leaves them apart.

Clusters smaller than ``MIN_CLUSTER_SIZE`` (or ``MIN_CLUSTER_SHARE`` of the answers), whose
members are not clearly closer to each other than to other clusters (mean silhouette below
``MIN_COHESION``), or with no word more common inside than outside are dropped: they are noise
with a name attached. Small clusters that remain can still be coincidences; a person judges.
Everything is seeded, so the same answers give the same clusters. Below ``MIN_TEXTS`` answers the
result is empty.

Redaction: the caller may pass unredacted text (an export, a notebook), so every answer goes
through ``analysis.text.redact.redact`` before anything is derived from it: the top terms (a
phone number shared by a few answers would otherwise name a cluster) as well as the quotes. If
that module cannot be imported, answers are used as given and ``quotes_redacted`` is False: check
it before publishing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import TruncatedSVD
from sklearn.metrics import silhouette_samples
from sklearn.preprocessing import normalize

from analysis.themes.codebook import Codebook
from analysis.themes.folding import fold
from analysis.themes.matching import assign_themes
from analysis.themes.vectors import AnswerVectoriser, prepare

try:
    from analysis.text.redact import redact as _redact
except ImportError:  # the text package is optional for discovery; see the module docstring
    _redact = None

MIN_TEXTS = 10
#: Mean silhouette a cluster's members need: clearly nearer their own cluster than the next one.
MIN_COHESION = 0.1
#: At least this many answers, and at least this share of them, to be reported.
MIN_CLUSTER_SIZE = 3
MIN_CLUSTER_SHARE = 0.03
MAX_COMPONENTS = 100
#: Answers with fewer words than this ("no", "idk") carry no topic.
MIN_WORDS = 2


@dataclass(frozen=True, slots=True)
class EmergingTheme:
    """A cluster of answers that may be a theme the codebook lacks."""

    #: A provisional name from the top terms, for a person to replace.
    name: str
    top_terms: tuple[str, ...]
    size: int
    #: Mean silhouette (cosine) of the members: near 1 a tight group, near 0 a loose one.
    cohesion: float
    #: The answers nearest the cluster's centre, redacted (see ``quotes_redacted``).
    quotes: tuple[str, ...]
    quotes_redacted: bool
    #: Positions of the members in the texts passed in, nearest the centre first.
    members: tuple[int, ...]


def discover_themes(
    texts: Sequence[str | None],
    codebook: Codebook | None = None,
    *,
    k_range: range = range(2, 41),
    seed: int = 0,
    n_terms: int = 6,
    n_quotes: int = 3,
) -> list[EmergingTheme]:
    """Clusters among ``texts`` (those no theme is assigned to, when a ``codebook`` is given),
    largest first.

    ``k_range`` is the numbers of clusters tried (capped so that each could reach the minimum
    size); ``seed`` fixes the SVD. Average linkage compares every pair of answers: 2,000 answers
    take about ten seconds; for much more than 5,000, cluster a random sample.
    """
    redacted = _answers_to_cluster(texts, codebook)
    vectors = _vectorise(redacted)
    if vectors is None:
        return []
    positions, tfidf, vectoriser = vectors
    min_size = max(MIN_CLUSTER_SIZE, math.ceil(MIN_CLUSTER_SHARE * len(positions)))
    points = _reduce(tfidf, seed)
    labels, silhouettes = _best_clustering(points, k_range, min_size)
    words = vectoriser.word_block(tfidf)
    themes = []
    for label in np.unique(labels):
        in_cluster = labels == label
        cohesion = float(silhouettes[in_cluster].mean())
        terms = _top_terms(words, in_cluster, vectoriser.terms, n_terms)
        if in_cluster.sum() < min_size or cohesion < MIN_COHESION or not terms:
            continue
        members = [positions[i] for i in _nearest_centre(points, np.flatnonzero(in_cluster))]
        themes.append(
            EmergingTheme(
                name=" / ".join(terms[:3]),
                top_terms=terms,
                size=len(members),
                cohesion=round(cohesion, 3),
                quotes=_quotes([redacted[i] for i in members], n_quotes),
                quotes_redacted=_redact is not None,
                members=tuple(members),
            )
        )
    return sorted(themes, key=lambda theme: (-theme.size, -theme.cohesion))


def _answers_to_cluster(texts: Sequence[str | None], codebook: Codebook | None) -> dict[int, str]:
    """``{position: redacted answer}`` for answers with some words and no assigned theme."""
    matches = assign_themes(texts, codebook) if codebook is not None else [[] for _ in texts]
    return {
        i: _redact(text) if _redact is not None else text
        for i, (text, found) in enumerate(zip(texts, matches, strict=True))
        if isinstance(text, str)
        and len(prepare(text).split()) >= MIN_WORDS
        and not any(match.assigned for match in found)
    }


def _vectorise(answers: dict[int, str]) -> tuple[list[int], sp.csr_matrix, AnswerVectoriser] | None:
    """TF-IDF of ``{position: answer}``, keeping only answers that share a term with another."""
    if len(answers) < MIN_TEXTS:
        return None
    positions = list(answers)
    vectoriser = AnswerVectoriser(min_df=2, drop_stop_words=True)
    try:
        tfidf = vectoriser.fit_transform(list(answers.values()))
    except ValueError:  # no word appears in two answers: nothing in common to find
        return None
    shares_terms = tfidf.getnnz(axis=1) > 0
    if shares_terms.sum() < MIN_TEXTS:
        return None
    return (
        [p for p, keep in zip(positions, shares_terms, strict=True) if keep],
        tfidf[shares_terms],
        vectoriser,
    )


def _reduce(tfidf: sp.csr_matrix, seed: int) -> np.ndarray:
    components = min(MAX_COMPONENTS, tfidf.shape[0] - 1, tfidf.shape[1] - 1)
    if components < 2:
        return normalize(tfidf.toarray())
    return normalize(TruncatedSVD(n_components=components, random_state=seed).fit_transform(tfidf))


def _best_clustering(points: np.ndarray, k_range: range, min_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels and per-answer silhouettes for the best k; answers in clusters below ``min_size``
    score 0 when choosing k."""
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for k in k_range:
        if not 2 <= k <= len(points) // min_size:
            continue
        labels = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average").fit_predict(points)
        silhouettes = silhouette_samples(points, labels, metric="cosine")
        reported = np.bincount(labels)[labels] >= min_size
        score = float(np.where(reported, silhouettes, 0.0).mean())
        if best is None or score > best[0]:
            best = (score, labels, silhouettes)
    if best is None:  # too few answers for two clusters of min_size: one cluster, scored 0
        return np.zeros(len(points), dtype=int), np.zeros(len(points))
    return best[1], best[2]


def _top_terms(words: sp.csr_matrix, in_cluster: np.ndarray, terms: np.ndarray, n: int) -> tuple[str, ...]:
    """The words used by more of the cluster's answers than of the others (by share of answers,
    so one long answer cannot name a cluster), in at least two of its answers, skipping words an
    earlier term already says (a word of an earlier phrase, or its plural)."""
    present = words > 0
    inside = np.asarray(present[in_cluster].sum(axis=0)).ravel()
    outside_share = np.asarray(present[~in_cluster].mean(axis=0)).ravel() if (~in_cluster).any() else 0.0
    lift = inside / in_cluster.sum() - outside_share
    chosen: list[str] = []
    covered: set[str] = set()
    for index in np.argsort(-lift, kind="stable"):
        if len(chosen) == n or lift[index] <= 0:
            break
        if inside[index] < 2:
            continue
        term = str(terms[index])
        keys = {_singular(word) for word in term.split()}
        if keys <= covered:
            continue
        chosen.append(term)
        covered |= keys
    return tuple(chosen)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _nearest_centre(points: np.ndarray, members: np.ndarray) -> np.ndarray:
    centre = normalize(points[members].mean(axis=0, keepdims=True))
    similarity = points[members] @ centre.ravel()
    return members[np.argsort(-similarity, kind="stable")]


def _quotes(answers_nearest_first: list[str], n: int) -> tuple[str, ...]:
    quotes: list[str] = []
    seen: set[str] = set()
    for answer in answers_nearest_first:
        key = " ".join(fold(answer).split())
        if key in seen:
            continue
        seen.add(key)
        quotes.append(answer)
        if len(quotes) == n:
            break
    return tuple(quotes)
