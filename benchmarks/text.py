"""Benchmark the free-text pipeline: speed against plain TextBlob, and sentiment accuracy.

Run from the repository root:

    .venv/bin/python benchmarks/text.py [CORPUS_DIR]

CORPUS_DIR holds ``tweets.csv`` and ``movie_reviews.csv`` (see its README); it defaults to
``../shared/data/sentiment`` next to the repository. Speed is measured on the texts of both
corpora together: the whole ``prepare_answer`` pipeline (redaction, safeguarding flag, language,
sentiment) against a bare ``TextBlob(t).sentiment.polarity`` loop over the same texts, each after
one warm-up call so that loading lexicons is not counted. Our sentiment step alone is timed too,
for a like-for-like comparison with TextBlob.

Redaction is measured per language group on the labelled dev set (``benchmarks/devset/``):
personal-data items, ``pii`` substrings that survive redaction (leaks), ``keep`` place names that
redaction removed, answers of the other kinds (which hold no personal data) that redaction changed,
and the CPU time to redact one answer of 10,000 and 40,000 characters made of the group's answers.
``--redaction-only`` prints just that table.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from devset_loader import GROUPS, load
from textblob import TextBlob

from analysis.text import prepare_answer, redact, sentiment
from analysis.text.evaluation import macro_f1, pearson_r, read_corpus

REPO_ROOT = Path(__file__).resolve().parents[1]
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


def seconds_to_redact(texts: list[str], length: int) -> float:
    """CPU time to redact one answer of ``length`` characters made by repeating ``texts``."""
    joined = " ".join(texts)
    answer = (joined + " ") * (length // (len(joined) + 1) + 1)
    start = time.process_time()
    redact(answer[:length])
    return time.process_time() - start


def print_redaction() -> None:
    print("Redaction on the dev set (leaks: pii substrings left; kept lost: place names removed;")
    print("others changed: answers without personal data that redaction altered; CPU seconds to")
    print("redact one answer of 10,000 and 40,000 characters):")
    print(
        f"  {'group':<10}{'items':>6}{'pii':>5}{'leaks':>6}{'items leaking':>14}{'kept lost':>10}"
        f"{'others changed':>15}{'10k chars':>10}{'40k chars':>10}"
    )
    totals = [0] * 6
    for group in GROUPS:
        items = load(group)
        personal = [item for item in items if item.kind == "personal_data"]
        others = [item for item in items if item.kind != "personal_data"]
        pairs = [(item, redact(item.text)) for item in personal]
        leaks = [[pii for pii in item.pii if pii in text] for item, text in pairs]
        lost = sum(keep not in text for item, text in pairs for keep in item.keep)
        changed = sum(redact(item.text) != item.text for item in others)
        row = [
            len(personal),
            sum(len(item.pii) for item in personal),
            sum(map(len, leaks)),
            sum(map(bool, leaks)),
            lost,
            changed,
        ]
        totals = [total + value for total, value in zip(totals, row, strict=True)]
        texts = [item.text for item in items]
        short, long = seconds_to_redact(texts, 10_000), seconds_to_redact(texts, 40_000)
        print(
            f"  {group:<10}{row[0]:>6}{row[1]:>5}{row[2]:>6}{row[3]:>14}{row[4]:>10}{row[5]:>15}"
            f"{short:>9.3f}s{long:>9.3f}s"
        )
    print(
        f"  {'all':<10}{totals[0]:>6}{totals[1]:>5}{totals[2]:>6}{totals[3]:>14}{totals[4]:>10}"
        f"{totals[5]:>15}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", nargs="?", type=Path, default=DEFAULT_CORPUS_DIR)
    parser.add_argument("--redaction-only", action="store_true", help="print only the redaction table")
    arguments = parser.parse_args()
    if arguments.redaction_only:
        print_redaction()
        return
    corpus_dir: Path = arguments.corpus_dir

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
    print()
    print_redaction()


if __name__ == "__main__":
    main()
