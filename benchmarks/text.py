"""Benchmark the free-text pipeline: speed against plain TextBlob, and sentiment accuracy.

Run from the repository root:

    .venv/bin/python benchmarks/text.py [CORPUS_DIR]

Sentiment is measured twice. On the shared VADER corpora (English tweets and movie reviews, rated
by about 20 people each) against plain TextBlob; a text there that says nothing counts as 0. And per
language on the project's labelled development set (``benchmarks/devset/``, its ``ordinary``
answers): the share of answers that say something which got a score, Pearson r against the
writers' labels, and how often language detection gave the answer's own tag. Answers are given in
the survey of their own language, except romanised Urdu, Hindi and Panjabi, which are given in the
English survey (the harder case: nothing hints at the language); "as en" counts those detected as
English, which must be none. Romanised Urdu and Hindi cannot be told apart in the English survey,
so their exact detection is low by design; "ur/hi" counts either tag as right.

CORPUS_DIR holds ``tweets.csv`` and ``movie_reviews.csv`` (see its README); it defaults to
``../shared/data/sentiment`` next to the repository. Speed is measured on the texts of both
corpora together: the whole ``prepare_answer`` pipeline (redaction, safeguarding flag, language,
sentiment) against a bare ``TextBlob(t).sentiment.polarity`` loop over the same texts, each after
one warm-up call so that loading lexicons is not counted. Our sentiment step alone is timed too,
for a like-for-like comparison with TextBlob.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from devset_loader import GROUPS, load
from textblob import TextBlob

from analysis.text import prepare_answer, sentiment
from analysis.text.evaluation import (
    ROMANISED_LANGUAGES,
    answer_tag,
    language_figures,
    macro_f1,
    pearson_r,
    read_corpus,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPORA = ("tweets", "movie_reviews")
DEFAULT_CORPUS_DIR = REPO_ROOT.parent / "shared" / "data" / "sentiment"


def textblob_polarity(text: str) -> float:
    return TextBlob(text).sentiment.polarity


def ours(text: str) -> float:
    score = sentiment(text, "en")
    return 0.0 if score is None else score  # a text that says nothing ("-", a bare link)


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
    print_languages()


def print_languages() -> None:
    print("\nPer language on the development set (ordinary answers):")
    print(f"  {'group':<10}{'answers':>8}{'non-ans':>8}{'coverage':>9}{'r':>8}{'detected':>9}{'ur/hi':>7}"
          f"{'as en':>6}")
    for group in GROUPS:
        items = [item for item in load(group) if item.kind == "ordinary"]
        if not items:
            continue
        romanised = items[0].script == "Latn" and items[0].language in ROMANISED_LANGUAGES
        answers = [(item.text, answer_tag(item.language, item.script), float(item.sentiment))
                   for item in items]
        figures = language_figures(answers, "en" if romanised else items[0].language)
        hindustani = ""
        if group in ("ur-Latn", "hi-Latn"):
            hindustani = f"{(figures.tags['ur-Latn'] + figures.tags['hi-Latn']) / figures.answers:.2f}"
        r = "-" if figures.r is None else f"{figures.r:.3f}"
        print(f"  {group:<10}{figures.answers:>8}{figures.non_answers:>8}{figures.coverage:>9.2f}{r:>8}"
              f"{figures.detected / figures.answers:>9.2f}{hindustani:>7}{figures.tags['en']:>6}")


if __name__ == "__main__":
    main()
