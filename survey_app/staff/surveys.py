"""Running surveys: open or close one, name waves of fieldwork and choose the one new responses join."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.stats import DisclosureRules
from survey_app.accounts import record
from survey_app.models import Questionnaire, Response, Wave
from survey_app.responses.waiting import SealedForAnotherKey, release_waiting

WAVE_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RESERVED_KEYS = frozenset({"demo", "no-wave", "all-waves"})


class SurveyChangeRefused(ValueError):
    """The change cannot be made as asked; the message says why."""


def questionnaire(session: Session, slug: str) -> Questionnaire | None:
    return session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))


def set_open(session: Session, actor_id: int, survey: Questionnaire, is_open: bool, secret: str) -> None:
    """Open or close a survey; closing adds every response still waiting for its batch."""
    survey.is_open = is_open
    record(session, actor_id, "survey opened" if is_open else "survey closed", survey=survey.slug)
    session.commit()
    if not is_open:
        try:
            release_waiting(session, secret)
        except SealedForAnotherKey:
            # They stay waiting, and `insight doctor` says how to add them.
            session.rollback()


def add_wave(
    session: Session, actor_id: int, survey: Questionnaire, key: str, label: str, make_current: bool
) -> Wave:
    key, label = key.strip().lower(), label.strip()
    if not WAVE_KEY.match(key) or len(key) > 60:
        raise SurveyChangeRefused(
            f"'{key}' is not a valid wave name: use lower-case letters, digits and hyphens, like 2026-autumn"
        )
    if key in RESERVED_KEYS:
        raise SurveyChangeRefused(f"'{key}' is reserved; choose another wave name")
    if not label or len(label) > 120:
        raise SurveyChangeRefused("give the wave a label of up to 120 characters, like Autumn 2026")
    if session.scalar(select(Wave.id).where(Wave.questionnaire_id == survey.id, Wave.key == key)):
        raise SurveyChangeRefused(f"'{survey.slug}' already has a wave '{key}'")
    wave = Wave(questionnaire_id=survey.id, key=key, label=label, synthetic=False)
    session.add(wave)
    session.flush()
    if make_current:
        survey.current_wave_id = wave.id
    record(session, actor_id, "wave added", survey=survey.slug, wave=key, current=make_current)
    session.commit()
    return wave


def waves(session: Session, survey: Questionnaire) -> list[Wave]:
    return list(session.scalars(select(Wave).where(Wave.questionnaire_id == survey.id).order_by(Wave.id)))


def wave_with_data(session: Session, survey: Questionnaire) -> Wave | None:
    """The wave the dashboard and coding pages open on: the latest real wave with enough responses
    for figures, else the latest real wave with any; None when no real wave has a response. The
    wave new responses join may be just opened and nearly empty, so it is not the default for that."""
    enough = DisclosureRules().min_base
    answered = session.execute(
        select(Wave, func.count(Response.id))
        .join(Response, Response.wave_id == Wave.id)
        .where(Wave.questionnaire_id == survey.id, Wave.synthetic.is_(False))
        .group_by(Wave.id)
        .order_by(Wave.id.desc())
    ).all()
    return next((wave for wave, count in answered if count >= enough), answered[0][0] if answered else None)


def set_current_wave(session: Session, actor_id: int, survey: Questionnaire, key: str | None) -> None:
    """New responses join this wave; None means no named wave."""
    wave = None
    if key:
        wave = session.scalar(select(Wave).where(Wave.questionnaire_id == survey.id, Wave.key == key))
        if wave is None or wave.synthetic:
            raise SurveyChangeRefused(f"'{survey.slug}' has no real wave '{key}'")
    survey.current_wave_id = wave.id if wave else None
    record(session, actor_id, "current wave set", survey=survey.slug, wave=key)
    session.commit()
