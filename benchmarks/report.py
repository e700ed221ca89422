"""Time a whole report of demo data under each kind of disclosure control, and count what it withholds.

For each size, demo responses of the young people's survey (``analysis.demo``, the same generator as
``insight demo-data``) go through ``analysis.report.build_report`` twice in one process:

* **audited**: the publication tables, exact counts protected together and attacked with integer
  programming (``analysis/stats/audit.py``), as ``insight analyse``, the exports and the SNA do;
* **perturbed**: cell-key perturbation and small-count suppression only, as the staff dashboard
  builds every filtered view (``survey_app/staff/dashboard/``).

It prints seconds for each, their ratio, and the share of crosstab counts each withholds.

    .venv/bin/python benchmarks/report.py                 # 800 and 5,000 responses
    .venv/bin/python benchmarks/report.py --sizes 800 5000 20000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.demo import generate  # noqa: E402
from analysis.report import DEFAULT_RULES, build_report  # noqa: E402
from analysis.stats import DisclosureRules  # noqa: E402
from analysis.stats.perturbation import RECORD_KEY, CellKeyPerturbation, record_keys  # noqa: E402
from tests.analysis.responses_factory import make_responses  # noqa: E402

SURVEY = "young-people"
PERTURBED = DisclosureRules(perturbation=CellKeyPerturbation())


def frame(definition: dict, size: int, seed: int):
    made = generate(definition, size, seed=seed, month="2026-10")
    rows = [{**r.answers, "language": r.language} for r in made]
    responses = make_responses(definition, rows)
    return responses.assign(**{RECORD_KEY: record_keys(responses["response_id"], b"benchmark")})


def withheld(report) -> float:
    """The share of crosstab counts (answers, options, outcomes) shown as the withheld symbol."""
    counts = [t.cells for t in report.tables.values() if "kind" in t.cells and t.breakdown != "overall"]
    cells = [c[c["kind"].isin(["answer", "excluded", "option", "outcome"])] for c in counts]
    total = sum(len(c) for c in cells)
    return sum(int((c["count_display"] == DEFAULT_RULES.suppressed_symbol).sum()) for c in cells) / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[800, 5000])
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    definition = yaml.safe_load((ROOT / "questionnaires" / f"{SURVEY}.yaml").read_text("utf-8"))
    print(
        f"{'responses':>9}  {'audited s':>9}  {'perturbed s':>11}  {'ratio':>6}  withheld audited / perturbed"
    )
    for size in args.sizes:
        responses = frame(definition, size, args.seed)
        timings, shares = [], []
        for rules in (DEFAULT_RULES, PERTURBED):
            start = time.perf_counter()
            report = build_report(responses, {SURVEY: definition}, rules=rules)
            timings.append(time.perf_counter() - start)
            shares.append(withheld(report))
        print(
            f"{size:>9,}  {timings[0]:>9.1f}  {timings[1]:>11.1f}  {timings[0] / timings[1]:>5.1f}x  "
            f"{shares[0]:.0%} / {shares[1]:.0%}"
        )


if __name__ == "__main__":
    main()
