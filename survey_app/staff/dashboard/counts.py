"""The dashboard's counts from the database: ``GROUP BY`` over answers joined with their responses,
on SQLite and PostgreSQL alike, instead of every response read into a frame.

Every figure of the dashboard is a count of people with the sum of their record keys (the cell key
of cell-key perturbation), and both add up. So the database counts, once, every answer and every
free-text answer by wave and by the values of the four filters and breakdowns (area, age band,
language, channel): the "tally", a few thousand rows for tens of thousands of responses. A view
with any filters and any breakdown then adds up rows of the tally, with no statement of its own,
and ``analysis.reporting.grouped`` makes its tables.

Responses are never edited, so the tally is kept on the app and a new response does not throw it
away: only responses not yet counted are counted, and their rows added. Record keys are keyed
hashes made in Python with the app's secret, which never reaches the database: a statement is given
the keys of the responses it counts as one JSON parameter (``RecordKeys``), joined to them (a table
of keys would be a record key stored).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import (
    JSON,
    Integer,
    String,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from analysis.item_types import TEXT_STORED
from analysis.questionnaire import MULTI, ChoiceQuestion
from analysis.reporting.derived import CARRIES_OR_KNOWS, SOURCES
from analysis.reporting.tables import stat_item
from analysis.stats.crosstab import ANY_OPTION
from analysis.stats.perturbation import record_keys
from survey_app.caches import app_cache
from survey_app.models import Answer, AnswerChoice, Choice, Item, Response

#: The breakdowns answered by a question of the same id: a response's value is its answer.
ANSWERED_BREAKDOWNS = ("area", "age_band")
#: What the tally counts by, besides the wave: the values views filter and break down by.
DIMENSIONS = (*ANSWERED_BREAKDOWNS, "language", "channel")
#: Up to this many responses, the tally counts them by looking each one's answers up (see ``_count``).
FEW = 1000
#: How the tally keeps the ids it counted: a response's id as text is at most 36 ASCII characters.
IDS = "S36"
#: PostgreSQL's settings while the tally's statement counts more responses (see ``_count``).
PLANNER = (("enable_nestloop", "off"), ("jit", "off"), ("work_mem", "'64MB'"))


@dataclass(frozen=True)
class Items:
    """The items of a survey's versions: ids and kinds by answer key, and choice values by id."""

    ids: Mapping[str, tuple[int, ...]]
    kinds: Mapping[str, str]
    values: Mapping[int, str]
    #: choice ids by (answer key, value)
    choices: Mapping[tuple[str, str], tuple[int, ...]]

    def of(self, key: str) -> tuple[int, ...]:
        return self.ids.get(key, ())


def survey_items(session: Session, versions: Sequence[int]) -> Items:
    """The items and choices of ``versions``, read once for the tally's statements."""
    ids: dict[str, list[int]] = {}
    kinds: dict[str, str] = {}
    key_of: dict[int, str] = {}
    for item_id, key, kind in session.execute(
        select(Item.id, Item.key, Item.kind).where(Item.version_id.in_(versions))
    ):
        ids.setdefault(key, []).append(item_id)
        kinds[key] = kind
        key_of[item_id] = key
    values: dict[int, str] = {}
    choices: dict[tuple[str, str], list[int]] = {}
    for choice_id, item_id, value in session.execute(
        select(Choice.id, Choice.item_id, Choice.value).where(Choice.item_id.in_(list(key_of)))
    ):
        values[choice_id] = value
        choices.setdefault((key_of[item_id], value), []).append(choice_id)
    return Items(
        {k: tuple(v) for k, v in ids.items()},
        kinds,
        values,
        {k: tuple(v) for k, v in choices.items()},
    )


@dataclass(frozen=True)
class Tally:
    """Every response of a survey counted by ``wave_id`` (None outside a wave) and ``DIMENSIONS``
    (missing values None), each row with ``count`` and ``key``, the sum of record keys:

    * ``profile``: the responses, with ``first_month`` and ``last_month``;
    * ``answers``: per ``question`` and ``value`` (a multiple-choice option ticked, or
      ``ANY_OPTION``: any counted option); a derived question's rows hold its sources' answers in
      columns of their own instead of ``value``;
    * ``texts``: per free-text ``question``, ``text`` and ``text_language``.
    """

    #: how many responses each version had when counted, and the ids counted (as the database
    #: writes them as text, ASCII bytes, sorted: 36 bytes a response, not a Python string each)
    counts: tuple
    ids: np.ndarray
    profile: pd.DataFrame
    answers: pd.DataFrame
    texts: pd.DataFrame


def tally(
    session: Session,
    survey_id: int,
    versions: Sequence[int],
    items: Items,
    questions: Mapping[str, ChoiceQuestion],
    texts: bool,
    secret: bytes,
    counts: tuple,
) -> Tally:
    """The survey's tally of ``questions`` (and of the free text if ``texts``), kept on the app:
    when ``counts`` (responses per version) changed, the responses not yet counted are counted and
    added."""
    database = session.get_bind().url.render_as_string()
    # A tally per set of questions: the statements' and each other question shown, of a few surveys.
    cache = app_cache("dashboard.tallies", size=256)
    name = (
        database,
        survey_id,
        tuple(versions),
        frozenset(questions),
        texts,
        hashlib.sha256(secret).hexdigest(),
    )
    known = cache.get(name)
    if known is not None and known.counts == counts:
        return known
    raw = _counted_ids(session, versions)
    if known is None or not np.isin(known.ids, raw, assume_unique=True).all():
        known = _empty(counts)
    new = raw[~np.isin(raw, known.ids, assume_unique=True)]
    if len(new):
        keys = RecordKeys(new, record_keys((str(uuid.UUID(r.decode())) for r in new), secret))
        counted = _count(session, versions, items, questions, texts, keys)
        known = Tally(
            counts,
            np.union1d(known.ids, new),
            *(_added(before, after) for before, after in zip(_frames(known), counted, strict=True)),
        )
    else:
        known = Tally(counts, known.ids, known.profile, known.answers, known.texts)
    cache[name] = known
    return known


def _counted_ids(session: Session, versions: Sequence[int]) -> np.ndarray:
    """The ids of the responses of ``versions``, sorted, as ``Tally.ids``: read as one string the
    database joins, as every id of a table is written at the same length (36 characters on
    PostgreSQL, 32 on SQLite), rather than a row and a Python string per response."""
    written = cast(Response.id, String)
    shortest, longest, joined = session.execute(
        select(
            func.min(func.length(written)),
            func.max(func.length(written)),
            func.aggregate_strings(written, ""),
        ).where(Response.version_id.in_(versions))
    ).one()
    if not joined:
        return np.array([], dtype=IDS)
    if shortest != longest:
        raise ValueError("response ids of several lengths")
    return np.sort(np.frombuffer(joined.encode("ascii"), dtype=f"S{longest}").astype(IDS))


#: The columns of the tally's frames: what tells their rows apart, then what the rows count.
_FRAMES = {
    "profile": ["wave_id", *DIMENSIONS, "first_month", "last_month", "count", "key"],
    "answers": ["wave_id", "question", "value", *SOURCES, *DIMENSIONS, "count", "key"],
    "texts": ["wave_id", "question", "text", "text_language", *DIMENSIONS, "count", "key"],
}


def _frames(counted: Tally) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return counted.profile, counted.answers, counted.texts


def _empty(counts: tuple) -> Tally:
    frames = (pd.DataFrame(columns=columns) for columns in _FRAMES.values())
    return Tally(counts, np.array([], dtype=IDS), *frames)


def _added(before: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``before`` and ``new``, those with the same values made one."""
    return _merged(pd.concat([before, new], ignore_index=True)) if len(before) else new


def _merged(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with the same values made one: counts and keys added, months widened."""
    if frame.empty:
        return frame
    groups = [c for c in frame.columns if c not in ("count", "key", "first_month", "last_month")]
    sums = {"count": ("count", "sum"), "key": ("key", "sum")}
    months: list[str] = []
    if "first_month" in frame:
        sums |= {"first_month": ("first_month", "min"), "last_month": ("last_month", "max")}
        # Months numbered in order while grouped: pandas finds the least and greatest of text one
        # group at a time, a quarter of a second for the profile of 50,000 responses.
        months = sorted({*frame["first_month"].dropna(), *frame["last_month"].dropna()})
        number = {month: float(n) for n, month in enumerate(months)}
        frame = frame.assign(
            first_month=frame["first_month"].map(number), last_month=frame["last_month"].map(number)
        )
    merged = frame.groupby(groups, dropna=False, sort=False).agg(**sums).reset_index()
    if months:
        named = dict(enumerate(months))
        merged["first_month"] = merged["first_month"].map(named)
        merged["last_month"] = merged["last_month"].map(named)
    return merged.astype(object).where(merged.notna(), None).astype({"count": "int64", "key": "int64"})


@dataclass(frozen=True)
class RecordKeys:
    """The ids of responses to count (as ``Tally.ids``) and their record keys."""

    ids: np.ndarray
    keys: np.ndarray

    #: digits a key is written with: record keys are three bytes
    DIGITS = 8

    def __len__(self) -> int:
        return len(self.ids)

    def json(self) -> str:
        """``{"<id>":"<key>",...}``, the keys zero-padded (the statement reads them as numbers),
        made as one block of bytes: hundreds of thousands of responses make tens of megabytes of
        JSON, without a Python object per response. A database writes every id of a table at the
        same length (36 characters on PostgreSQL, 32 on SQLite)."""
        lengths = np.char.str_len(self.ids)
        if not len(lengths):
            return "{}"
        width = int(lengths[0])
        if (lengths != width).any():
            raise ValueError("response ids of several lengths")
        size, length = len(lengths), width + self.DIGITS + 6
        # The braces and each response's `"id":"key",` in one buffer, the last comma made "}".
        text = np.empty(1 + size * length, dtype=np.uint8)
        text[0] = ord("{")
        rows = text[1:].reshape(size, length)
        rows[:, 0] = rows[:, width + 1] = rows[:, width + 3] = rows[:, -2] = ord('"')
        rows[:, 1 : width + 1] = self.ids.astype(f"S{width}").view(np.uint8).reshape(size, width)
        rows[:, width + 2] = ord(":")
        powers = 10 ** np.arange(self.DIGITS - 1, -1, -1, dtype=np.int64)
        rows[:, width + 4 : -2] = self.keys.astype(np.int64)[:, None] // powers % 10 + ord("0")
        rows[:, -1] = ord(",")
        text[-1] = ord("}")
        return text.tobytes().decode("ascii")


def _count(
    session: Session,
    versions: Sequence[int],
    items: Items,
    questions: Mapping[str, ChoiceQuestion],
    with_texts: bool,
    keys: RecordKeys,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Count the responses ``keys`` gives the record keys of, in one statement.

    The answers it reads are read once (``facts``): the area and age band of each response, the
    single choices, the sources of derived answers and the free text; each part of the statement
    then joins them to the responses."""
    singles = [
        i
        for q in questions.values()
        if q.kind != MULTI and q.id != CARRIES_OR_KNOWS.id
        for i in items.of(q.id)
    ]
    multiples = [q for q in questions.values() if q.kind == MULTI]
    derived = CARRIES_OR_KNOWS.id in questions
    texts = (
        [i for key, kind in items.kinds.items() if kind == TEXT_STORED for i in items.of(key)]
        if with_texts
        else []
    )
    breakdowns = [i for key in ANSWERED_BREAKDOWNS for i in items.of(key)]
    sources = [i for key in SOURCES for i in items.of(key)] if derived else []
    each, response_id, record_key = _record_keys(session, keys.json())
    keyed = (
        select(
            Response.id.label("id"),
            record_key.label("rk"),
            Response.wave_id.label("wave_id"),
            Response.language.label("language"),
            Response.channel_type.label("channel"),
            Response.submitted_month.label("month"),
        )
        .join(each, Response.id == response_id)
        .where(Response.version_id.in_(versions))
        .cte("keyed")
    )
    read = sorted({*breakdowns, *singles, *sources, *texts})
    facts = (
        select(Answer.response_id, Answer.item_id, Answer.choice_id, Answer.text, Answer.text_language)
        .join(keyed, keyed.c.id == Answer.response_id)
        .where(Answer.item_id.in_(read))
        .cte("facts")
    )
    answered = (
        select(
            facts.c.response_id,
            *(
                func.max(case((facts.c.item_id.in_(items.of(key)), facts.c.choice_id))).label(key)
                for key in ANSWERED_BREAKDOWNS
            ),
        )
        .where(facts.c.item_id.in_(breakdowns))
        .group_by(facts.c.response_id)
        .subquery("answered")
    )
    people = (
        select(keyed, *(answered.c[key] for key in ANSWERED_BREAKDOWNS))
        .outerjoin(answered, answered.c.response_id == keyed.c.id)
        .cte("people")
    )
    parts = [_profile(people)]
    if singles:
        parts.append(_singles(people, facts, singles))
    if multiples:
        parts += _multiples(people, multiples, items)
    if derived:
        parts.append(_derived(people, facts, items))
    if texts:
        parts.append(_texts(people, facts, texts))
    statement = parts[0].union_all(*parts[1:])
    if session.get_bind().dialect.name != "postgresql" or len(keys) <= FEW:
        return _frames_of(_read(session, statement), items)
    # PostgreSQL cannot know how many record keys the JSON holds (it guesses 100), nor so how many
    # responses are counted, and would match them to answers one by one: for many it is told to
    # hash instead, with the memory for it, and not to compile a statement that runs once.
    for setting, value in PLANNER:
        session.execute(text(f"SET LOCAL {setting} = {value}"))
    read = _read(session, statement)
    for setting, _ in PLANNER:
        session.execute(text(f"RESET {setting}"))
    return _frames_of(read, items)


#: Rows of the counting statement fetched at a time.
_PART = 20_000


def _read(session: Session, statement: Select) -> pd.DataFrame:
    """The statement's rows as a frame, fetched from the database a part at a time (a row per text
    per group can make hundreds of thousands of rows, each a Python tuple until it is in the frame;
    PostgreSQL sends them through a server-side cursor, so no more than a part is held as tuples)."""
    result = session.execute(statement, execution_options={"yield_per": _PART})
    parts = [pd.DataFrame.from_records(list(rows), columns=list(_COLUMNS)) for rows in result.partitions()]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(_COLUMNS))


def _record_keys(session: Session, keys: str):
    """The JSON of record keys as a table of (id, key), and how to join it to responses."""
    if session.get_bind().dialect.name == "postgresql":
        each = func.json_each_text(cast(bindparam("record_keys", keys, type_=Text), JSON)).table_valued(
            "key", "value"
        )
        return each, cast(each.c.key, Response.id.type), cast(each.c.value, Integer)
    each = func.json_each(bindparam("record_keys", keys, type_=Text)).table_valued("key", "value")
    return each, each.c.key, cast(each.c.value, Integer)


#: The columns of every part of the statement, so that they can be one UNION ALL.
_COLUMNS = (
    "part", "wave_id", "item", "choice", "other", "area", "age_band", "language", "channel",
    "first_month", "last_month", "text", "text_language", "count", "key",
)  # fmt: skip
_TYPES = {
    "part": String, "wave_id": Integer, "item": Integer, "choice": Integer, "other": Integer,
    "area": Integer, "age_band": Integer, "language": String, "channel": String,
    "first_month": String, "last_month": String, "text": Text, "text_language": String,
}  # fmt: skip


def _part(people, part: str, given: Mapping[str, object], group_by: Sequence = ()) -> Select:
    """One part of the statement: counted and keyed by wave and ``DIMENSIONS`` and ``given``
    columns, NULL in the others."""
    by = [people.c.wave_id, *(people.c[d] for d in DIMENSIONS)]
    values = {"part": literal(part), **{c.name: c for c in by}, **given}
    columns = [cast(values.get(name, null()), _TYPES[name]).label(name) for name in _COLUMNS[:-2]]
    return (
        select(*columns, func.count().label("count"), func.sum(people.c.rk).label("key"))
        .select_from(people)
        .group_by(*by, *group_by)
    )


def _profile(people) -> Select:
    months = {"first_month": func.min(people.c.month), "last_month": func.max(people.c.month)}
    return _part(people, "profile", months)


def _singles(people, facts, item_ids: Sequence[int]) -> Select:
    given = {"item": facts.c.item_id, "choice": facts.c.choice_id}
    query = _part(people, "single", given, list(given.values()))
    return query.join(facts, facts.c.response_id == people.c.id).where(facts.c.item_id.in_(item_ids))


def _multiples(people, questions: Sequence[ChoiceQuestion], items: Items) -> list[Select]:
    """Ticks of each option, and (``any``) those who ticked any counted option of an item."""
    item_ids = [i for q in questions for i in items.of(q.id)]
    given = {"item": AnswerChoice.item_id, "choice": AnswerChoice.choice_id}
    ticks = _part(people, "ticked", given, list(given.values()))
    ticks = ticks.join(AnswerChoice, AnswerChoice.response_id == people.c.id).where(
        AnswerChoice.item_id.in_(item_ids)
    )
    counted = [
        c
        for q in questions
        for option in stat_item(q).counted
        for c in items.choices.get((q.id, option.removeprefix(f"{q.id}.")), ())
    ]
    # Each person once per item, however many options they ticked: only the people counted (a new
    # response is counted alone, without reading every tick).
    answered = (
        select(AnswerChoice.response_id, AnswerChoice.item_id)
        .join(people, people.c.id == AnswerChoice.response_id)
        .where(AnswerChoice.choice_id.in_(counted))
        .distinct()
        .subquery("answered_any")
    )
    anyone = _part(people, "any", {"item": answered.c.item_id}, [answered.c.item_id])
    return [ticks, anyone.join(answered, answered.c.response_id == people.c.id)]


def _derived(people, facts, items: Items) -> Select:
    """The answers to a derived question's sources, as pairs."""
    first, second = SOURCES
    pairs = (
        select(
            facts.c.response_id,
            func.max(case((facts.c.item_id.in_(items.of(first)), facts.c.choice_id))).label("first"),
            func.max(case((facts.c.item_id.in_(items.of(second)), facts.c.choice_id))).label("second"),
        )
        .where(facts.c.item_id.in_([*items.of(first), *items.of(second)]))
        .group_by(facts.c.response_id)
        .subquery("pairs")
    )
    given = {"choice": pairs.c.first, "other": pairs.c.second}
    query = _part(people, "derived", given, list(given.values()))
    return query.join(pairs, pairs.c.response_id == people.c.id)


def _texts(people, facts, text_ids: Sequence[int]) -> Select:
    given = {"item": facts.c.item_id, "text": facts.c.text, "text_language": facts.c.text_language}
    query = _part(people, "text", given, list(given.values()))
    return query.join(facts, facts.c.response_id == people.c.id).where(
        facts.c.item_id.in_(text_ids), facts.c.text.is_not(None)
    )


def _frames_of(frame: pd.DataFrame, items: Items) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The statement's rows as the tally's frames, choice ids as their values; rows that became
    alike (choices of several versions share a value) made one."""
    frame["count"] = frame["count"].astype("int64")
    frame["key"] = frame["key"].fillna(0).astype("int64")
    key_of = {i: key for key, ids in items.ids.items() for i in ids}

    def value(ids: pd.Series) -> pd.Series:
        return ids.map(items.values).astype(object).where(ids.notna(), None)

    def question(ids: pd.Series) -> pd.Series:
        return ids.map(key_of).astype(object).where(ids.notna(), None)

    for column in ANSWERED_BREAKDOWNS:
        frame[column] = value(frame[column])
    frame["question"] = question(frame["item"])
    derived = frame["part"] == "derived"
    frame.loc[derived, "question"] = CARRIES_OR_KNOWS.id
    for source, ids in zip(SOURCES, (frame["choice"], frame["other"]), strict=True):
        frame[source] = value(ids).where(derived)
    frame["value"] = value(frame["choice"]).where(~derived)
    frame.loc[frame["part"] == "any", "value"] = ANY_OPTION
    parts = {
        "profile": frame[frame["part"] == "profile"],
        "answers": frame[frame["part"].isin(["single", "ticked", "any", "derived"])],
        "texts": frame[frame["part"] == "text"],
    }
    profile, answers, texts = (
        _merged(parts[name][columns].reset_index(drop=True)) for name, columns in _FRAMES.items()
    )
    return profile, answers, texts
