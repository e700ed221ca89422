"""Store one complete response. Used by respondents' submissions and by demo data alike, so
both go through the same checks and the same text safety."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from analysis.text import prepare_answer
from survey_app.definitions import Questionnaire as Definition
from survey_app.models import Answer, AnswerChoice, Item, Response, harm_value


class InvalidAnswer(Exception):
    """An answer does not fit its question; the caller rolls back and nothing is stored."""


def item_rows(session: Session, version_id: int) -> dict[str, Item]:
    items = session.scalars(select(Item).where(Item.version_id == version_id)
                            .options(selectinload(Item.choices)))
    return {item.key: item for item in items}


def store_response(session: Session, *, version_id: int, definition: Definition, answers: dict,
                   language: str, month: str, wave_id: int | None,
                   channel: tuple[str, str | None] | None = None) -> Response:
    """Add a response with every answer (in questionnaire order) to the session, without committing.
    ``channel`` is the (type, area) of the link it came through."""
    rows = item_rows(session, version_id)
    channel_type, channel_area = channel or (None, None)
    response = Response(id=uuid.uuid4(), version_id=version_id, wave_id=wave_id, submitted_month=month,
                        language=language, channel_type=channel_type, channel_area=channel_area)
    for item in definition.items:
        for key in item.answer_keys:
            if key in answers:
                response.answers.append(_answer(rows[key], answers[key], language))
    session.add(response)
    return response


def _answer(row: Item, value: object, survey_language: str) -> Answer:
    choice_ids = {choice.value: choice.id for choice in row.choices}
    answer = Answer(item_id=row.id)
    try:
        if row.kind == "single":
            answer.choice_id = choice_ids[value]
        elif row.kind == "multiple":
            answer.selections = [AnswerChoice(item_id=row.id, choice_id=choice_ids[v]) for v in value]
        elif row.kind == "number":
            answer.number = int(value)
        else:
            # Drafts hold redacted text already; screening again guarantees no stored text skipped it.
            screened = prepare_answer(str(value), survey_language)
            answer.text = screened.redacted
            answer.text_language = screened.language
            answer.safeguarding = screened.safeguarding
            answer.safeguarding_harm = harm_value(screened.harm)
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidAnswer(f"the answer to '{row.key}' is not one the question offers") from error
    return answer
