"""The SNA report for staff: which waves it can cover, and each download, audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.accounts import record
from survey_app.models import Questionnaire, QuestionnaireVersion, Response, Wave
from survey_app.reports import render
from survey_app.reports.sna import FILENAME, SURVEYS, sna_report
from survey_app.responses.read import NO_WAVE, NO_WAVE_LABEL


@dataclass(frozen=True)
class WaveOption:
    key: str
    label: str
    synthetic: bool
    #: responses in the wave, over both surveys
    responses: int


class ReportRefused(ValueError):
    """The report cannot be made as asked; the message says what to choose instead."""


@dataclass(frozen=True)
class Download:
    data: bytes
    mimetype: str
    filename: str


def wave_options(session: Session) -> list[WaveOption]:
    """Waves of either standard survey that have responses, by key (each survey has its own wave
    rows): real ones first, in the order named."""
    rows = session.execute(
        select(Wave.id, Wave.key, Wave.label, Wave.synthetic, func.count(Response.id))
        .join(Response, Response.wave_id == Wave.id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .where(Questionnaire.slug.in_(SURVEYS))
        .group_by(Wave.id, Wave.key, Wave.label, Wave.synthetic)
        .order_by(Wave.synthetic, Wave.id)
    ).all()
    options: dict[str, WaveOption] = {}
    for _, key, label, synthetic, count in rows:
        seen = options.get(key)
        if seen is None:
            options[key] = WaveOption(key, label, bool(synthetic), count)
        else:
            options[key] = WaveOption(
                key, seen.label, seen.synthetic or bool(synthetic), seen.responses + count
            )
    outside = session.scalar(
        select(func.count(Response.id))
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .where(Questionnaire.slug.in_(SURVEYS), Response.wave_id.is_(None))
    )
    real = [option for option in options.values() if not option.synthetic]
    # Responses given before any wave was named are real too, and reported like a wave.
    if outside:
        real.append(WaveOption(NO_WAVE, NO_WAVE_LABEL, False, outside))
    return real + [option for option in options.values() if option.synthetic]


def chosen(
    options: list[WaveOption], wave: str | None, compare: str | None
) -> tuple[WaveOption | None, WaveOption | None]:
    """The wave and comparison wave asked for, checked against ``options``."""
    by_key = {o.key: o for o in options}
    for key in (wave, compare):
        if key and key not in by_key:
            raise ReportRefused(
                f"there is no wave '{key}' with responses; choose one of: {', '.join(by_key) or 'none yet'}"
            )
    if compare and not wave:
        raise ReportRefused("choose the wave to report before a wave to compare it with")
    if wave and compare == wave:
        raise ReportRefused("choose a different wave to compare with, or none")
    return by_key.get(wave or ""), by_key.get(compare or "")


def download(session: Session, actor_id: int, wave: str, compare: str | None, fmt: str) -> Download:
    """The report in ``fmt``; audited as "sna report exported" and committed."""
    content = sna_report(session, wave, compare)
    data = render.render(content, fmt)
    record(
        session,
        actor_id,
        "sna report exported",
        wave=wave,
        compare=compare,
        format=fmt,
        synthetic=content.synthetic,
    )
    session.commit()
    return Download(data, render.MIME[fmt], f"{FILENAME}.{fmt}")
