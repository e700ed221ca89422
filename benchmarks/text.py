"""Benchmark the free-text pipeline: speed against plain TextBlob, sentiment accuracy, and each
feature language by language on the labelled development set (``benchmarks/devset/``).

Run from the repository root:

    .venv/bin/python benchmarks/text.py [CORPUS_DIR]

CORPUS_DIR holds ``tweets.csv`` and ``movie_reviews.csv`` (see its README); it defaults to
``../shared/data/sentiment`` next to the repository. Speed is measured on the texts of both
corpora together: the whole ``prepare_answer`` pipeline (redaction, safeguarding flag, language,
sentiment) against a bare ``TextBlob(t).sentiment.polarity`` loop over the same texts, each after
one warm-up call so that loading lexicons is not counted. Our sentiment step alone is timed too,
for a like-for-like comparison with TextBlob.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from textblob import TextBlob

REPO_ROOT = Path(__file__).resolve().parents[1]
# Run as a script: the repository's own packages come first, and the dev set loader with them.
sys.path.insert(0, str(REPO_ROOT))

from analysis.text import prepare_answer, sentiment  # noqa: E402
from analysis.text.evaluation import macro_f1, pearson_r, read_corpus  # noqa: E402
from analysis.themes import load_codebook  # noqa: E402
from analysis.themes.evaluation import cue_f1  # noqa: E402
from benchmarks.devset_loader import GROUPS, load  # noqa: E402

CORPORA = ("tweets", "movie_reviews")
DEFAULT_CORPUS_DIR = REPO_ROOT.parent / "shared" / "data" / "sentiment"


def textblob_polarity(text: str) -> float:
    return TextBlob(text).sentiment.polarity


def ours(text: str) -> float:
    score = sentiment(text, "en")
    assert score is not None  # English is always scored
    return score


def texts_per_second(function: Callable[[str], object], texts: list[str]) -> float:
    function(texts[0])
    start = time.perf_counter()
    for text in texts:
        function(text)
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", nargs="?", type=Path, default=DEFAULT_CORPUS_DIR)
    corpus_dir: Path = parser.parse_args().corpus_dir

    corpora = {name: read_corpus(corpus_dir / f"{name}.csv") for name in CORPORA}
    all_texts = [text for _, texts in corpora.values() for text in texts]
    pipeline_speed = texts_per_second(lambda text: prepare_answer(text, "en"), all_texts)
    sentiment_speed = texts_per_second(ours, all_texts)
    textblob_speed = texts_per_second(textblob_polarity, all_texts)
    print(f"Speed on {len(all_texts):,} texts (one core):")
    print(f"  prepare_answer pipeline    {pipeline_speed:10,.0f} texts/s")
    print(f"  our sentiment only         {sentiment_speed:10,.0f} texts/s")
    print(f"  TextBlob polarity only     {textblob_speed:10,.0f} texts/s")
    print(f"  ratio pipeline / TextBlob  {pipeline_speed / textblob_speed:10.2f}")
    print(f"  ratio sentiment / TextBlob {sentiment_speed / textblob_speed:10.2f}")

    print("\nSentiment against human ratings (Pearson r, 3-class macro F1):")
    print(f"  {'corpus':<15}{'engine':<10}{'r':>8}{'macro F1':>10}")
    for name, (gold, texts) in corpora.items():
        for engine, score in (("TextBlob", textblob_polarity), ("ours", ours)):
            predicted = [score(text) for text in texts]
            r = pearson_r(predicted, gold)
            f1 = macro_f1(predicted, gold)
            print(f"  {name:<15}{engine:<10}{r:8.3f}{f1:10.3f}")

    themes_by_language()


def themes_by_language() -> None:
    """Cue-coded themes against the dev set's labels, per language group (ordinary answers)."""
    codebook = load_codebook()
    print(f"\nThemes by language (dev set, codebook {codebook.version}; macro and micro F1 of cues):")
    print(f"  {'group':<10}{'answers':>8}{'macro F1':>10}{'micro F1':>10}")
    for group in GROUPS:
        items = [item for item in load(group) if item.kind == "ordinary"]
        figures = cue_f1([item.text for item in items], [item.themes for item in items], codebook)
        print(f"  {group:<10}{len(items):>8}{figures['macro']:10.2f}{figures['micro']:10.2f}")


if __name__ == "__main__":
    main()
