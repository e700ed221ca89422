"""Store complete responses. Used by respondents' submissions and by demo data alike, so both go
through the same checks and the same text safety.

Rows are written with bulk INSERTs rather than one ORM object per answer: a response is a few
dozen rows, and demo data or an import writes tens of thousands of responses at once (through COPY
on PostgreSQL, and the driver's executemany on SQLite). A version's items are read once per
session (versions never change).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from operator import itemgetter

from psycopg import Cursor, sql
from sqlalchemy import Dialect, Table, insert, select
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.orm import Session, selectinload

from analysis.item_types import ItemType
from analysis.text import TextResult, prepare_answer
from survey_app.definitions import Questionnaire as Definition
from survey_app.models import Answer, AnswerChoice, Item, Response, harm_value

#: An answer's columns before its kind of question fills in its own.
EMPTY_ANSWER = {
    "choice_id": None,
    "number": None,
    "text": None,
    "text_language": None,
    "safeguarding": None,
    "safeguarding_harm": None,
}
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
    #: the choices' ids by value, made once: bulk storage looks one up for every answer
    choice_ids: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "choice_ids", {choice.value: choice.id for choice in self.choices})


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
        _answer_keys(definition),
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
    met before in this call is reused (demo answers repeat). ``responses`` may be made as they are
    read, but without the session: on PostgreSQL a batch is written while the next one is made."""
    items = item_rows(session, version_id)
    keys = _answer_keys(definition)
    screen = cache(prepare_answer)
    count = 0
    with _batch_writer(session) as write:
        rows = Rows()
        for response in responses:
            _add(rows, items, version_id, keys, response, screen)
            count += 1
            if len(rows.responses) == BATCH:
                write(rows)
                rows = Rows()
        write(rows)
    return count


def _answer_keys(definition: Definition) -> list[tuple[str, ItemType]]:
    """Every answer key of the questionnaire, in its order, with the kind of question it answers."""
    return [(key, item.kind) for item in definition.items for key in item.answer_keys]


def _add(
    rows: Rows,
    items: dict[str, ItemRow],
    version_id: int,
    keys: Sequence[tuple[str, ItemType]],
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
    for key, kind in keys:
        if key in response.answers:
            _answer(rows, response_id, items[key], kind, response.answers[key], response.language, screen)
    return response_id


def _answer(
    rows: Rows,
    response_id: uuid.UUID,
    row: ItemRow,
    kind: ItemType,
    value: object,
    survey_language: str,
    screen: Callable[[str, str], TextResult],
) -> None:
    def screened(text: str) -> dict:
        # Drafts hold redacted text already; screening again guarantees no stored text skipped it.
        result = screen(text, survey_language)
        return {
            "text": result.redacted,
            "text_language": result.language,
            "safeguarding": result.safeguarding,
            "safeguarding_harm": harm_value(result.harm),
        }

    try:
        columns, ticked = kind.columns(value, row.choice_ids, screened)
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidAnswer(f"the answer to '{row.key}' is not one the question offers") from error
    rows.answers.append({**EMPTY_ANSWER, "response_id": response_id, "item_id": row.id, **columns})
    rows.choices += [
        {"response_id": response_id, "item_id": row.id, "choice_id": choice} for choice in ticked
    ]


def write_rows(session: Session, rows: Rows) -> None:
    """Write the rows, in their order, without committing."""
    # Core INSERTs on the tables: one executemany per table and batch (the ORM's bulk path would
    # split the rows into a statement per pattern of empty columns).
    for table, values in _by_table(rows):
        if values:
            session.execute(insert(table), values)


def _by_table(rows: Rows) -> tuple[tuple[Table, list[dict]], ...]:
    """The rows with the table they go to, in an order that adds what a row refers to first."""
    return (
        (Response.__table__, rows.responses),
        (Answer.__table__, rows.answers),
        (AnswerChoice.__table__, rows.choices),
    )


@contextmanager
def _batch_writer(session: Session) -> Iterator[Callable[[Rows], None]]:
    """A function that writes a batch of rows on the session's connection, in its transaction.

    PostgreSQL gets each batch from a second thread, so the server checks one batch while this
    thread makes the next; one batch at most is in flight, and a failure is raised by the next
    write or at the end. SQLite is written from this thread: sqlite3 takes the GIL back for every
    row, so a second thread would mostly wait for this one."""
    connection = session.connection()
    with closing(connection.connection.cursor()) as cursor:
        if connection.dialect.name != "postgresql":
            yield partial(_insert, cursor, connection.dialect)
            return
        with ThreadPoolExecutor(max_workers=1) as thread:
            in_flight: Future | None = None

            def write(rows: Rows) -> None:
                nonlocal in_flight
                if in_flight is not None:
                    in_flight.result()
                in_flight = thread.submit(_copy, cursor, rows)

            yield write
            if in_flight is not None:
                in_flight.result()


def _copy(cursor: Cursor, rows: Rows) -> None:
    # PostgreSQL's COPY, in its binary format: the least work for a server that already checks every
    # row's foreign keys one by one. Binary values need their column types, read from the table.
    for table, values in _by_table(rows):
        if values:
            columns = list(values[0])
            names = sql.SQL(", ").join(map(sql.Identifier, columns))
            cursor.execute(sql.SQL("SELECT {} FROM {} LIMIT 0").format(names, sql.Identifier(table.name)))
            types = [column.type_code for column in cursor.description]
            row_of = itemgetter(*columns)
            statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)")
            with cursor.copy(statement.format(sql.Identifier(table.name), names)) as copy:
                copy.set_types(types)
                for value in values:
                    copy.write_row(row_of(value))


def _insert(cursor: DBAPICursor, dialect: Dialect, rows: Rows) -> None:
    # The driver's executemany with values already converted as SQLAlchemy would bind them (a UUID
    # as text on SQLite), a column at a time: SQLAlchemy's own handling of each row took longer than
    # the database's work.
    for table, values in _by_table(rows):
        if values:
            statement = insert(table).compile(dialect=dialect, column_keys=list(values[0]))
            assert statement.positiontup is not None, "the driver takes values by position, as sqlite3 does"
            columns = []
            for name in statement.positiontup:
                column = [value[name] for value in values]
                bind = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                columns.append(column if bind is None else list(map(bind, column)))
            cursor.executemany(str(statement), list(zip(*columns, strict=True)))
