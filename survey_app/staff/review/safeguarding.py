"""The safeguarding queue: answers flagged as possibly disclosing harm, and what the lead did.

The queue is sorted by the kind of harm (most urgent kind first, as ``HARM_KINDS`` orders them), so
the lead can triage; within a kind, answers nobody has reviewed come first.

Answers are anonymous, so nobody can be contacted through the app; the lead acts on what an answer
says (a place, a school, a pattern) under the local safeguarding procedure and records it here.
Every recording is audited with its full text, so updating a review never loses what was written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.questionnaire import text_items
from survey_app.accounts import record
from survey_app.models import (
    UNSPECIFIED_HARM,
    Answer,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    SafeguardingReview,
    StaffUser,
    Wave,
)

#: The kinds of harm in plain words, in triage order.
HARM_LABELS = {
    "self_harm": _l("Self-harm or suicidal thoughts"),
    "abuse_at_home": _l("Violence or abuse at home"),
    "sexual_abuse": _l("Sexual abuse, exploitation or grooming"),
    "criminal_exploitation": _l("Criminal exploitation: county lines, drugs, debts"),
    "weapons": _l("Carrying or threatened with a weapon"),
    "threats_bullying": _l("Serious threats or bullying"),
    UNSPECIFIED_HARM: _l("Kind not recorded (flagged before kinds were)"),
}
_TRIAGE_ORDER = {kind: position for position, kind in enumerate(HARM_LABELS)}


class NotFlagged(LookupError):
    """There is no flagged answer with that response and item."""


@dataclass(frozen=True)
class Review:
    outcome: str
    action: str
    reviewer: str
    reviewed_at: datetime


@dataclass(frozen=True)
class FlaggedAnswer:
    response_id: uuid.UUID
    item_id: int
    survey: str
    question_key: str
    question: str
    #: redacted when stored; the original never was
    text: str
    language: str
    month: str
    #: None when the response was given outside a named wave
    wave: str | None
    synthetic: bool
    #: the kinds of harm it may disclose, in triage order
    harms: tuple[str, ...]
    review: Review | None

    @property
    def anchor(self) -> str:
        return anchor(self.response_id, self.item_id)


def anchor(response_id: uuid.UUID, item_id: int) -> str:
    """The id of an answer's place on the queue page."""
    return f"s-{response_id}-{item_id}"


def queue(session: Session) -> list[tuple[str, list[FlaggedAnswer]]]:
    """Every flagged answer, grouped by its first kind of harm in triage order. In each group,
    those nobody has reviewed (newest month first), then the reviewed ones, most recently reviewed
    first."""
    rows = session.execute(
        select(
            Answer.response_id,
            Answer.item_id,
            Answer.text,
            Answer.text_language,
            Answer.safeguarding_harm,
            Item.key,
            Item.version_id,
            Questionnaire.slug,
            Response.submitted_month,
            Wave.label,
            Wave.synthetic,
            SafeguardingReview,
            StaffUser.email,
        )
        .join(Item, Item.id == Answer.item_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Item.version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(Wave, Wave.id == Response.wave_id)
        .outerjoin(
            SafeguardingReview,
            (SafeguardingReview.response_id == Answer.response_id)
            & (SafeguardingReview.item_id == Answer.item_id),
        )
        .outerjoin(StaffUser, StaffUser.id == SafeguardingReview.reviewed_by)
        .where(Answer.safeguarding.is_(True))
    ).all()
    labels = _question_labels(session, {row.version_id for row in rows})
    flagged = [
        FlaggedAnswer(
            row.response_id,
            row.item_id,
            row.slug,
            row.key,
            labels[row.version_id].get(row.key, row.key),
            row.text,
            row.text_language,
            row.submitted_month,
            row.label,
            bool(row.synthetic),
            tuple(row.safeguarding_harm.split(";")),
            None
            if row.SafeguardingReview is None
            else Review(
                row.SafeguardingReview.outcome,
                row.SafeguardingReview.action,
                row.email,
                row.SafeguardingReview.reviewed_at,
            ),
        )
        for row in rows
    ]
    flagged.sort(key=lambda f: (f.survey, str(f.response_id), f.item_id))
    waiting = sorted((f for f in flagged if f.review is None), key=lambda f: f.month, reverse=True)
    done = sorted(
        (f for f in flagged if f.review is not None), key=lambda f: f.review.reviewed_at, reverse=True
    )
    groups: dict[str, list[FlaggedAnswer]] = {}
    for answer in waiting + done:
        groups.setdefault(answer.harms[0], []).append(answer)
    return sorted(groups.items(), key=lambda group: _TRIAGE_ORDER[group[0]])


def _question_labels(session: Session, version_ids: set[int]) -> dict[int, dict[str, str]]:
    definitions = session.execute(
        select(QuestionnaireVersion.id, QuestionnaireVersion.definition).where(
            QuestionnaireVersion.id.in_(version_ids)
        )
    ).all()
    return {
        version_id: {item["id"]: item["label"] for item in text_items(definition)}
        for version_id, definition in definitions
    }


def record_action(
    session: Session, lead_id: int, response_id: uuid.UUID, item_id: int, outcome: str, action: str
) -> None:
    """Record (or update) what was done about a flagged answer; audited with the full text."""
    found = session.execute(
        select(Answer, Item.key, Questionnaire.slug)
        .join(Item, Item.id == Answer.item_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Item.version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .where(Answer.response_id == response_id, Answer.item_id == item_id, Answer.safeguarding.is_(True))
    ).first()
    if found is None:
        raise NotFlagged(f"there is no flagged answer {response_id}/{item_id}")
    _answer, item_key, slug = found
    now = datetime.now(UTC).replace(tzinfo=None)
    review = session.get(SafeguardingReview, (response_id, item_id))
    updated = review is not None
    if review is None:
        review = SafeguardingReview(response_id=response_id, item_id=item_id)
        session.add(review)
    review.outcome, review.action, review.reviewed_by, review.reviewed_at = outcome, action, lead_id, now
    record(
        session,
        lead_id,
        "safeguarding action recorded",
        survey=slug,
        item=item_key,
        response=str(response_id),
        outcome=outcome,
        what_was_done=action,
        updated=updated,
    )
    session.commit()
