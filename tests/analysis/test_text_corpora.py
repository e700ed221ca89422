"""Sanity check on the shared human-rated corpora: we correlate better than plain TextBlob.

The corpora live in ``shared/data/sentiment`` beside the repository (see its README). The full
figures, and speed, come from ``benchmarks/text.py``; this only guards against regressions.
"""

from pathlib import Path

import pytest
from textblob import TextBlob

from analysis.text import sentiment
from analysis.text.evaluation import macro_f1, pearson_r, read_corpus

CORPUS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "sentiment"

pytestmark = pytest.mark.skipif(
    not CORPUS_DIR.is_dir(), reason=f"shared sentiment corpora not found at {CORPUS_DIR}"
)


@pytest.mark.parametrize("corpus", ["tweets", "movie_reviews"])
def test_our_correlation_and_macro_f1_beat_textblob(corpus: str) -> None:
    gold, texts = read_corpus(CORPUS_DIR / f"{corpus}.csv")
    textblob = [TextBlob(text).sentiment.polarity for text in texts]
    # A text that says nothing ("@anonymous 11?") is not scored; the corpora count it as 0.
    ours = [0.0 if (score := sentiment(text)) is None else score for text in texts]
    assert pearson_r(ours, gold) > pearson_r(textblob, gold) + 0.02
    assert macro_f1(ours, gold) > macro_f1(textblob, gold)
