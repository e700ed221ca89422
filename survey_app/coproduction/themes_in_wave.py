"""What one wave's free-text answers say, theme by theme: how many people raised each theme, the
trend since the previous wave, the mean sentiment (and how many answers, in which languages, it
comes from) and approved quotes.

A theme is "raised" by a person when any of their free-text answers carries it. An answer's themes
are the ones people coded (every coder's, together) or, for answers nobody has coded, the
codebook's cues, as the report's theme counts find them; themes merged by staff count towards the
theme they joined. Counts are of people, not answers, and go through disclosure control.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.item_types import TEXT_STORED
from analysis.stats import DisclosureRules
from analysis.stats.waves import compare_waves
from analysis.text import scored_answers
from analysis.themes import assign_themes
from survey_app.models import (
    Answer,
    AnswerCoding,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Quote,
    Response,
    Wave,
)
from survey_app.themes import effective_labels, file_codebook, merges

MAX_QUOTES = 3
RULES = DisclosureRules()


@dataclass(frozen=True)
class ThemeSummary:
    theme_id: str
    label: str
    description: str
    people: int
    #: "<10" for small counts
    count_display: str
    #: "up", "down", "same", "new", or None without a previous wave
    trend: str | None
    sentiment: float | None
    quotes: list[str]
    #: answers carrying the theme, and how many were scored per language tag ("not scored" only
    #: for non-answers and languages without a word list)
    answers: int
    scored: dict[str, int]

    def sentiment_coverage(self) -> dict:
        """How many answers the sentiment comes from, per language, with small counts as "<10"."""
        return {
            "answers": count_display(self.answers),
            "scored": count_display(sum(self.scored.values())),
            "languages": {tag: count_display(count) for tag, count in self.scored.items()},
        }


def previous_wave(session: Session, wave: Wave) -> Wave | None:
    """The real wave named just before this one; none for a synthetic wave (demo data is never
    compared with real answers)."""
    if wave.synthetic:
        return None
    return session.scalar(
        select(Wave)
        .where(Wave.questionnaire_id == wave.questionnaire_id, Wave.synthetic.is_(False), Wave.id < wave.id)
        .order_by(Wave.id.desc())
        .limit(1)
    )


def _respondents(session: Session, wave: Wave) -> int:
    return session.scalar(select(func.count()).select_from(Response).where(Response.wave_id == wave.id)) or 0


def _answer_query(survey: Questionnaire, wave: Wave, *columns):
    """The wave's non-empty free-text answers to the survey, any version; ``columns`` to select."""
    return (
        select(*columns)
        .select_from(Answer)
        .join(Item, Item.id == Answer.item_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Item.version_id)
        .join(Response, Response.id == Answer.response_id)
        .where(
            QuestionnaireVersion.questionnaire_id == survey.id,
            Item.kind == TEXT_STORED,
            Response.wave_id == wave.id,
            Answer.text.is_not(None),
            Answer.text != "",
        )
    )


def answering(session: Session, survey: Questionnaire, wave: Wave) -> int:
    """People who answered any free-text question in the wave: the base of the themes' counts."""
    return session.scalar(_answer_query(survey, wave, func.count(func.distinct(Answer.response_id)))) or 0


def _answers(session: Session, survey: Questionnaire, wave: Wave) -> list:
    return list(
        session.execute(
            _answer_query(
                survey,
                wave,
                Answer.response_id,
                Answer.item_id,
                Answer.text,
                Answer.text_language,
                Answer.safeguarding,
            )
        )
    )


def _themes_of(session: Session, answers: list) -> list[set[str]]:
    """Each answer's themes: coded by people where anyone coded it, else by the cues; merged
    themes folded into the theme they joined."""
    ids = {a.response_id for a in answers}
    coded: dict[tuple, set[str]] = defaultdict(set)
    if ids:
        for coding in session.scalars(select(AnswerCoding).where(AnswerCoding.response_id.in_(ids))):
            coded[coding.response_id, coding.item_id].update(coding.themes)
    cued = assign_themes([a.text for a in answers], file_codebook())
    into = merges(session)
    themes = []
    for answer, matches in zip(answers, cued, strict=True):
        key = (answer.response_id, answer.item_id)
        found = coded[key] if key in coded else {m.theme for m in matches if m.assigned}
        themes.append({into.get(theme, theme) for theme in found})
    return themes


def _people(answers: list, themes: list[set[str]]) -> dict[str, set]:
    raised: dict[str, set] = defaultdict(set)
    for answer, found in zip(answers, themes, strict=True):
        for theme in found:
            raised[theme].add(answer.response_id)
    return raised


def count_display(count: int) -> str:
    return RULES.small_count_label if RULES.is_small(np.array([count]))[0] else f"{count:,}"


def _trends(now: dict[str, int], n_now: int, before: dict[str, int], n_before: int) -> dict[str, str]:
    themes = list(now)
    rows = pd.DataFrame(
        {
            "theme": themes,
            "successes_a": [before.get(t, 0) for t in themes],
            "n_a": n_before,
            "successes_b": [now[t] for t in themes],
            "n_b": n_now,
        }
    )
    tested = compare_waves(rows)
    trends = {}
    for row in tested.itertuples():
        if row.successes_a == 0:
            trends[row.theme] = "new"
        elif row.significant:
            trends[row.theme] = "up" if row.difference > 0 else "down"
        else:
            trends[row.theme] = "same"
    return trends


def summarise(session: Session, survey: Questionnaire, wave: Wave) -> list[ThemeSummary]:
    """Every theme raised in the wave, most raised first."""
    answers = _answers(session, survey, wave)
    themes = _themes_of(session, answers)
    raised = _people(answers, themes)
    labels = effective_labels(session)
    raised = {theme: people for theme, people in raised.items() if theme in labels}
    counts = {theme: len(people) for theme, people in raised.items()}
    trends: dict[str, str] = {}
    before_wave = previous_wave(session, wave)
    if before_wave is not None and counts:
        before_answers = _answers(session, survey, before_wave)
        before = {
            theme: len(people)
            for theme, people in _people(before_answers, _themes_of(session, before_answers)).items()
        }
        trends = _trends(counts, _respondents(session, wave), before, _respondents(session, before_wave))
    quoted = (
        {
            (q.response_id, q.item_id)
            for q in session.scalars(
                select(Quote)
                .where(Quote.response_id.in_({a.response_id for a in answers}))
                .order_by(Quote.approved_at, Quote.response_id)
            )
        }
        if answers
        else set()
    )
    descriptions = {theme.id: theme.description for theme in file_codebook()}
    summaries = []
    for theme in sorted(counts, key=lambda t: (-counts[t], list(labels).index(t))):
        carrying = [(a, found) for a, found in zip(answers, themes, strict=True) if theme in found]
        coverage = scored_answers((a.text, a.text_language) for a, _ in carrying)
        quotes = [a.text for a, _ in carrying if (a.response_id, a.item_id) in quoted and not a.safeguarding][
            :MAX_QUOTES
        ]
        summaries.append(
            ThemeSummary(
                theme,
                labels[theme],
                descriptions.get(theme, ""),
                counts[theme],
                count_display(counts[theme]),
                trends.get(theme),
                float(np.mean(coverage.scores)) if coverage.scores else None,
                quotes,
                coverage.answers,
                coverage.by_language,
            )
        )
    return summaries
