"""The SNA "Community Insights" section for one wave: what it says, before any file format.

``sna_report`` reads both standard surveys from the database and returns plain data that the HTML,
PDF and DOCX renderers (``survey_app.reports.render``) lay out the same way: headline statements
with their figures, a chart of each, the published tables behind them, themes with approved
quotes, panel priorities and the methods note. Everything numeric comes from published ``Table``
cells, so a figure disclosure control withholds can only ever appear as its symbol ("[c]").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.insights import CAUSE_QUESTIONS, SUGGESTION_QUESTIONS, Statement
from analysis.report import Report, build_report
from analysis.reporting.files import SYNTHETIC_BANNER
from analysis.reporting.markdown import SYNTHETIC_NOTE, MethodsSection, methods
from analysis.reporting.phrases import POINTS, WITHHELD, Figure, points
from analysis.reporting.tables import Table, whole_percent
from analysis.themes import assign_themes
from survey_app.charts import Chart, Row, bar_chart
from survey_app.models import (
    Answer,
    AnswerCoding,
    CardFeedback,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Quote,
    Response,
    ReviewRound,
    Wave,
)
from survey_app.responses.read import ResponseBatches
from survey_app.results import AnalysisRefused, read_definition, reported_responses, theme_counts_by_wave
from survey_app.themes import EffectiveThemes, effective_themes, file_codebook

#: The surveys whose waves feed the section, in the order it reports them.
SURVEYS = ("young-people", "community")
FORMATS = ("html", "pdf", "docx")
FILENAME = "community-insights"
TITLE = "Community Insights: survey findings"
MAX_QUOTES = 3
#: Bars in one chart: more would run off an A4 page.
MAX_BARS = 10
#: Question columns in one theme table: more would run off the width of an A4 page.
QUESTIONS_PER_TABLE = 3
#: Free-text questions whose themes the section reports (postcode and "other" boxes are not views).
THEMED_QUESTIONS = CAUSE_QUESTIONS + SUGGESTION_QUESTIONS
TABLE_HEADERS = ("Group", "Answer", "Count", "Base", "%", "95% CI")
FIGURE_HEADERS = ("Figure", "%", "95% CI", "Count", "Base", "Source table")
EXTRA_METHODS = (
    MethodsSection(
        "Themes and quotes",
        (
            "Themes are found in free-text answers by the codebook's cues, or taken from analysts' coding "
            "where anyone has coded the answer, under the names agreed with the community panels. Theme "
            "counts are of answers and go through the same disclosure control as the tables. Quotes are "
            "answers an analyst has cleared for publication; personal details were removed when they were "
            "stored, and no answer flagged for safeguarding is ever quoted.",
        ),
    ),
    MethodsSection(
        "Panel priorities",
        (
            "Community panels review each wave's themes. Priorities are the votes panel members spent on "
            "each theme over the panel reviews of this wave, with the share of members answering who said "
            "the theme reflects their community. Panels are small and self-selected too: their priorities "
            "are a view, not a measurement.",
        ),
    ),
)


@dataclass(frozen=True)
class FigureRow:
    """One figure of a statement as every format shows it."""

    label: str
    percent: str
    interval: str
    count: str
    base: str
    table: str


@dataclass(frozen=True)
class TableView:
    """A published table as printed in the appendix: ``rows`` hold ``TABLE_HEADERS`` display
    strings; ``number`` is its place there ("A3")."""

    id: str
    title: str
    rows: tuple[tuple[str, ...], ...]
    number: str = ""

    @property
    def anchor(self) -> str:
        return f"table-{self.number.lower()}"


@dataclass(frozen=True)
class ChartView:
    id: str
    title: str
    desc: str
    chart: Chart


@dataclass(frozen=True)
class StatementView:
    number: int
    title: str
    text: str
    withheld: bool
    figures: tuple[FigureRow, ...]
    #: one chart per survey question the figures come from, each short enough for a page
    charts: tuple[ChartView, ...]
    #: the published tables behind the statement, printed in the appendix
    tables: tuple[TableView, ...]


@dataclass(frozen=True)
class ThemeView:
    label: str
    #: the published count for each of ``SurveyThemes.questions``
    counts: tuple[str, ...]
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class SurveyThemes:
    survey: str
    title: str
    questions: tuple[str, ...]
    themes: tuple[ThemeView, ...]

    def parts(self) -> list[tuple[tuple[str, ...], list[tuple[str, tuple[str, ...]]]]]:
        """The theme-by-question table cut into tables of at most ``QUESTIONS_PER_TABLE`` questions,
        so that each fits the width of an A4 page: (questions, [(theme, counts)])."""
        return [
            (
                self.questions[at : at + QUESTIONS_PER_TABLE],
                [(theme.label, theme.counts[at : at + QUESTIONS_PER_TABLE]) for theme in self.themes],
            )
            for at in range(0, len(self.questions), QUESTIONS_PER_TABLE)
        ]


@dataclass(frozen=True)
class Priority:
    label: str
    votes: int
    #: "4 of 6 (67%)", or "" when no member said
    reflects: str


@dataclass(frozen=True)
class SurveyPriorities:
    survey: str
    title: str
    rounds: int
    priorities: tuple[Priority, ...]

    @property
    def pending(self) -> bool:
        return self.rounds == 0


@dataclass(frozen=True)
class SnaReport:
    wave: str
    wave_label: str
    compare_wave: str | None
    generated: date
    synthetic: bool
    statements: tuple[StatementView, ...]
    #: every table the statements cite, numbered in the order they are first cited
    appendix: tuple[TableView, ...]
    themes: tuple[SurveyThemes, ...]
    priorities: tuple[SurveyPriorities, ...]
    methods: tuple[MethodsSection, ...]
    report: Report

    title = TITLE
    synthetic_banner = SYNTHETIC_BANNER
    synthetic_note = SYNTHETIC_NOTE

    @property
    def date_text(self) -> str:
        return f"{self.generated.day} {self.generated:%B %Y}"


def _interval(low: object, high: object) -> str:
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    return f"{whole_percent(float(low))} to {whole_percent(float(high))}"


def figure_row(fig: Figure) -> FigureRow:
    """A statement's figure as shown: the percentage (or change in points) and its interval, or
    "withheld" with no interval when disclosure control holds it back."""
    base = "" if fig["base"] is None else f"{fig['base']:,}"
    if fig["percent"] is None:
        return FigureRow(fig["label"], "withheld", "", fig["count_display"], base, fig["table"])
    if fig["unit"] == POINTS:
        interval = (
            ""
            if fig["ci_low"] is None or fig["ci_high"] is None
            else (f"{points(fig['ci_low'])} to {points(fig['ci_high'])} points")
        )
        return FigureRow(
            fig["label"],
            f"{points(fig['percent'])} points",
            interval,
            fig["count_display"],
            base,
            fig["table"],
        )
    return FigureRow(
        fig["label"],
        whole_percent(fig["percent"]),
        _interval(fig["ci_low"], fig["ci_high"]),
        fig["count_display"],
        base,
        fig["table"],
    )


def _groups(fig: Figure) -> str:
    return fig["cell"].split(";")[0].removeprefix("group=")


def _outcome(fig: Figure) -> str:
    return fig["cell"].split(";", 1)[1].strip().removeprefix("outcome=")


def _long(table_id: str) -> bool:
    """Theme and free-text tables hold a group per question: they are cited question by question."""
    return table_id.endswith((".themes", ".free_text"))


def table_view(table: Table, groups: set[str] | None = None) -> TableView:
    """``table`` as published, limited to ``groups`` (for the long theme and free-text tables)."""
    cells = table.cells if groups is None else table.cells[table.cells["group"].isin(groups)]
    rows = tuple(
        (
            str(c.group_label),
            str(c.outcome_label),
            str(c.count_display),
            str(c.base_display),
            str(c.percent_display),
            _interval(c.ci_low, c.ci_high),
        )
        for c in cells.itertuples(index=False)
    )
    return TableView(table.id, table.title, rows)


class Appendix:
    """The appendix's tables, numbered A1, A2... in the order statements first cite them."""

    def __init__(self) -> None:
        self._views: dict[tuple[str, frozenset[str]], TableView] = {}

    def cite(self, table: Table, groups: set[str] | None) -> TableView:
        key = (table.id, frozenset(groups or ()))
        if key not in self._views:
            view = table_view(table, groups)
            self._views[key] = TableView(view.id, view.title, view.rows, f"A{len(self._views) + 1}")
        return self._views[key]

    @property
    def tables(self) -> tuple[TableView, ...]:
        return tuple(self._views.values())


def _backing_tables(
    statement: Statement, tables: dict[str, Table], appendix: Appendix
) -> tuple[TableView, ...]:
    cited: dict[str, set[str]] = defaultdict(set)
    for fig in statement.figures:
        cited[fig["table"]].add(_groups(fig))
    if statement.table and statement.table not in cited:
        cited[statement.table] = set()
    return tuple(
        appendix.cite(tables[table_id], groups if _long(table_id) and groups else None)
        for table_id, groups in cited.items()
        if table_id in tables
    )


def _charts(statement: Statement, tables: dict[str, Table], surveys: dict[str, str]) -> tuple[ChartView, ...]:
    """A chart per source of the statement's percentages, titled with its survey and question: per
    table, and per question for theme and free-text tables (whose bars are then the themes). A
    source with more than ``MAX_BARS`` figures is drawn as several charts, so none runs off a page."""
    sources: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for fig in statement.figures:
        if fig["unit"] != POINTS:
            sources[fig["table"], _groups(fig) if _long(fig["table"]) else ""].append(fig)
    charts = []
    for (table_id, group), figures in sources.items():
        table = tables.get(table_id)
        survey = surveys.get(table_id.split(".", 1)[0], "")
        if group and table is not None:
            cells = table.cells[table.cells["group"] == group]
            question = str(cells["question_label"].iloc[0]) if not cells.empty else group
            labels = {
                str(o): str(label) for o, label in zip(cells["outcome"], cells["outcome_label"], strict=True)
            }
            bars = [labels.get(_outcome(f), f["label"]) for f in figures]
            title = f"{survey}: “{question}”"
        else:
            bars = [f["label"] for f in figures]
            title = table.title if table is not None else statement.title
        rows = [
            Row(
                bar,
                f["percent"],
                "withheld" if f["percent"] is None else whole_percent(f["percent"]),
                f["ci_low"],
                f["ci_high"],
            )
            for bar, f in zip(bars, figures, strict=True)
        ]
        for at in range(0, len(rows), MAX_BARS):
            part = f" (continued, {at + 1} to {min(at + MAX_BARS, len(rows))})" if at else ""
            charts.append(
                ChartView(
                    f"chart-{statement.id}-{len(charts) + 1}",
                    title + part,
                    "Percentages with 95% intervals; a withheld figure has no bar. The figures table "
                    "beside the chart holds every value.",
                    bar_chart(rows[at : at + MAX_BARS], percent=True),
                )
            )
    return tuple(charts)


def statement_view(
    statement: Statement, tables: dict[str, Table], surveys: dict[str, str], appendix: Appendix
) -> StatementView:
    withheld = statement.suppressed or WITHHELD in statement.text
    return StatementView(
        statement.id,
        statement.title,
        statement.text,
        withheld,
        tuple(figure_row(f) for f in statement.figures),
        _charts(statement, tables, surveys),
        _backing_tables(statement, tables, appendix),
    )


def _definitions(session: Session) -> dict[str, dict]:
    """Each standard survey's questionnaire merged across its versions, to read every answer."""
    found = {
        survey.slug: survey
        for survey in session.scalars(
            select(Questionnaire).where(
                Questionnaire.slug.in_(SURVEYS), Questionnaire.current_version_id.is_not(None)
            )
        )
    }
    return {slug: read_definition(found[slug]) for slug in SURVEYS if slug in found}


def _quotes(session: Session, slug: str, wave: str, themes: EffectiveThemes) -> dict[str, list[str]]:
    """Approved quotes of the wave by live theme id, oldest approval first."""
    rows = session.execute(
        select(Answer.response_id, Answer.item_id, Answer.text)
        .join(Quote, (Quote.response_id == Answer.response_id) & (Quote.item_id == Answer.item_id))
        .join(Item, Item.id == Answer.item_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Item.version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Wave, Wave.id == Response.wave_id)
        .where(
            Questionnaire.slug == slug,
            Wave.key == wave,
            Answer.text.is_not(None),
            func.coalesce(Answer.safeguarding, False).is_(False),
        )
        .order_by(Quote.approved_at, Quote.response_id, Quote.item_id)
    ).all()
    if not rows:
        return {}
    coded: dict[tuple, set[str]] = defaultdict(set)
    for coding in session.scalars(
        select(AnswerCoding).where(AnswerCoding.response_id.in_({r.response_id for r in rows}))
    ):
        coded[coding.response_id, coding.item_id].update(coding.themes)
    cued = assign_themes([r.text for r in rows], file_codebook())
    by_theme: dict[str, list[str]] = defaultdict(list)
    for row, matches in zip(rows, cued, strict=True):
        key = (row.response_id, row.item_id)
        found = coded[key] if key in coded else {m.theme for m in matches if m.assigned}
        for theme in sorted({themes.canonical(t) for t in found}):
            if len(by_theme[theme]) < MAX_QUOTES:
                by_theme[theme].append(row.text)
    return by_theme


def survey_themes(
    session: Session, slug: str, title: str, wave: str, table: Table | None, themes: EffectiveThemes
) -> SurveyThemes:
    """The survey's themes in codebook order, each with its published count per opinion question
    and up to three approved quotes. Ordering by size would place withheld counts."""
    if table is None:
        return SurveyThemes(slug, title, (), ())
    cells = table.cells[table.cells["group"].isin(THEMED_QUESTIONS)]
    questions = list(dict.fromkeys(cells["group"]))
    labels = dict(zip(cells["group"], cells["group_label"], strict=False))
    quotes = {
        themes.labels[theme]: found
        for theme, found in _quotes(session, slug, wave, themes).items()
        if theme in themes.labels
    }
    views = []
    for label in dict.fromkeys(themes.labels.values()):
        rows = cells[cells["outcome"] == label]
        if rows.empty or (rows["count_display"] == "0").all():
            continue
        shown = dict(zip(rows["group"], rows["count_display"], strict=True))
        views.append(
            ThemeView(label, tuple(shown.get(q, "") for q in questions), tuple(quotes.get(label, ())))
        )
    return SurveyThemes(slug, title, tuple(labels[q] for q in questions), tuple(views))


def survey_priorities(
    session: Session, slug: str, title: str, wave: str, themes: EffectiveThemes
) -> SurveyPriorities:
    """Votes per theme over the panel rounds that reviewed this wave, merged themes counted as
    the theme they joined, most votes first."""
    round_ids = list(
        session.scalars(
            select(ReviewRound.id)
            .join(Questionnaire, Questionnaire.id == ReviewRound.questionnaire_id)
            .where(Questionnaire.slug == slug, ReviewRound.wave_key == wave)
        )
    )
    votes: dict[str, int] = defaultdict(int)
    said: dict[str, int] = defaultdict(int)
    yes: dict[str, int] = defaultdict(int)
    if round_ids:
        for feedback in session.scalars(select(CardFeedback).where(CardFeedback.round_id.in_(round_ids))):
            theme = themes.canonical(feedback.theme_id)
            votes[theme] += feedback.votes
            if feedback.reflects is not None:
                said[theme] += 1
                yes[theme] += feedback.reflects == "yes"
    priorities = [
        Priority(
            themes.label(theme),
            votes[theme],
            f"{yes[theme]} of {said[theme]} ({whole_percent(100 * yes[theme] / said[theme])})"
            if said[theme]
            else "",
        )
        for theme in set(votes) | set(said)
    ]
    priorities.sort(key=lambda p: (-p.votes, p.label))
    return SurveyPriorities(slug, title, len(round_ids), tuple(priorities))


def _frame(session: Session, slugs: Sequence[str], wave: str, compare_wave: str | None) -> pd.DataFrame:
    """The responses the report reads, of every survey in ``slugs``: the wave's and its comparison's."""
    readers = [ResponseBatches(session, slug) for slug in slugs]
    months = [reader.months() for reader in readers]
    if all(m.empty for m in months):
        raise AnalysisRefused(
            "neither survey has any responses yet; try `insight demo-data --survey "
            "young-people --responses 500` to see what the report looks like"
        )
    waves = sorted(set().union(*(m["wave"] for m in months)))
    for name in (wave, compare_wave):
        if name is not None and name not in waves:
            raise AnalysisRefused(f"no survey has a wave '{name}' (waves: {', '.join(waves)})")
    try:
        frames = [reported_responses(r, m, wave, compare_wave) for r, m in zip(readers, months, strict=True)]
    except ValueError as error:
        raise AnalysisRefused(str(error)) from error
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else readers[0].frame([])


def sna_report(
    session: Session, wave: str, compare_wave: str | None = None, today: date | None = None
) -> SnaReport:
    """The section for ``wave`` of every standard survey that has it; AnalysisRefused says why not."""
    definitions = _definitions(session)
    frame = _frame(session, list(definitions), wave, compare_wave)
    themes = effective_themes(session)
    counts = [
        theme_counts_by_wave(frame[frame["survey"] == slug], slug, definition, themes)
        for slug, definition in definitions.items()
    ]
    counts = [c for c in counts if c is not None]
    try:
        report = build_report(
            frame,
            definitions,
            wave=wave,
            compare_wave=compare_wave,
            themes=pd.concat(counts, ignore_index=True) if counts else None,
        )
    except ValueError as error:
        raise AnalysisRefused(str(error)) from error
    tables = dict(report.tables)
    samples = report.samples
    surveys = {sample.survey: sample.title for sample in samples}
    appendix = Appendix()
    statements = tuple(statement_view(s, tables, surveys, appendix) for s in report.statements)
    return SnaReport(
        wave=wave,
        wave_label=samples[0].wave_label,
        compare_wave=compare_wave,
        generated=today or date.today(),
        synthetic=report.synthetic,
        statements=statements,
        appendix=appendix.tables,
        themes=tuple(
            survey_themes(session, s.survey, s.title, wave, tables.get(f"{s.survey}.themes"), themes)
            for s in samples
        ),
        priorities=tuple(survey_priorities(session, s.survey, s.title, wave, themes) for s in samples),
        methods=(*methods(report), *EXTRA_METHODS),
        report=report,
    )
