"""Read responses back: one for its respondent, all of a survey as a table for analysis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Select, String, Uuid, any_, cast, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from analysis.item_types import MULTIPLE_STORED, NUMBER_STORED, SINGLE_STORED
from survey_app.definitions import Questionnaire as Definition
from survey_app.models import (
    Answer,
    AnswerChoice,
    Choice,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Wave,
)

from .store import Rows, item_rows

#: Responses given while no wave was named are analysed together under this key.
NO_WAVE = "no-wave"
NO_WAVE_LABEL = "Responses outside a named wave"
#: Every response, synthetic waves included (``ResponseBatches.ids``).
ALL = "*"


@dataclass(frozen=True)
class StoredAnswer:
    """One stored answer, as English source text plus the gettext contexts to translate it."""

    question: str
    context: str
    values: tuple[str, ...]
    #: the context of the choice labels in `values`; None when they are a number or typed text
    choice_context: str | None


@dataclass(frozen=True)
class StoredResponse:
    id: uuid.UUID
    submitted_month: str
    language: str
    answers: list[StoredAnswer]
    #: something typed may disclose harm or risk: the thank-you page puts help first
    safeguarding: bool
    #: the type and district of the distribution link it came through, if any
    channel_type: str | None = None
    channel_area: str | None = None


def stored_response(session: Session, rows: Rows, definition: Definition) -> StoredResponse:
    """What a response's rows store, to show its respondent exactly what was kept (the rows are
    written as they are, at once or after waiting for their batch)."""
    response = rows.responses[0]
    items = {row.id: row for row in item_rows(session, response["version_id"]).values()}
    questions = {}
    for item in definition.items:
        questions[item.id] = (item, item.label)
        questions.update({statement.id: (item, statement.label) for statement in item.statements})
    ticked: dict[int, set[int]] = {}
    for choice in rows.choices:
        ticked.setdefault(choice["item_id"], set()).add(choice["choice_id"])
    stored = []
    for answer in sorted(rows.answers, key=lambda a: items[a["item_id"]].position):
        row = items[answer["item_id"]]
        item, question = questions[row.key]
        context = f"{definition.slug}.{row.key}"
        if not item.kind.has_options:
            typed = str(answer["text"] if item.kind.free_text else answer["number"])
            stored.append(StoredAnswer(question, context, (typed,), None))
            continue
        chosen = ticked.get(row.id, {answer["choice_id"]})
        labels = tuple(item.choices[choice.position].label for choice in row.choices if choice.id in chosen)
        stored.append(StoredAnswer(question, context, labels, f"{definition.slug}.{item.id}"))
    return StoredResponse(
        response["id"],
        response["submitted_month"],
        response["language"],
        stored,
        any(answer["safeguarding"] for answer in rows.answers),
        response["channel_type"],
        response["channel_area"],
    )


def responses_frame(session: Session, slug: str) -> pd.DataFrame:
    """Every response to a questionnaire (all its versions) as one row each, in the shape the
    analysis library takes: ``channel`` is the type of link answered through and ``channel_area``
    its district (both missing for the survey's plain address); choice values as strings, numbers
    as Int64, multiple choices as one boolean column per option named "<item>.<value>" (all missing
    when the item was not answered; missing too where the version answered did not offer the option,
    which is not the same as leaving it unticked). Rows are by month, then random id.

    Read ``BATCH`` responses at a time (see ``ResponseBatches``), the way the exports stream them."""
    reader = ResponseBatches(session, slug)
    ids = reader.ids(ALL)
    if not ids:
        return reader.frame([])
    return pd.concat(list(reader.frames(ids)), ignore_index=True)


#: Responses read together: about 30 answers each, so a batch is tens of thousands of rows.
BATCH = 2000


def _outside_waves_named(frame: pd.DataFrame) -> None:
    """Responses outside any wave (no wave row joined) get the wave ``NO_WAVE``, its label, and
    ``synthetic`` False."""
    frame["wave"] = frame["wave"].fillna(NO_WAVE)
    frame["wave_label"] = frame["wave_label"].fillna(NO_WAVE_LABEL)
    frame["synthetic"] = frame["synthetic"].eq(True)


class ResponseBatches:
    """The responses to one questionnaire (all its versions): which ones a wave holds, then their
    rows a batch at a time."""

    def __init__(self, session: Session, slug: str):
        self.session = session
        self.slug = slug
        self.versions = (
            select(QuestionnaireVersion.id)
            .join(QuestionnaireVersion.questionnaire)
            .where(Questionnaire.slug == slug)
        )
        items = session.execute(
            select(Item.id, Item.key, Item.kind).where(Item.version_id.in_(self.versions))
        ).all()
        # Answers are read by item and choice id, and named through these: fewer joins, fewer bytes.
        self.item_of = {item_id: (key, kind) for item_id, key, kind in items}
        self.value_of = dict(
            session.execute(
                select(Choice.id, Choice.value)
                .join(Item, Item.id == Choice.item_id)
                .where(Item.version_id.in_(self.versions))
            ).all()
        )
        #: every item but multiple choices, by key: each is one column
        self.kinds = {key: kind for _, key, kind in items if kind != MULTIPLE_STORED}
        options = session.execute(
            select(Item.key, Choice.value, Item.version_id)
            .join(Choice, Choice.item_id == Item.id)
            .where(Item.version_id.in_(self.versions), Item.kind == MULTIPLE_STORED)
            .order_by(Item.position, Choice.position)
        ).all()
        #: each option of a multiple choice (one column each) and the versions that offered it
        self.offered_by: dict[tuple[str, str], list[int]] = {}
        for key, value, version_id in options:
            self.offered_by.setdefault((key, value), []).append(version_id)

    def ids(self, wave: str | None, *more: str) -> list[uuid.UUID]:
        """The responses of the wave keyed ``wave`` and of the ``more`` waves (``NO_WAVE``: those
        outside any wave; None: every real one, synthetic waves left out; ``ALL``: every one), by
        month and then random id, so that their order says nothing about when each was sent within
        its month."""
        query = (
            select(Response.id, Response.submitted_month)
            .outerjoin(Wave, Wave.id == Response.wave_id)
            .where(Response.version_id.in_(self.versions))
        )
        if wave is None:
            query = query.where(or_(Response.wave_id.is_(None), Wave.synthetic.is_(False)))
        elif wave != ALL:
            query = query.where(
                or_(
                    *(
                        Response.wave_id.is_(None) if key == NO_WAVE else Wave.key == key
                        for key in (wave, *more)
                    )
                )
            )
        # Sorted here rather than by the database, whose collation and UUID order vary.
        found = sorted((month, str(response_id)) for response_id, month in self.session.execute(query))
        return [uuid.UUID(response_id) for _, response_id in found]

    def months(self) -> pd.DataFrame:
        """One row per wave and month answered, with how many responses: ``survey, wave,
        wave_label, synthetic, month, count``, as ``frame`` names them. All that choosing the waves
        to report reads (``analysis.reporting.selection.select``), without reading any answer."""
        rows = self.session.execute(
            select(Wave.key, Wave.label, Wave.synthetic, Response.submitted_month, func.count(Response.id))
            .outerjoin(Wave, Wave.id == Response.wave_id)
            .where(Response.version_id.in_(self.versions))
            .group_by(Wave.key, Wave.label, Wave.synthetic, Response.submitted_month)
        ).all()
        frame = pd.DataFrame.from_records(
            rows, columns=["wave", "wave_label", "synthetic", "month", "count"]
        ).sort_values(["wave", "month"], ignore_index=True)
        frame.insert(0, "survey", self.slug)
        _outside_waves_named(frame)
        return frame

    def _among(self, column: ColumnElement, ids: Sequence[uuid.UUID]) -> ColumnElement[bool]:
        """``column IN ids``; on PostgreSQL as one array parameter, because the driver takes a
        noticeable time over each of thousands of parameters."""
        if self.session.get_bind().dialect.name == "postgresql":
            return column == any_(literal(list(ids), ARRAY(Uuid)))
        return column.in_(ids)

    def _tuples(self, query: Select) -> list[tuple]:
        """The rows of ``query`` as plain tuples from the driver: for the tens of thousands of
        answers in a batch, SQLAlchemy's rows take longer to make than the query takes to run."""
        result = self.session.connection().execute(query)
        try:
            return result.cursor.fetchall()
        finally:
            result.close()

    def frames(self, ids: Sequence[uuid.UUID]) -> Iterator[pd.DataFrame]:
        """The responses ``ids``, ``BATCH`` at a time, each batch's rows in the order of ``ids``."""
        for start in range(0, len(ids), BATCH):
            yield self.frame(ids[start : start + BATCH])

    def frame(self, ids: Sequence[uuid.UUID]) -> pd.DataFrame:
        """The responses ``ids`` (at most a few thousand) in that order, as ``responses_frame``
        has them."""
        row_of = {str(response_id): row for row, response_id in enumerate(ids)}
        size = len(ids)
        base = self._tuples(
            select(
                cast(Response.id, String),
                Response.submitted_month,
                Response.language,
                Wave.key,
                Wave.label,
                Wave.synthetic,
                Response.channel_type,
                Response.channel_area,
                Response.version_id,
            )
            .outerjoin(Wave, Wave.id == Response.wave_id)
            .where(self._among(Response.id, ids))
        )
        # The database spells ids its own way (with or without hyphens): rows are found by the raw id.
        raw_rows = {raw: row_of[str(uuid.UUID(raw))] for raw, *_ in base}
        frame = pd.DataFrame.from_records(
            sorted(base, key=lambda found: raw_rows[found[0]]),
            columns=[
                "raw_id",
                "month",
                "language",
                "wave",
                "wave_label",
                "synthetic",
                "channel",
                "channel_area",
                "version_id",
            ],
        )
        frame.insert(0, "response_id", [str(uuid.UUID(raw)) for raw in frame.pop("raw_id")])
        frame["survey"] = self.slug
        _outside_waves_named(frame)
        frame["channel"] = frame["channel"].astype("string")
        frame["channel_area"] = frame["channel_area"].astype("string")
        version_of = frame.pop("version_id").to_numpy()

        columns: dict[str, object] = {}
        values = self._tuples(
            select(
                cast(Answer.response_id, String), Answer.item_id, Answer.choice_id, Answer.number, Answer.text
            ).where(self._among(Answer.response_id, ids))
        )
        by_key: dict[str, tuple[list[int], list[object]]] = {}
        for raw, item_id, choice_id, number, text in values:
            key, kind = self.item_of[item_id]
            if kind == MULTIPLE_STORED:
                continue
            rows, found = by_key.setdefault(key, ([], []))
            rows.append(raw_rows[raw])
            found.append(
                number
                if kind == NUMBER_STORED
                else self.value_of.get(choice_id)
                if kind == SINGLE_STORED
                else text
            )
        for key, kind in self.kinds.items():
            column = np.full(size, None, dtype=object)
            rows, found = by_key.get(key, ([], []))
            column[rows] = found
            columns[key] = pd.array(column, dtype="Int64" if kind == NUMBER_STORED else "string")

        ticked = self._tuples(
            select(
                cast(AnswerChoice.response_id, String), AnswerChoice.item_id, AnswerChoice.choice_id
            ).where(self._among(AnswerChoice.response_id, ids))
        )
        answered: dict[str, list[int]] = {}
        chosen: dict[tuple[str, str], list[int]] = {}
        for raw, item_id, choice_id in ticked:
            row, key = raw_rows[raw], self.item_of[item_id][0]
            answered.setdefault(key, []).append(row)
            chosen.setdefault((key, self.value_of[choice_id]), []).append(row)
        for (key, value), offering in self.offered_by.items():
            shown = np.zeros(size, dtype=bool)
            shown[answered.get(key, [])] = True
            shown &= np.isin(version_of, offering)
            ticks = np.zeros(size, dtype=bool)
            ticks[chosen.get((key, value), [])] = True
            columns[f"{key}.{value}"] = pd.arrays.BooleanArray(ticks, ~shown)
        return pd.concat([frame, pd.DataFrame(columns, index=frame.index)], axis=1)
