"""Analysts' theme coding of free-text answers, the suggestions it trains, and how far coders agree.

People code; the engine learns. Each answer's suggestions come from the codebook's cues and, once
analysts have coded enough answers to the same question, from a model trained on their coding
(``analysis.themes.learning``). The model is trained on the union of everyone's themes for an
answer: a theme one colleague saw in the wording is evidence that the wording can carry it, and a
suggestion is only ever a pre-ticked box that a person checks; disagreements are for the
agreement page, not for the model to settle. Synthetic demo answers train only the suggestions
for demo answers, so practice coding never shapes what is suggested for real ones.

A person's coding is never overwritten: suggestions are computed afresh for display and saved
only when someone presses Save.
"""

from __future__ import annotations

import functools
import math
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from analysis.item_types import TEXT_STORED, item_type
from analysis.questionnaire import text_items
from analysis.text import sentiment
from analysis.text.evaluation import polarity_class
from analysis.themes import Codebook, Suggestion, ThemeModel, load_codebook, suggest, train_theme_model
from analysis.themes.agreement import landis_koch, pair_agreement, theme_agreement
from analysis.themes.learning import MIN_POSITIVES
from survey_app.accounts import record
from survey_app.models import (
    Answer,
    AnswerCoding,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Quote,
    Response,
    StaffUser,
    Wave,
)

from ..surveys import wave_with_data

#: The wave filter's value for every real response (named waves and none); demo data stays out.
ALL_REAL = "all-waves"
PER_PAGE = 20
#: Below this many coded answers no theme can have MIN_POSITIVES with and without it.
MIN_CODED = 2 * MIN_POSITIVES
#: Kappa below this means the coders read a theme differently: talk it through.
DISCUSS_BELOW = 0.6
SENTIMENT_WORDS = {-1: "negative", 0: "neutral", 1: "positive"}


class AnswerNotFound(LookupError):
    """No free-text answer of this survey has that response and item."""


class UnknownFilter(ValueError):
    """The question or wave asked for is not one of the survey's."""


class UnknownTheme(ValueError):
    """A theme id the codebook does not have; ``theme`` is what was sent."""

    def __init__(self, theme: str):
        super().__init__(theme)
        self.theme = theme


class QuoteRefused(ValueError):
    """A flagged answer may disclose harm; it is never published."""


@functools.cache
def codebook() -> Codebook:
    """The codebook shipped with the app; it only changes with a new release."""
    return load_codebook()


@dataclass(frozen=True)
class TextQuestion:
    key: str
    label: str
    #: "short_text" or "long_text"
    type: str


@dataclass(frozen=True)
class Filters:
    question: TextQuestion
    #: ALL_REAL or a wave key
    wave: str
    synthetic: bool
    uncoded_only: bool
    page: int


@dataclass(frozen=True)
class CodedAnswer:
    """One answer as an analyst reviews it."""

    response_id: uuid.UUID
    item_id: int
    #: redacted when stored; the original never was
    text: str
    language: str
    #: -1..1, or None: not scored (only English is)
    sentiment: float | None
    flagged: bool
    #: how many other people have coded it
    colleagues: int
    #: the viewer's own coding (source "human"), else the suggestions
    suggestion: Suggestion
    quote: bool

    @property
    def anchor(self) -> str:
        return anchor(self.response_id, self.item_id)

    @property
    def coded_by_me(self) -> bool:
        return self.suggestion.source == "human"

    @property
    def mood(self) -> str | None:
        return None if self.sentiment is None else SENTIMENT_WORDS[polarity_class(self.sentiment)]


def anchor(response_id: uuid.UUID, item_id: int) -> str:
    """The id of an answer's place on the list page."""
    return f"a-{response_id}-{item_id}"


@dataclass(frozen=True)
class AnswerPage:
    answers: list[CodedAnswer]
    total: int
    pages: int
    #: coded answers the suggestions learnt from, and the themes the model knows
    coded_answers: int
    model_themes: tuple[str, ...]


def text_questions(survey: Questionnaire) -> list[TextQuestion]:
    """The survey's free-text questions, newest version first, with the newest wording."""
    found: dict[str, TextQuestion] = {}
    for version in reversed(survey.versions):
        for item in text_items(version.definition):
            found.setdefault(item["id"], TextQuestion(item["id"], item["label"], item["type"]))
    return list(found.values())


def default_question(questions: Sequence[TextQuestion]) -> TextQuestion | None:
    """The first long-text question: short text items come first in the surveys but ask for a
    postcode district or "something else", not for views to code."""
    return next(
        (q for q in questions if item_type(q.type).control == "textarea"), next(iter(questions), None)
    )


def waves(session: Session, survey: Questionnaire) -> list[Wave]:
    """Real waves in the order they were named, synthetic ones last."""
    return list(
        session.scalars(
            select(Wave).where(Wave.questionnaire_id == survey.id).order_by(Wave.synthetic, Wave.id)
        )
    )


def default_wave(session: Session, survey: Questionnaire) -> str:
    """The wave the dashboard opens on too (``wave_with_data``), else every real response."""
    answered = wave_with_data(session, survey)
    return answered.key if answered is not None else ALL_REAL


def filters(
    session: Session,
    survey: Questionnaire,
    question: str | None,
    wave: str | None,
    uncoded_only: bool = False,
    page: int = 1,
) -> Filters:
    """Check what was asked for and fill in the defaults; UnknownFilter names what is wrong."""
    questions = text_questions(survey)
    chosen = (
        next((q for q in questions if q.key == question), None) if question else default_question(questions)
    )
    if chosen is None:
        raise UnknownFilter(f"'{survey.slug}' has no free-text question '{question or ''}'")
    wave, synthetic = wave_filter(session, survey, wave)
    return Filters(chosen, wave, synthetic, uncoded_only, max(page, 1))


def wave_filter(session: Session, survey: Questionnaire, wave: str | None) -> tuple[str, bool]:
    """The wave asked for (the default when none) and whether it is synthetic."""
    wave = wave or default_wave(session, survey)
    if wave == ALL_REAL:
        return wave, False
    row = next((w for w in waves(session, survey) if w.key == wave), None)
    if row is None:
        raise UnknownFilter(f"'{survey.slug}' has no wave '{wave}'")
    return wave, row.synthetic


def _text_answers(survey: Questionnaire, question_key: str, *columns):
    """Answers to one text question of the survey, in every version, joined to their response
    and wave; ``columns`` to select (the Answer by default)."""
    return (
        select(*(columns or (Answer,)))
        .select_from(Answer)
        .join(Item, Item.id == Answer.item_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Item.version_id)
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(Wave, Wave.id == Response.wave_id)
        .where(
            QuestionnaireVersion.questionnaire_id == survey.id,
            Item.key == question_key,
            Item.kind == TEXT_STORED,
            Answer.text.is_not(None),
            Answer.text != "",
        )
    )


def _in_wave(query, wave: str):
    if wave == ALL_REAL:
        return query.where(func.coalesce(Wave.synthetic, False).is_(False))
    return query.where(Wave.key == wave)


def _with_codings(query):
    return query.join(
        AnswerCoding,
        (AnswerCoding.response_id == Answer.response_id) & (AnswerCoding.item_id == Answer.item_id),
    )


def _not_coded_by(coder_id: int):
    return ~exists().where(
        AnswerCoding.response_id == Answer.response_id,
        AnswerCoding.item_id == Answer.item_id,
        AnswerCoding.coder_id == coder_id,
    )


def answer_page(session: Session, survey: Questionnaire, coder_id: int, chosen: Filters) -> AnswerPage:
    query = _in_wave(_text_answers(survey, chosen.question.key), chosen.wave)
    if chosen.uncoded_only:
        query = query.where(_not_coded_by(coder_id))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(
        query.order_by(Response.submitted_month.desc(), Answer.response_id, Answer.item_id)
        .offset((chosen.page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    keys = {(a.response_id, a.item_id) for a in rows}
    ids = {a.response_id for a in rows}
    codings = [
        c
        for c in session.scalars(select(AnswerCoding).where(AnswerCoding.response_id.in_(ids)))
        if (c.response_id, c.item_id) in keys
    ]
    quoted = {
        (q.response_id, q.item_id) for q in session.scalars(select(Quote).where(Quote.response_id.in_(ids)))
    }
    mine = {(c.response_id, c.item_id): c.themes for c in codings if c.coder_id == coder_id}
    others: dict[tuple, int] = defaultdict(int)
    for c in codings:
        if c.coder_id != coder_id:
            others[c.response_id, c.item_id] += 1
    coded, model = question_model(session, survey, chosen.question.key, chosen.synthetic)
    known = set(codebook().ids)
    labels = [
        _known(mine[a.response_id, a.item_id], known) if (a.response_id, a.item_id) in mine else None
        for a in rows
    ]
    # The model has learnt colleagues' coding of the very answers they coded: suggesting from it
    # there would hand a second coder the first one's decision, and agreement would mean nothing.
    # Answers a colleague coded get the codebook's cues only.
    texts = [a.text for a in rows]
    learnt, cued = suggest(texts, codebook(), model, labels), suggest(texts, codebook(), None, labels)
    suggestions = [
        cue if others[a.response_id, a.item_id] else learn
        for a, learn, cue in zip(rows, learnt, cued, strict=True)
    ]
    answers = [
        CodedAnswer(
            a.response_id,
            a.item_id,
            a.text,
            a.text_language,
            sentiment(a.text, a.text_language),
            bool(a.safeguarding),
            others[a.response_id, a.item_id],
            suggestion,
            (a.response_id, a.item_id) in quoted,
        )
        for a, suggestion in zip(rows, suggestions, strict=True)
    ]
    return AnswerPage(
        answers, total, max(1, math.ceil(total / PER_PAGE)), coded, model.themes if model else ()
    )


def _known(themes: Sequence[str], known: set[str]) -> list[str]:
    """Themes a later codebook retired are dropped, not fatal: ids are never reused."""
    return [theme for theme in themes if theme in known]


def question_model(
    session: Session, survey: Questionnaire, question_key: str, synthetic: bool
) -> tuple[int, ThemeModel | None]:
    """How many answers to the question people have coded, and a model trained on them when some
    theme has enough examples (see ``analysis.themes.learning``), else None."""
    rows = session.execute(
        _with_codings(
            _text_answers(
                survey, question_key, Answer.response_id, Answer.item_id, Answer.text, AnswerCoding.themes
            )
        ).where(func.coalesce(Wave.synthetic, False).is_(synthetic))
    ).all()
    known = set(codebook().ids)
    texts: dict[tuple, str] = {}
    union: dict[tuple, set[str]] = defaultdict(set)
    for response_id, item_id, text, themes in rows:
        texts[response_id, item_id] = text
        union[response_id, item_id].update(_known(themes, known))
    if len(texts) < MIN_CODED:
        return len(texts), None
    keys = sorted(texts, key=str)
    model = _trained(tuple(texts[k] for k in keys), tuple(frozenset(union[k]) for k in keys))
    return len(texts), model if model.themes else None


@functools.lru_cache(maxsize=8)
def _trained(texts: tuple[str, ...], labels: tuple[frozenset[str], ...]) -> ThemeModel:
    """Training takes about a second per thousand coded answers: paging through a list or
    switching filters reuses the model until someone's coding changes what it learns from."""
    return train_theme_model(texts, labels, codebook())


def code_answer(
    session: Session,
    coder_id: int,
    survey: Questionnaire,
    response_id: uuid.UUID,
    item_id: int,
    themes: Sequence[str],
    quote: bool,
) -> list[str]:
    """Save one person's themes for an answer (an empty list is the decision "no theme") and
    whether it may be published as a quote; audited and committed. The themes saved, in codebook
    order."""
    found = session.execute(
        select(Answer, Item.key)
        .join(Item, Item.id == Answer.item_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Item.version_id)
        .where(
            Answer.response_id == response_id,
            Answer.item_id == item_id,
            Item.kind == TEXT_STORED,
            Answer.text.is_not(None),
            QuestionnaireVersion.questionnaire_id == survey.id,
        )
    ).first()
    if found is None:
        raise AnswerNotFound(f"'{survey.slug}' has no free-text answer {response_id}/{item_id}")
    answer, item_key = found
    for theme in themes:
        if theme not in codebook().ids:
            raise UnknownTheme(theme)
    if quote and answer.safeguarding:
        raise QuoteRefused("an answer flagged for safeguarding cannot be published as a quote")
    chosen = [theme for theme in codebook().ids if theme in set(themes)]
    now = datetime.now(UTC).replace(tzinfo=None)
    coding = session.get(AnswerCoding, (response_id, item_id, coder_id))
    if coding is None:
        session.add(
            AnswerCoding(
                response_id=response_id, item_id=item_id, coder_id=coder_id, themes=chosen, coded_at=now
            )
        )
    else:
        coding.themes, coding.coded_at = chosen, now
    existing = session.get(Quote, (response_id, item_id))
    if quote and existing is None:
        session.add(Quote(response_id=response_id, item_id=item_id, approved_by=coder_id, approved_at=now))
    elif not quote and existing is not None:
        session.delete(existing)
    record(
        session,
        coder_id,
        "answer coded",
        survey=survey.slug,
        item=item_key,
        response=str(response_id),
        themes=chosen,
        quote=quote,
    )
    session.commit()
    return chosen


@dataclass(frozen=True)
class ThemeAgreement:
    theme: str
    label: str
    given_a: int
    given_b: int
    agreement: float
    #: NaN when not defined
    kappa: float

    @property
    def band(self) -> str | None:
        return landis_koch(self.kappa)

    @property
    def discuss(self) -> bool:
        return not math.isnan(self.kappa) and self.kappa < DISCUSS_BELOW


@dataclass(frozen=True)
class PairAgreement:
    coder_a: str
    coder_b: str
    shared: int
    agreement: float
    kappa: float
    #: themes either coder gave to a shared answer; the others they agree on trivially
    themes: list[ThemeAgreement]

    @property
    def band(self) -> str | None:
        return landis_koch(self.kappa)


@dataclass(frozen=True)
class QuestionAgreement:
    question: TextQuestion
    coders: int
    pairs: list[PairAgreement]


def agreement(session: Session, survey: Questionnaire, wave: str) -> list[QuestionAgreement]:
    """For each free-text question, every pair of people who coded the same answers in the wave."""
    questions = text_questions(survey)
    coded = []
    for question in questions:
        query = _in_wave(
            _with_codings(
                _text_answers(
                    survey,
                    question.key,
                    Answer.response_id,
                    Answer.item_id,
                    AnswerCoding.coder_id,
                    AnswerCoding.themes,
                )
            ),
            wave,
        )
        coded += [
            (question.key, f"{rid}/{item_id}", coder, themes)
            for rid, item_id, coder, themes in session.execute(query)
        ]
    known = set(codebook().ids)
    frame = pd.DataFrame(
        [(q, a, c, _known(t, known)) for q, a, c, t in coded],
        columns=["question", "answer", "coder", "themes"],
    )
    pairs = pair_agreement(frame, codebook().ids)
    per_theme = theme_agreement(frame, codebook().ids)
    emails = dict(
        session.execute(
            select(StaffUser.id, StaffUser.email).where(StaffUser.id.in_(set(frame["coder"].tolist())))
        ).all()
    )
    labels = {theme.id: theme.label for theme in codebook()}
    result = []
    for question in questions:
        found = []
        for pair in pairs[pairs["question"] == question.key].itertuples():
            rows = per_theme[
                (per_theme["question"] == question.key)
                & (per_theme["coder_a"] == pair.coder_a)
                & (per_theme["coder_b"] == pair.coder_b)
                & (per_theme["given_a"] + per_theme["given_b"] > 0)
            ]
            themes = [
                ThemeAgreement(r.theme, labels[r.theme], r.given_a, r.given_b, r.agreement, r.kappa)
                for r in rows.itertuples()
            ]
            found.append(
                PairAgreement(
                    emails[pair.coder_a],
                    emails[pair.coder_b],
                    pair.shared,
                    pair.agreement,
                    pair.kappa,
                    themes,
                )
            )
        coders = frame.loc[frame["question"] == question.key, "coder"].nunique()
        result.append(QuestionAgreement(question, coders, found))
    return result
