"""Read responses back: one for its respondent, all of a survey as a table for analysis."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

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
    which is not the same as leaving it unticked).

    Built column by column with arrays: ids are read as text and matched to rows through one
    dictionary, so no per-answer object is made (a survey of 50,000 responses has over a million
    answers).
    """
    versions = (
        select(QuestionnaireVersion.id)
        .join(QuestionnaireVersion.questionnaire)
        .where(Questionnaire.slug == slug)
    )
    base = session.execute(
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
        .where(Response.version_id.in_(versions))
    ).all()
    frame = pd.DataFrame.from_records(
        base,
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
    size = len(frame)
    row_of = {raw: row for row, raw in enumerate(frame["raw_id"])}
    frame.insert(0, "response_id", [str(uuid.UUID(raw)) for raw in frame.pop("raw_id")])
    frame["survey"] = slug
    frame["wave"] = frame["wave"].fillna(NO_WAVE)
    frame["wave_label"] = frame["wave_label"].fillna(NO_WAVE_LABEL)
    frame["synthetic"] = frame["synthetic"].fillna(False).astype(bool)
    frame["channel"] = frame["channel"].astype("string")
    frame["channel_area"] = frame["channel_area"].astype("string")
    version_of = frame.pop("version_id").to_numpy()

    columns: dict[str, object] = {}
    kinds = dict(
        session.execute(
            select(Item.key, Item.kind).where(Item.version_id.in_(versions), Item.kind != "multiple")
        ).all()
    )
    values = session.execute(
        select(cast(Answer.response_id, String), Item.key, Choice.value, Answer.number, Answer.text)
        .join(Item, Item.id == Answer.item_id)
        .outerjoin(Choice, Choice.id == Answer.choice_id)
        .where(Item.version_id.in_(versions), Item.kind != "multiple")
    ).all()
    by_key: dict[str, tuple[list[int], list[object]]] = {}
    for raw, key, value, number, text in values:
        rows, found = by_key.setdefault(key, ([], []))
        rows.append(row_of[raw])
        found.append(number if kinds[key] == "number" else value if kinds[key] == "single" else text)
    # A question nobody has answered yet (say, behind a show_if) still gets its column, empty.
    for key, kind in kinds.items():
        column = np.full(size, None, dtype=object)
        rows, found = by_key.get(key, ([], []))
        column[rows] = found
        columns[key] = pd.array(column, dtype="Int64" if kind == "number" else "string")

    options = session.execute(
        select(Item.key, Choice.value, Item.version_id)
        .join(Choice, Choice.item_id == Item.id)
        .where(Item.version_id.in_(versions), Item.kind == "multiple")
        .order_by(Item.position, Choice.position)
    ).all()
    offered_by: dict[tuple[str, str], set[int]] = {}
    for key, value, version_id in options:
        offered_by.setdefault((key, value), set()).add(version_id)
    ticked = session.execute(
        select(cast(AnswerChoice.response_id, String), Item.key, Choice.value)
        .join(Item, Item.id == AnswerChoice.item_id)
        .join(Choice, Choice.id == AnswerChoice.choice_id)
        .where(Item.version_id.in_(versions))
    ).all()
    answered: dict[str, np.ndarray] = {}
    chosen: dict[tuple[str, str], list[int]] = {}
    for raw, key, value in ticked:
        row = row_of[raw]
        answered.setdefault(key, np.zeros(size, dtype=bool))[row] = True
        chosen.setdefault((key, value), []).append(row)
    for (key, value), offering in offered_by.items():
        shown = answered.get(key, np.zeros(size, dtype=bool)) & np.isin(version_of, list(offering))
        ticks = np.zeros(size, dtype=bool)
        ticks[chosen.get((key, value), [])] = True
        columns[f"{key}.{value}"] = pd.arrays.BooleanArray(ticks, ~shown)
    return pd.concat([frame, pd.DataFrame(columns, index=frame.index)], axis=1)
