"""Time theme assignment, alone and after the free-text pipeline, on one core.

The text pipeline (redact, safeguarding flag, language, sentiment) and theme assignment together
must keep above 2,000 answers a second. Answers are stitched from the codebook's examples (which
include other languages) and phrases no cue matches, one to three pieces each, so they have the
length and mix of real answers; they are not realistic as a whole.

    .venv/bin/python benchmarks/themes.py                  # 20,000 answers, best of 3 runs
    .venv/bin/python benchmarks/themes.py --answers 100000 --repeats 1 --seed 7

Times are this process's CPU time, best of ``--repeats`` runs: what one core delivers, even when
other processes share the machine.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.themes import Codebook, assign_themes, load_codebook
from analysis.themes.frames import theme_indicators
from analysis.themes.matching import CueMatcher

BUDGET = 2_000
NEUTRAL = [
    "to be honest",
    "round here",
    "I think",
    "in the evenings mostly",
    "it has got worse over the last year",
    "near the shops on the high street",
    "my friends say the same",
    "Not sure what else to say.",
    "especially in winter",
    "for everyone not just kids",
    "idk",
    "since covid",
]


def synthetic_answers(codebook: Codebook, n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    pieces = [example for theme in codebook for example in theme.examples] + NEUTRAL
    counts = rng.integers(1, 4, size=n)
    return [" ".join(pieces[i] for i in rng.integers(0, len(pieces), size=k)) for k in counts]


def rate(label: str, n: int, work: Callable[[], object], repeats: int) -> float:
    """Print and return answers a CPU second for the fastest of ``repeats`` runs of ``work``."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    per_second = n / best
    print(f"{label:<48} {per_second:>10,.0f} answers/s  {1e6 / per_second:7.1f} µs each")
    return per_second


def run(n: int, seed: int, repeats: int) -> None:
    codebook = load_codebook()
    cues = sum(len(theme.cues) for theme in codebook)
    start = time.process_time()
    CueMatcher(codebook)
    compile_ms = 1000 * (time.process_time() - start)
    print(
        f"codebook {codebook.version}: {len(codebook)} themes, {cues} cues, compiled in {compile_ms:.0f} ms"
    )

    answers = synthetic_answers(codebook, n, seed)
    words = sum(len(answer.split()) for answer in answers) / n
    print(f"{n:,} answers, {words:.1f} words on average\n")

    rate("assign_themes", n, lambda: assign_themes(answers, codebook), repeats)
    series = pd.Series(answers)
    rate("theme_indicators (DataFrame for crosstabs)", n, lambda: theme_indicators(series, codebook), repeats)

    try:
        from analysis.text import prepare_answer
    except ImportError as error:
        print(f"text pipeline not importable ({error}); no combined figure")
    else:

        def pipeline() -> None:
            for answer in answers:
                assign_themes([prepare_answer(answer, "en").redacted], codebook)

        combined = rate("prepare_answer + assign_themes, one by one", n, pipeline, repeats)
        verdict = "within" if combined >= BUDGET else "OVER"
        print(f"{'':<48} {verdict} the {BUDGET:,} answers/s budget")

    found = assign_themes(answers, codebook)
    themed = sum(any(m.assigned for m in matches) for matches in found) / n
    per_answer = sum(len(matches) for matches in found) / n
    print(f"\n{themed:.0%} of answers got a theme; {per_answer:.2f} themes mentioned per answer")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    run(args.answers, args.seed, args.repeats)


if __name__ == "__main__":
    main()
