"""Benchmark the free-text pipeline: speed against plain TextBlob, sentiment accuracy, and each
feature language by language on the labelled development set (``benchmarks/devset/``).

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

Then the safeguarding screen on the labelled development set (``benchmarks/devset/``, written apart
from the cues): per language group, recall on disclosures, how many flags name the labelled kind
of harm, and the false-positive rate on alarming and ordinary answers; and the time to screen one
40,000-character answer.

Redaction is measured per language group on the labelled dev set (``benchmarks/devset/``):
personal-data items, ``pii`` substrings that survive redaction (leaks), ``keep`` place names that
redaction removed, answers of the other kinds (which hold no personal data) that redaction changed,
and the CPU time to redact one answer of 10,000 and 40,000 characters made of the group's answers.
``--redaction-only`` prints just that table.
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

from analysis.text import prepare_answer, redact, safeguarding_screen, sentiment  # noqa: E402
from analysis.text.evaluation import (  # noqa: E402
    ROMANISED_LANGUAGES,
    answer_tag,
    language_figures,
    macro_f1,
    pearson_r,
    read_corpus,
    screen_score,
)
from analysis.themes import load_codebook  # noqa: E402
from analysis.themes.evaluation import cue_f1  # noqa: E402
from benchmarks.devset_loader import GROUPS, load  # noqa: E402

CORPORA = ("tweets", "movie_reviews")
#: Dev-set answers that are not disclosures and count as negatives for the screen.
NEGATIVE_KINDS = ("alarming", "ordinary")
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

    print("\nSafeguarding screen on the dev set (negatives: alarming and ordinary answers):")
    print(f"  {'group':<10}{'disclosures':>12}{'recall':>8}{'kind named':>12}{'negatives':>11}{'FPR':>7}")
    for group in GROUPS:
        items = load(group)
        score = screen_score(
            safeguarding_screen,
            [(item.text, item.harm) for item in items if item.kind == "disclosure"]
            + [(item.text, None) for item in items if item.kind in NEGATIVE_KINDS],
        )
        print(
            f"  {group:<10}{score.disclosures:>12}{score.recall:8.3f}{score.kind_rate:12.3f}"
            f"{score.negatives:>11}{score.false_positive_rate:7.3f}"
        )
    long_answer = (" ".join(item.text for item in load()) * 2)[:40_000]
    start = time.perf_counter()
    safeguarding_screen(long_answer)
    print(f"  one {len(long_answer):,}-character answer screened in {time.perf_counter() - start:.3f} s")
    print_languages()
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


def print_languages() -> None:
    print("\nPer language on the development set (ordinary answers):")
    print(
        f"  {'group':<10}{'answers':>8}{'non-ans':>8}{'coverage':>9}{'r':>8}{'detected':>9}{'ur/hi':>7}"
        f"{'as en':>6}"
    )
    for group in GROUPS:
        items = [item for item in load(group) if item.kind == "ordinary"]
        if not items:
            continue
        romanised = items[0].script == "Latn" and items[0].language in ROMANISED_LANGUAGES
        answers = [
            (item.text, answer_tag(item.language, item.script), float(item.sentiment)) for item in items
        ]
        figures = language_figures(answers, "en" if romanised else items[0].language)
        hindustani = ""
        if group in ("ur-Latn", "hi-Latn"):
            hindustani = f"{(figures.tags['ur-Latn'] + figures.tags['hi-Latn']) / figures.answers:.2f}"
        r = "-" if figures.r is None else f"{figures.r:.3f}"
        print(
            f"  {group:<10}{figures.answers:>8}{figures.non_answers:>8}{figures.coverage:>9.2f}{r:>8}"
            f"{figures.detected / figures.answers:>9.2f}{hindustani:>7}{figures.tags['en']:>6}"
        )


if __name__ == "__main__":
    main()
