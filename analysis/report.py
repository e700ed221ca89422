"""The SNA "Community Insights" report: every table, the statements, and the files analysts use.

``build_report`` takes the responses frame the web app exports and the questionnaire definitions;
``write_report`` writes one CSV per table, ``tables.xlsx`` and ``insights.md``. Synthetic (demo)
responses never reach a report about real responses: see ``analysis.reporting.selection``.

    report = build_report(responses, {"young-people": yp, "community": community})
    write_report(report, "out/2026-autumn")

Table ids are ``<survey>.<question>.<breakdown>`` (e.g. ``young-people.safe_area_dark.area``),
plus ``<survey>.wave_changes``, ``<survey>.free_text`` and ``<survey>.themes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.areas import load_district_deprivation
from analysis.districts import MostDeprived, load_districts, most_deprived
from analysis.insights import Evidence, Statement, build_statements
from analysis.questionnaire import Definition
from analysis.reporting.files import write_csvs, write_workbook
from analysis.reporting.markdown import render
from analysis.reporting.selection import SurveySample, describe, select
from analysis.reporting.survey import Lookups, survey_tables
from analysis.reporting.tables import Table
from analysis.stats import DisclosureRules
from analysis.stats.perturbation import RECORD_KEY

DEFAULT_RULES = DisclosureRules()
CONTRACT_COLUMNS = (
    "response_id",
    "survey",
    "wave",
    "wave_label",
    "synthetic",
    "month",
    "language",
    "channel",
)


@dataclass(frozen=True)
class Report:
    """Everything publishable about one report wave: tables by id, statements, samples."""

    tables: Mapping[str, Table]
    statements: tuple[Statement, ...]
    samples: tuple[SurveySample, ...]
    rules: DisclosureRules
    most_deprived: MostDeprived

    @property
    def synthetic(self) -> bool:
        return any(s.synthetic for s in self.samples)

    @property
    def deprivation_edition(self) -> str:
        return self.most_deprived.edition


def build_report(
    responses: pd.DataFrame,
    definitions: Mapping[str, Definition],
    wave: str | None = None,
    compare_wave: str | None = None,
    rules: DisclosureRules = DEFAULT_RULES,
    *,
    themes: pd.DataFrame | None = None,
) -> Report:
    """Tables and statements for ``wave`` of every survey in ``definitions`` (see ``select`` for
    how waves are chosen). ``themes`` holds free-text theme counts: columns ``survey, question,
    theme, count`` and optionally ``base`` (answers themed) and ``wave``. Perturbed ``rules``
    need each response's record key (``record_key``), and theme counts their cell keys."""
    missing = [c for c in CONTRACT_COLUMNS if c not in responses]
    if rules.perturbation is not None and RECORD_KEY not in responses:
        missing.append(RECORD_KEY)
    if missing:
        raise ValueError(f"responses lack columns {missing}")
    unknown = sorted(set(responses["survey"].dropna()) - set(definitions))
    if unknown:
        raise ValueError(f"no definition for surveys {unknown}")
    districts, deprivation = load_districts(), load_district_deprivation()
    lookups = Lookups(districts, deprivation, most_deprived(districts, deprivation))
    tables: dict[str, Table] = {}
    samples = []
    for slug, definition in definitions.items():
        selection = select(responses, slug, wave, compare_wave)
        if selection is None:
            continue
        samples.append(describe(selection, definition["title"], rules))
        tables.update((t.id, t) for t in survey_tables(selection, definition, lookups, rules, themes))
    if wave is not None and not samples:
        raise ValueError(f"no responses in wave {wave!r}")
    if compare_wave is not None and all(s.compare_wave != compare_wave for s in samples):
        raise ValueError(f"no responses in comparison wave {compare_wave!r}")
    evidence = Evidence(tables, {s.survey: s for s in samples}, lookups.most_deprived)
    return Report(tables, tuple(build_statements(evidence)), tuple(samples), rules, lookups.most_deprived)


def write_report(report: Report, output_dir: str | Path) -> list[Path]:
    """Write one CSV per table, ``tables.xlsx`` and ``insights.md`` into ``output_dir`` (created if
    needed); returns the paths written."""
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    insights = folder / "insights.md"
    insights.write_text(render(report), encoding="utf-8")
    return [
        *write_csvs(report.tables.values(), folder),
        write_workbook(report, folder / "tables.xlsx"),
        insights,
    ]
