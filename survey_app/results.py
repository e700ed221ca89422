"""Analysis from the database: responses as a table, handed to the pure analysis library."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.questionnaire import VersionConflict, text_items
from analysis.report import Report, build_report, write_report
from analysis.reporting.counts import theme_counts
from analysis.reporting.selection import select as select_waves
from analysis.stats.perturbation import RECORD_KEY
from analysis.themes import load_codebook, theme_indicators
from survey_app.models import Questionnaire
from survey_app.responses.read import ResponseBatches
from survey_app.surveys.service import merged_definition
from survey_app.themes import EffectiveThemes, effective_themes


def theme_counts_by_wave(
    frame: pd.DataFrame, slug: str, definition: dict, effective: EffectiveThemes | None = None
) -> pd.DataFrame | None:
    """How many answers to each free-text question mention each codebook theme, per wave; with
    ``effective``, under the panels' names and with merged themes counted as the theme they joined."""
    codebook = load_codebook()
    labels = dict(effective.labels) if effective else {theme.id: theme.label for theme in codebook.themes}
    counts = []
    for item in text_items(definition):
        if item["id"] not in frame:
            continue
        for wave, answers in frame.groupby("wave")[item["id"]]:
            written = answers.dropna()
            if written.empty:
                continue
            indicators = theme_indicators(written, codebook)
            if effective:
                indicators = effective.fold(indicators)
            keys = frame.loc[written.index, RECORD_KEY] if RECORD_KEY in frame else None
            counted = theme_counts(indicators, slug, item["id"], labels, record_keys=keys)
            counts.append(counted.assign(wave=wave))
    return pd.concat(counts, ignore_index=True) if counts else None


def reported_responses(
    reader: ResponseBatches, months: pd.DataFrame, wave: str | None, compare_wave: str | None
) -> pd.DataFrame:
    """The responses a report on ``wave`` reads (see ``analysis.reporting.selection.select``): those
    of the wave and of the wave it is compared with, chosen as the report chooses them from every
    wave's ``months`` (``ResponseBatches.months``); none when the survey has no such wave. A
    programme of many waves is not read whole for one. Raises ValueError as the report would."""
    chosen = select_waves(months, reader.slug, wave, compare_wave)
    if chosen is None:
        return reader.frame([])
    keys = [chosen.main.key] + ([chosen.compare.key] if chosen.compare else [])
    return pd.concat(list(reader.frames(reader.ids(*keys))), ignore_index=True)


class AnalysisRefused(Exception):
    """The analysis cannot run as asked; the message says what to do instead."""


def read_definition(survey: Questionnaire) -> dict:
    """The survey's questionnaire merged across its versions, to read every version's answers."""
    try:
        return merged_definition(survey)
    except VersionConflict as conflict:
        raise AnalysisRefused(str(conflict)) from conflict


@dataclass(frozen=True)
class AnalysisResult:
    report: Report
    files: list[Path]
    responses: int


def survey_report(
    session: Session, slug: str, wave: str | None = None, compare_wave: str | None = None
) -> tuple[Report, int]:
    """The report on one wave of a survey (the latest real one when ``wave`` is None), without
    writing any file, and how many responses the survey has in all."""
    survey = session.scalar(
        select(Questionnaire).where(Questionnaire.slug == slug, Questionnaire.current_version_id.is_not(None))
    )
    if survey is None:
        known = ", ".join(session.scalars(select(Questionnaire.slug).order_by(Questionnaire.slug)))
        raise AnalysisRefused(f"there is no survey '{slug}' (known: {known or 'none'})")
    definition = read_definition(survey)
    reader = ResponseBatches(session, slug)
    months = reader.months()
    if months.empty:
        raise AnalysisRefused(
            f"'{slug}' has no responses yet; try `insight demo-data --survey {slug} "
            "--responses 500` to see what the report looks like"
        )
    waves = sorted(set(months["wave"]))
    if wave is None and months["synthetic"].all():
        raise AnalysisRefused(
            f"'{slug}' has only synthetic demo responses, which never enter a real report; "
            "name the wave to see them: --wave demo"
        )
    for name in (wave, compare_wave):
        if name is not None and name not in waves:
            raise AnalysisRefused(f"'{slug}' has no wave '{name}' (its waves: {', '.join(waves)})")
    try:
        frame = reported_responses(reader, months, wave, compare_wave)
        report = build_report(
            frame,
            {slug: definition},
            wave=wave,
            compare_wave=compare_wave,
            themes=theme_counts_by_wave(frame, slug, definition, effective_themes(session)),
        )
    except ValueError as error:
        raise AnalysisRefused(str(error)) from error
    return report, int(months["count"].sum())


def analyse(
    session: Session, slug: str, output: Path, wave: str | None = None, compare_wave: str | None = None
) -> AnalysisResult:
    report, responses = survey_report(session, slug, wave, compare_wave)
    return AnalysisResult(report, write_report(report, output), responses)
