"""TF-IDF features for free-text answers in any of the survey's twelve languages.

Words carry the meaning people can read (the top terms a human names a cluster by); character
n-grams within words carry what words miss: misspellings ("scooterz"), inflections in languages
we have no stemmer for, and scripts where a word is not what ``\\w+`` thinks it is. Both blocks are
normalised separately and weighted equally, so neither drowns the other. Everything is built from
scikit-learn with no downloaded resources.

Discovery drops English stop words from both blocks: otherwise the n-grams of "the" and "ing"
make any two English answers look alike. The learner keeps them, because "no", "not" and
"nothing to do" carry meaning a classifier can use.
"""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from analysis.themes.cues import WORD_CHARS
from analysis.themes.folding import fold

# Placeholders left by redaction ("[phone]") say nothing about the topic.
_PLACEHOLDER = re.compile(r"\[[a-z]+\]")
_TOKEN = re.compile(rf"[{WORD_CHARS}]{{2,}}")
# Folding drops apostrophes, so "don't" arrives as "dont".
_CONTRACTIONS = {"dont", "im", "cant", "wont", "isnt", "ive"}
_STOP_WORDS = frozenset({fold(word) for word in ENGLISH_STOP_WORDS} | _CONTRACTIONS)


def prepare(text: str) -> str:
    """Fold an answer and drop redaction placeholders."""
    return fold(_PLACEHOLDER.sub(" ", text))


def content_words(text: str) -> str:
    """The prepared answer without English stop words."""
    return " ".join(word for word in _TOKEN.findall(prepare(text)) if word not in _STOP_WORDS)


class AnswerVectoriser:
    """Word (1-2 grams) and character (3-5 grams within words) TF-IDF, side by side."""

    def __init__(self, *, min_df: int = 1, drop_stop_words: bool = False):
        # Module-level preprocessors (not lambdas) so that fitted models can be pickled.
        preprocessor = content_words if drop_stop_words else prepare
        self.words = TfidfVectorizer(
            preprocessor=preprocessor,
            token_pattern=_TOKEN.pattern,
            ngram_range=(1, 2),
            min_df=min_df,
            sublinear_tf=True,
        )
        self.chars = TfidfVectorizer(
            preprocessor=preprocessor,
            analyzer="char_wb",
            ngram_range=(3, 5),
            min_df=min_df,
            sublinear_tf=True,
        )

    def fit_transform(self, texts: list[str]) -> sp.csr_matrix:
        return self._join(self.words.fit_transform(texts), self.chars.fit_transform(texts))

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        return self._join(self.words.transform(texts), self.chars.transform(texts))

    def word_block(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        """The word columns of a matrix this vectoriser made (to name clusters by their words)."""
        return matrix[:, : len(self.words.vocabulary_)]

    @property
    def terms(self) -> np.ndarray:
        return self.words.get_feature_names_out()

    @staticmethod
    def _join(words: sp.csr_matrix, chars: sp.csr_matrix) -> sp.csr_matrix:
        return normalize(sp.hstack([normalize(words), normalize(chars)], format="csr"))
