"""Store complete responses. Used by respondents' submissions and by demo data alike, so both go
through the same checks and the same text safety.

Rows are written with bulk INSERTs rather than one ORM object per answer: a response is a few
dozen rows, and demo data or an import writes tens of thousands of responses at once. A version's
items are read once per session (versions never change).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from analysis.text import TextResult, prepare_answer
from survey_app.definitions import Questionnaire as Definition
from survey_app.models import Answer, AnswerChoice, Item, Response, harm_value

#: Responses written per INSERT batch by ``store_responses``.
BATCH = 1000


class InvalidAnswer(Exception):
    """An answer does not fit its question; the caller rolls back and nothing is stored."""


@dataclass(frozen=True)
class NewResponse:
    """What a response holds before it is stored: ``answers`` maps answer keys to form values."""

    answers: dict
    language: str
    month: str
    wave_id: int | None = None
    #: (type, area) of the distribution link it came through
    channel: tuple[str, str | None] | None = None


@dataclass
class Rows:
    """The rows that store responses, by table, ready to be written."""

    responses: list[dict] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)
    choices: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class ChoiceRow:
    id: int
    value: str
    position: int


@dataclass(frozen=True)
class ItemRow:
    """An item of a stored version, as plain values (they outlive the transaction that read them)."""

    id: int
    key: str
    kind: str
    position: int
    choices: tuple[ChoiceRow, ...]


def item_rows(session: Session, version_id: int) -> dict[str, ItemRow]:
    """The version's items by answer key, with their choices; read once per session."""
    cache_of = session.info.setdefault("item_rows", {})
    if version_id not in cache_of:
        items = session.scalars(
            select(Item).where(Item.version_id == version_id).options(selectinload(Item.choices))
        )
        cache_of[version_id] = {
            item.key: ItemRow(
                item.id,
                item.key,
                item.kind,
                item.position,
                tuple(ChoiceRow(c.id, c.value, c.position) for c in item.choices),
            )
            for item in items
        }
    return cache_of[version_id]


def prepare_response(
    session: Session,
    *,
    version_id: int,
    definition: Definition,
    answers: dict,
    language: str,
    month: str,
    wave_id: int | None,
    channel: tuple[str, str | None] | None = None,
) -> Rows:
    """The rows that store a response with every answer (in questionnaire order), checked and with
    its free text screened, not yet written. ``channel`` is the (type, area) of the link it came
    through. Raises InvalidAnswer for an answer the questionnaire does not offer."""
    rows = Rows()
    _add(
        rows,
        item_rows(session, version_id),
        version_id,
        definition,
        NewResponse(answers, language, month, wave_id, channel),
        prepare_answer,
    )
    return rows


def store_response(session: Session, **response) -> uuid.UUID:
    """Write a response at once (``prepare_response``'s arguments), without committing; its id."""
    rows = prepare_response(session, **response)
    write_rows(session, rows)
    return rows.responses[0]["id"]


def store_responses(
    session: Session, *, version_id: int, definition: Definition, responses: Iterable[NewResponse]
) -> int:
    """Write many responses to one version in batches, without committing; how many. Each goes
    through the same checks and text screening as ``store_response``; the screening of a text
    met before in this call is reused (demo answers repeat)."""
    items = item_rows(session, version_id)
    screen = cache(prepare_answer)
    rows, count = Rows(), 0
    for response in responses:
        _add(rows, items, version_id, definition, response, screen)
        count += 1
        if len(rows.responses) == BATCH:
            write_rows(session, rows)
            rows = Rows()
    write_rows(session, rows)
    return count


def _add(
    rows: Rows,
    items: dict[str, ItemRow],
    version_id: int,
    definition: Definition,
    response: NewResponse,
    screen: Callable[[str, str], TextResult],
) -> uuid.UUID:
    response_id = uuid.uuid4()
    channel_type, channel_area = response.channel or (None, None)
    rows.responses.append(
        {
            "id": response_id,
            "version_id": version_id,
            "wave_id": response.wave_id,
            "submitted_month": response.month,
            "language": response.language,
            "channel_type": channel_type,
            "channel_area": channel_area,
        }
    )
    for item in definition.items:
        for key in item.answer_keys:
            if key in response.answers:
                _answer(rows, response_id, items[key], response.answers[key], response.language, screen)
    return response_id


def _answer(
    rows: Rows,
    response_id: uuid.UUID,
    row: ItemRow,
    value: object,
    survey_language: str,
    screen: Callable[[str, str], TextResult],
) -> None:
    choice_ids = {choice.value: choice.id for choice in row.choices}
    answer = {
        "response_id": response_id,
        "item_id": row.id,
        "choice_id": None,
        "number": None,
        "text": None,
        "text_language": None,
        "safeguarding": None,
        "safeguarding_harm": None,
    }
    try:
        if row.kind == "single":
            answer["choice_id"] = choice_ids[value]
        elif row.kind == "multiple":
            rows.choices += [
                {"response_id": response_id, "item_id": row.id, "choice_id": choice_ids[v]} for v in value
            ]
        elif row.kind == "number":
            answer["number"] = int(value)
        else:
            # Drafts hold redacted text already; screening again guarantees no stored text skipped it.
            screened = screen(str(value), survey_language)
            answer.update(
                text=screened.redacted,
                text_language=screened.language,
                safeguarding=screened.safeguarding,
                safeguarding_harm=harm_value(screened.harm),
            )
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidAnswer(f"the answer to '{row.key}' is not one the question offers") from error
    rows.answers.append(answer)


def write_rows(session: Session, rows: Rows) -> None:
    """Write the rows, in their order, without committing."""
    # Core INSERTs on the tables: one executemany per table and batch (the ORM's bulk path would
    # split the rows into a statement per pattern of empty columns).
    for model, values in ((Response, rows.responses), (Answer, rows.answers), (AnswerChoice, rows.choices)):
        if values:
            session.execute(insert(model.__table__), values)
