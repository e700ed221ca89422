"""Synthetic responses for demonstrations and training, stored in their own flagged wave.

They go through the same storage path as real answers (checks, redaction, screening), but into
the wave "demo", marked synthetic, which no real analysis ever includes.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.demo import stream, stream_beside
from survey_app.models import Questionnaire, Wave
from survey_app.responses.store import NewResponse, store_responses
from survey_app.surveys.service import survey_version

DEMO_WAVE = "demo"
DEMO_LABEL = "Demo data (synthetic)"
#: From this many responses on, they are made in a second process while this one stores them.
MADE_BESIDE_FROM = 5000


class UnknownSurvey(Exception):
    pass


def demo_wave(session: Session, questionnaire: Questionnaire) -> Wave:
    wave = session.scalar(
        select(Wave).where(Wave.questionnaire_id == questionnaire.id, Wave.key == DEMO_WAVE)
    )
    if wave is None:
        wave = Wave(questionnaire_id=questionnaire.id, key=DEMO_WAVE, label=DEMO_LABEL, synthetic=True)
        session.add(wave)
        session.flush()
    return wave


def add_demo_responses(
    session: Session, slug: str, count: int, seed: int = 0, *, beside_from: int = MADE_BESIDE_FROM
) -> int:
    """Store `count` synthetic responses to the survey's current version, in one transaction; from
    ``beside_from`` responses on, made in a second process (the same responses)."""
    questionnaire = session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
    if questionnaire is None or questionnaire.current_version_id is None:
        known = ", ".join(session.scalars(select(Questionnaire.slug).order_by(Questionnaire.slug)))
        hint = known or "none: run insight questionnaires sync"
        raise UnknownSurvey(f"there is no survey '{slug}' (known: {hint})")
    survey = survey_version(session, questionnaire.current_version_id)
    wave = demo_wave(session, questionnaire)
    made = (
        NewResponse(demo.answers, demo.language, demo.month, wave.id, demo.channel)
        for demo in (stream_beside if count >= beside_from else stream)(
            survey.definition.source, count, seed=seed
        )
    )
    stored = store_responses(
        session, version_id=survey.version_id, definition=survey.definition, responses=made
    )
    session.commit()
    return stored
