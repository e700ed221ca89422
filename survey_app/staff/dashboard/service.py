"""The staff dashboard of one survey: activity counters and filtered figures, all through disclosure
control.

Two sources, filtered differently and so shown apart:

* the aggregate counters (``activity_count``): surveys started, pages completed and responses sent,
  per ISO week, wave and channel. They hold nothing about anyone's answers, so only the wave and
  channel filters can apply to them;
* the responses, filtered by every filter and counted by the database (``dashboard_counts``): the
  headline statements and the crosstab come from those counts through
  ``analysis.reporting.grouped``, figure for figure as ``analysis.report.build_report`` would make
  them from the same responses, but only the tables the page shows.

The filters can be combined in more ways than could ever be protected together (a district's view
subtracted from its deprivation quintile's would show what each hides), so every figure uses
cell-key perturbation (``analysis.stats.perturbation``), as the ONS did for Census 2021: every count
carries a little noise that depends only on the people in it (for a counter, on what it counts), so
the same figure reached by any route has the same noise and differences of views are never exact. Publication
tables, which need exact figures, come from the exports page and are protected together there.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.areas import load_district_deprivation
from analysis.districts import add_area_lookup, load_districts, most_deprived
from analysis.insights import Evidence, Statement, build_statements
from analysis.questionnaire import SINGLE, choice_labels, choice_questions, items, question
from analysis.report import Report
from analysis.reporting.breakdowns import BREAKDOWNS, BY_DISTRICT, FROM_QUESTIONS
from analysis.reporting.grouped import (
    CountedReport,
    CountedWave,
    Counts,
    choose_waves,
    questions_of,
    sample,
    statement_tables,
    wave_tables,
)
from analysis.reporting.phrases import POINTS, points
from analysis.reporting.selection import SurveySample
from analysis.reporting.survey import Lookups
from analysis.reporting.tables import Table, outcome_labels, stat_item, whole_percent
from analysis.stats import DisclosureRules
from analysis.stats.perturbation import CellKeyPerturbation, record_keys
from analysis.text import sentiment
from analysis.themes import load_codebook, theme_indicators
from survey_app.caches import app_cache
from survey_app.charts import Chart, Row, bar_chart
from survey_app.db import db_session
from survey_app.definitions import Page
from survey_app.definitions import Questionnaire as Definition
from survey_app.models import (
    CHANNEL_TYPES,
    UNSPECIFIED_HARM,
    ActivityCount,
    Answer,
    Channel,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Wave,
)
from survey_app.responses.read import NO_WAVE, NO_WAVE_LABEL
from survey_app.results import AnalysisRefused, read_definition
from survey_app.surveys.activity import STARTED, SUBMITTED, page_event
from survey_app.surveys.channels import TYPE_LABELS
from survey_app.surveys.service import survey_version

from ..review.safeguarding import HARM_LABELS
from ..surveys import wave_with_data
from . import counts as dashboard_counts
from .counts import Items

RULES = DisclosureRules(perturbation=CellKeyPerturbation())
#: The channel "filter" for responses through the survey's own address, not a distribution link.
NO_CHANNEL = "none"
#: The label of a counter's total over every week, in its cell key.
ALL_WEEKS = "all weeks"
#: Query parameters of the filters, in form order; "lang" is taken (it switches the interface language).
FILTERS = ("wave", "area", "deprivation", "age_band", "language", "channel")
CROSSTAB = ("question", "breakdown")
#: The breakdown shown first, if the questionnaire has it.
PREFERRED_BREAKDOWNS = ("area", "age_band", "language")


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Source:
    """A survey's current definition, its questionnaire merged across versions (to read answers),
    and what its responses (all versions) are counted with."""

    survey: Questionnaire
    definition: Definition
    merged: dict
    #: the survey's versions, and the items and choices they have
    versions: tuple[int, ...]
    items: Items
    #: the database, and how many responses each version has: responses are never edited, so new
    #: counts mean new data
    database: str
    counts: tuple[tuple[int, int], ...]
    #: what record keys and counters' cell keys are worked out with
    secret: bytes = field(repr=False)

    @property
    def slug(self) -> str:
        return self.survey.slug


@dataclass(frozen=True)
class Choices:
    """What each select of the page offers: filters (with "" for all), question and breakdown."""

    options: Mapping[str, tuple[Option, ...]]
    default_wave: str
    synthetic_waves: frozenset[str]
    #: area values of each deprivation quintile offered
    quintile_areas: Mapping[str, frozenset[str]]

    def allows(self, name: str, value: str) -> bool:
        return any(o.value == value for o in self.options[name])


@dataclass(frozen=True)
class Filters:
    wave: str
    area: str = ""
    deprivation: str = ""
    age_band: str = ""
    language: str = ""
    channel: str = ""
    question: str = ""
    breakdown: str = ""
    answer: str = ""

    @property
    def on_responses_only(self) -> bool:
        """A filter the counters cannot apply is set."""
        return any((self.area, self.deprivation, self.age_band, self.language))


def load(session: Session, survey: Questionnaire, secret: bytes) -> Source:
    """The survey's definitions and what its responses are counted with; AnalysisRefused if its
    versions cannot be merged.

    Each response gets its record key for perturbation from ``secret``, which every worker shares
    (the app's secret key), so every worker gives a figure the same noise."""
    version = survey_version(session, survey.current_version_id)
    merged = read_definition(survey)
    versions = tuple(
        session.scalars(
            select(QuestionnaireVersion.id)
            .where(QuestionnaireVersion.questionnaire_id == survey.id)
            .order_by(QuestionnaireVersion.id)
        )
    )
    counts = tuple(
        (version_id, number)
        for version_id, number in session.execute(
            select(Response.version_id, func.count())
            .where(Response.version_id.in_(versions))
            .group_by(Response.version_id)
            .order_by(Response.version_id)
        )
    )
    database = session.get_bind().url.render_as_string()
    # Versions are never edited: their items are read once.
    known = app_cache("dashboard.items", size=16)
    found = known.get((database, versions))
    if found is None:
        found = known[database, versions] = dashboard_counts.survey_items(session, versions)
    return Source(survey, version.definition, merged, versions, found, database, counts, secret)


def warm(app: Flask) -> None:
    """Make every survey's first view (no filters) in ``app``'s caches, as a worker starts: counting
    tens of thousands of responses and finding the themes of their free text takes seconds the
    first analyst would otherwise wait. Filtered views and new responses then reuse the counts."""
    names = {code: entry["name"] for code, entry in app.config["LANGUAGES"].items()}
    with app.app_context():
        session = db_session()
        for survey in session.scalars(select(Questionnaire).order_by(Questionnaire.id)):
            try:
                source = load(session, survey, secret(app))
            except AnalysisRefused:
                continue
            if not source.counts:
                continue
            offered = choices(session, source, names)
            filters, _ = parse({}, source, offered)
            figures(session, source, filters, offered)
            session.rollback()


def warm_in_background(app: Flask) -> threading.Thread:
    """``warm`` in a thread of its own; a failure is logged, and the dashboard counts when asked."""

    def run() -> None:
        try:
            warm(app)
        except Exception:
            app.logger.exception("the dashboard's counts could not be made in advance")

    thread = threading.Thread(target=run, name="dashboard-warm", daemon=True)
    thread.start()
    return thread


def secret(app: Flask) -> bytes:
    """The secret of record keys: the app's secret key, which every worker shares."""
    key = app.secret_key
    return key if isinstance(key, bytes) else str(key).encode()


def _labelled(definition: dict, item_id: str) -> tuple[Option, ...]:
    """The choices of ``item_id`` in any version, as the newest version with each labels it."""
    asked = next((i for i in items(definition) if i["id"] == item_id), None)
    return tuple(Option(v, label) for v, label in choice_labels(definition, asked).items()) if asked else ()


def _waves(session: Session, source: Source) -> tuple[tuple[Option, ...], str, frozenset[str]]:
    """Every wave of the survey and responses outside one, the default, and the synthetic waves.

    The default is the latest real wave with data (``wave_with_data``), else the wave new
    responses join, else demo data, else responses outside a wave (the counters may have counted
    some before anyone sent answers).
    """
    rows = session.scalars(
        select(Wave).where(Wave.questionnaire_id == source.survey.id).order_by(Wave.id)
    ).all()
    options = (*(Option(w.key, w.label) for w in rows), Option(NO_WAVE, NO_WAVE_LABEL))
    synthetic = frozenset(w.key for w in rows if w.synthetic)
    answered = wave_with_data(session, source.survey)
    current = source.survey.current_wave
    if answered is not None:
        default = answered.key
    elif current is not None:
        default = current.key
    else:
        default = min(synthetic, default=NO_WAVE)
    return options, default, synthetic


def _quintiles(area_options: Sequence[Option]) -> tuple[tuple[Option, ...], dict[str, frozenset[str]]]:
    """The deprivation quintiles the questionnaire's districts reach, each naming its districts:
    worked out once per set of areas, as the area lookups never change while the app runs."""
    if not area_options:
        return (), {}
    values = tuple(o.value for o in area_options)
    known = app_cache("dashboard.quintiles", size=16)
    if values not in known:
        known[values] = _quintiles_of(values)
    return known[values]


def _quintiles_of(values: Sequence[str]) -> tuple[tuple[Option, ...], dict[str, frozenset[str]]]:
    districts = load_districts()
    names = dict(zip(districts["area"], districts["lad_name"], strict=True))
    looked_up = add_area_lookup(pd.DataFrame({"area": pd.array(values, dtype="string")}), districts)
    areas: dict[str, set[str]] = {}
    for area, quintile in looked_up[["area", "deprivation_quintile"]].dropna().itertuples(index=False):
        areas.setdefault(str(quintile), set()).add(area)
    options = tuple(
        Option(q, f"{q}: " + ", ".join(names[a] for a in values if a in areas[q])) for q in sorted(areas)
    )
    return options, {q: frozenset(a) for q, a in areas.items()}


def choices(session: Session, source: Source, language_names: Mapping[str, str]) -> Choices:
    waves, default_wave, synthetic = _waves(session, source)
    areas = _labelled(source.merged, "area")
    quintiles, quintile_areas = _quintiles(areas)
    languages = _languages(session, source)
    has = {key: bool(_labelled(source.merged, key)) for key in FROM_QUESTIONS}
    breakdowns = tuple(
        Option(key, label[:1].upper() + label[1:])
        for key, label in BREAKDOWNS.items()
        if has.get(key, True) and (key not in BY_DISTRICT or has["area"])
    )
    questions = tuple(Option(q.id, q.label) for q in choice_questions(source.merged) if q.kind == SINGLE)
    options = {
        "wave": waves,
        "area": areas,
        "deprivation": quintiles,
        "age_band": _labelled(source.merged, "age_band"),
        "language": tuple(Option(code, language_names.get(code, code)) for code in languages),
        "channel": (
            *(Option(t, TYPE_LABELS[t]) for t in CHANNEL_TYPES),
            Option(NO_CHANNEL, _l("None: the survey's own address")),
        ),
        "question": questions,
        "breakdown": breakdowns,
    }
    return Choices(options, default_wave, synthetic, quintile_areas)


def _languages(session: Session, source: Source) -> list[str]:
    """The languages the survey's responses were given in, read again only when responses are added."""
    known = app_cache("dashboard.languages", size=16)
    key = (source.database, source.survey.id, source.counts)
    if key not in known:
        known[key] = sorted(
            session.scalars(
                select(Response.language).where(Response.version_id.in_(source.versions)).distinct()
            )
        )
    return known[key]


def answers(definition: dict, question_id: str) -> tuple[Option, ...]:
    """The outcomes a crosstab of ``question_id`` has percentages for: collapsed outcomes first."""
    asked = question(definition, question_id)
    item = stat_item(asked)
    labels = outcome_labels(asked)
    return tuple(Option(key, labels[key]) for key in (*item.outcomes, *item.counted))


def _default_question(definition: dict, questions: Sequence[Option]) -> str:
    """The first question with a collapsed outcome ("A bit or very unsafe"), else the first."""
    for option in questions:
        if stat_item(question(definition, option.value)).outcomes:
            return option.value
    return questions[0].value if questions else ""


def parse(args: Mapping[str, str], source: Source, offered: Choices) -> tuple[Filters, list[tuple[str, str]]]:
    """The filters asked for, and (name, value) of each one this survey does not offer, which is
    left unset. A stale answer (from the question chosen before) quietly becomes the default: without
    JavaScript, the answer list only follows a new question once the page has reloaded."""
    ignored = []
    chosen: dict[str, str] = {}
    for name in (*FILTERS, *CROSSTAB):
        value = args.get(name, "")
        if value and not offered.allows(name, value):
            ignored.append((name, value))
            value = ""
        chosen[name] = value
    wave = chosen.pop("wave") or offered.default_wave
    breakdowns = [o.value for o in offered.options["breakdown"]]
    if not chosen["breakdown"]:
        chosen["breakdown"] = next((b for b in PREFERRED_BREAKDOWNS if b in breakdowns), breakdowns[0])
    if not chosen["question"]:
        chosen["question"] = _default_question(source.merged, offered.options["question"])
    outcomes = [o.value for o in answers(source.merged, chosen["question"])] if chosen["question"] else []
    answer = args.get("answer", "")
    chosen["answer"] = answer if answer in outcomes else (outcomes[0] if outcomes else "")
    return Filters(wave=wave, **chosen), ignored


# Counters --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    week: str
    monday: date
    started: str
    submitted: str


@dataclass(frozen=True)
class Step:
    """One row of the completion table: started, a page, or sent."""

    label: str
    count: str
    #: of those who started, when both counts are shown and enough started
    percent: str | None
    #: every item of the page has a show_if condition, so not everyone reaches it
    conditional: bool = False


@dataclass(frozen=True)
class Counters:
    weeks: tuple[Week, ...]
    steps: tuple[Step, ...]
    weekly_chart: Chart | None
    steps_chart: Chart | None


def _counter_totals(session: Session, source: Source, filters: Filters) -> pd.DataFrame:
    """Counts by week and event for the survey's versions, under the wave and channel filters."""
    query = (
        select(ActivityCount.week, ActivityCount.event, func.sum(ActivityCount.count))
        .join(QuestionnaireVersion, QuestionnaireVersion.id == ActivityCount.version_id)
        .where(QuestionnaireVersion.questionnaire_id == source.survey.id)
        .group_by(ActivityCount.week, ActivityCount.event)
    )
    if filters.wave == NO_WAVE:
        query = query.where(ActivityCount.wave_id == 0)
    else:
        query = query.where(
            ActivityCount.wave_id
            == select(Wave.id)
            .where(Wave.questionnaire_id == source.survey.id, Wave.key == filters.wave)
            .scalar_subquery()
        )
    if filters.channel == NO_CHANNEL:
        query = query.where(ActivityCount.channel_id == 0)
    elif filters.channel:
        query = query.where(
            ActivityCount.channel_id.in_(
                select(Channel.id).where(
                    Channel.questionnaire_id == source.survey.id, Channel.type == filters.channel
                )
            )
        )
    rows = session.execute(query).all()
    return pd.DataFrame(rows, columns=["week", "event", "count"]).astype({"count": "int64"})


def _monday(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def _every_week(weeks: Sequence[str]) -> list[str]:
    """From the first week to the last, with the weeks in between that counted nothing."""
    if not weeks:
        return []
    day, last = _monday(min(weeks)), _monday(max(weeks))
    every = []
    while day <= last:
        year, number, _ = day.isocalendar()
        every.append(f"{year}-W{number:02d}")
        day += timedelta(days=7)
    return every


def counter_figures(
    secret: bytes,
    slug: str,
    wave: str,
    channel: str,
    event: str,
    labels: Sequence[str],
    counts: Sequence[int],
) -> list[int]:
    """Counter figures with cell-key noise. Aggregate counters have no record keys, so each figure's
    cell key is a keyed hash of what it counts (survey, wave, channel filter, event and week, or
    ``ALL_WEEKS``): the same figure always gets the same noise, and the figures of one channel no
    longer follow from the others' and the total."""
    names = [f"{slug}|{wave}|{channel}|{event}|{label}" for label in labels]
    values = RULES.published(np.array(counts, dtype=np.int64), record_keys(names, secret))
    return [int(v) for v in values]


def _noisy(
    source: Source, filters: Filters, event: str, labels: Sequence[str], counts: Sequence[int]
) -> list[int]:
    return counter_figures(source.secret, source.slug, filters.wave, filters.channel, event, labels, counts)


def _weekly(source: Source, filters: Filters, event: str, counts: pd.Series) -> tuple[pd.Series, str]:
    """Display strings of an event's weekly counts, and of their total."""
    values = _noisy(source, filters, event, [*counts.index, ALL_WEEKS], [*counts.to_numpy(), counts.sum()])
    shown = [_display(v) for v in values]
    return pd.Series(shown[:-1], index=counts.index), shown[-1]


def _shown(display: str) -> int | None:
    """The number a display string shows, or None for a hidden one."""
    digits = display.replace(",", "")
    return int(digits) if digits.isdigit() else None


def _percent_of(count: str, started: str) -> str | None:
    shown, base = _shown(count), _shown(started)
    if shown is None or base is None or base < RULES.min_base:
        return None
    return whole_percent(100 * shown / base)


def _page_names(pages: Sequence[Page]) -> list[str]:
    """Each page's title, numbered where pages share one ("Feeling safe (page 2 of 4)"): a long
    section is cut into pages of one title, and a drop-off table must tell them apart."""
    sharing = Counter(page.title for page in pages)
    seen: Counter[str] = Counter()
    names = []
    for page in pages:
        seen[page.title] += 1
        if sharing[page.title] == 1:
            names.append(page.title)
        else:
            names.append(
                _l(
                    "%(page)s (page %(number)s of %(pages)s)",
                    page=page.title,
                    number=seen[page.title],
                    pages=sharing[page.title],
                )
            )
    return names


def counters(session: Session, source: Source, filters: Filters) -> Counters:
    totals = _counter_totals(session, source, filters)
    if totals.empty:
        return Counters((), (), None, None)
    by_week = totals.pivot_table(index="week", columns="event", values="count", aggfunc="sum", fill_value=0)
    weeks = _every_week(list(by_week.index))
    by_week = by_week.reindex(index=weeks, columns=[STARTED, SUBMITTED], fill_value=0)
    started, started_total = _weekly(source, filters, STARTED, by_week[STARTED])
    submitted, submitted_total = _weekly(source, filters, SUBMITTED, by_week[SUBMITTED])
    week_rows = tuple(Week(w, _monday(w), started[w], submitted[w]) for w in weeks)
    events = totals.groupby("event")["count"].sum()

    def reached(event: str) -> str:
        return _display(_noisy(source, filters, event, [ALL_WEEKS], [int(events.get(event, 0))])[0])

    steps = [Step(_l("Started the survey"), started_total, _percent_of(started_total, started_total))]
    for page, title in zip(source.definition.pages, _page_names(source.definition.pages), strict=True):
        count = reached(page_event(page.id))
        steps.append(
            Step(
                title,
                count,
                _percent_of(count, started_total),
                all(item.show_if is not None for item in page.items),
            )
        )
    # Pages of earlier versions that the current one no longer has, by their id.
    known = {page_event(p.id) for p in source.definition.pages}
    for event in sorted(e for e in events.index if e.startswith(page_event("")) and e not in known):
        count = reached(event)
        steps.append(Step(event.removeprefix(page_event("")), count, _percent_of(count, started_total)))
    steps.append(Step(_l("Sent their answers"), submitted_total, _percent_of(submitted_total, started_total)))
    weekly_chart = bar_chart([Row(w.week, _shown(w.submitted), w.submitted) for w in week_rows])
    steps_chart = bar_chart(
        [
            Row(
                _l("%(page)s (only some people)", page=s.label) if s.conditional else s.label,
                _shown(s.count),
                s.count,
            )
            for s in steps
        ]
    )
    return Counters(week_rows, tuple(steps), weekly_chart, steps_chart)


def _display(count: int) -> str:
    return RULES.suppressed_symbol if RULES.is_small(count) else f"{count:,}"


# Safeguarding flags ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HarmCount:
    label: str
    #: through disclosure control: "[c]" for a small count
    count: str


def flagged_by_kind(session: Session, source: Source, filters: Filters) -> tuple[HarmCount, ...]:
    """Answers of the chosen wave flagged for safeguarding, per kind of harm (an answer counts under
    each kind it may disclose), small counts hidden as in every table. Flags are set when a response
    is stored, so they are counted again only when responses are added."""
    known = app_cache("dashboard.flagged", size=64)
    key = (source.database, source.survey.id, source.counts, filters.wave)
    if key not in known:
        known[key] = _flagged_by_kind(session, source, filters.wave)
    return known[key]


def _flagged_by_kind(session: Session, source: Source, wave: str) -> tuple[HarmCount, ...]:
    query = (
        select(Answer.safeguarding_harm, func.count())
        .join(Response, Response.id == Answer.response_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.version_id)
        .where(QuestionnaireVersion.questionnaire_id == source.survey.id, Answer.safeguarding.is_(True))
        .group_by(Answer.safeguarding_harm)
    )
    if wave == NO_WAVE:
        query = query.where(Response.wave_id.is_(None))
    else:
        query = query.where(
            Response.wave_id
            == select(Wave.id)
            .where(Wave.questionnaire_id == source.survey.id, Wave.key == wave)
            .scalar_subquery()
        )
    counts = {kind: 0 for kind in HARM_LABELS}
    for harms, number in session.execute(query):
        for kind in harms.split(";"):
            counts[kind] += number
    # No total is shown (an answer may count under two kinds), so hiding small counts is enough.
    return tuple(
        HarmCount(label, _display(counts[kind]))
        for kind, label in HARM_LABELS.items()
        if kind != UNSPECIFIED_HARM or counts[kind]
    )


# Figures from the responses ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadlineFigure:
    label: str
    #: "46%" or "+3" (points); None when withheld
    value: str | None
    low: str | None
    high: str | None
    base: str | None
    points: bool


@dataclass(frozen=True)
class Headline:
    title: str
    text: str
    figures: tuple[HeadlineFigure, ...]


@dataclass(frozen=True)
class CrosstabRow:
    group: str
    count: str
    base: str
    percent: str
    low: str | None
    high: str | None


@dataclass(frozen=True)
class Figures:
    """What the filtered responses of the chosen wave give; ``report`` is None below the minimum base."""

    report: Report | None
    headlines: tuple[Headline, ...] = ()
    crosstab: Table | None = None
    #: (answer, its row per group) in the table's order
    crosstab_answers: tuple[tuple[str, tuple[CrosstabRow, ...]], ...] = ()
    crosstab_chart: Chart | None = None
    #: how many free-text answers got a sentiment score, per language, as displayed ("<10"):
    #: {"answers": "430", "scored": "412", "languages": {"en": "380", "ur": "20", ...}}
    sentiment: dict | None = None

    @property
    def sample(self) -> SurveySample | None:
        return self.report.samples[0] if self.report and self.report.samples else None


def matching(frame: pd.DataFrame, filters: Filters, offered: Choices) -> pd.DataFrame:
    """Rows of a tally (``dashboard_counts.Tally``) of every wave that pass the filters other than
    wave (a real wave is compared with the one before it, under the same filters)."""
    keep = np.ones(len(frame), dtype=bool)
    for column in ("area", "age_band", "language"):
        if getattr(filters, column):
            keep &= (frame[column] == getattr(filters, column)).to_numpy()
    if filters.deprivation:
        keep &= frame["area"].isin(offered.quintile_areas[filters.deprivation]).to_numpy()
    if filters.channel == NO_CHANNEL:
        keep &= frame["channel"].isna().to_numpy()
    elif filters.channel:
        keep &= (frame["channel"] == filters.channel).to_numpy()
    return frame[keep]


def _headline(statement: Statement) -> Headline:
    figures = []
    for fig in statement.figures:
        shown = fig["percent"] is not None
        as_points = fig["unit"] == POINTS
        if not shown:
            figures.append(HeadlineFigure(fig["label"], None, None, None, None, as_points))
            continue
        form = points if as_points else whole_percent
        interval = fig["ci_low"] is not None and fig["ci_high"] is not None
        figures.append(
            HeadlineFigure(
                fig["label"],
                form(fig["percent"]),
                form(fig["ci_low"]) if interval else None,
                form(fig["ci_high"]) if interval else None,
                f"{fig['base']:,}" if fig["base"] is not None else None,
                as_points,
            )
        )
    return Headline(statement.title, statement.text, tuple(figures))


def _crosstab_answers(table: Table) -> tuple[tuple[str, tuple[CrosstabRow, ...]], ...]:
    grouped: dict[tuple[str, str], list[CrosstabRow]] = {}
    for cell in table.cells.itertuples(index=False):
        low, high = (
            (None, None)
            if pd.isna(cell.ci_low)
            else (whole_percent(cell.ci_low), whole_percent(cell.ci_high))
        )
        grouped.setdefault((cell.outcome, cell.outcome_label), []).append(
            CrosstabRow(
                cell.group_label, cell.count_display, cell.base_display, cell.percent_display, low, high
            )
        )
    return tuple((label, tuple(rows)) for (_, label), rows in grouped.items())


def _crosstab_chart(table: Table, answer: str) -> Chart:
    cells = table.cells[table.cells["outcome"] == answer]
    return bar_chart(
        [
            Row(
                c.group_label,
                None if pd.isna(c.percent) else float(c.percent),
                c.percent_display,
                None if pd.isna(c.ci_low) else float(c.ci_low),
                None if pd.isna(c.ci_high) else float(c.ci_high),
            )
            for c in cells.itertuples(index=False)
        ],
        percent=True,
    )


@dataclass(frozen=True)
class _Counted:
    """The figures of a view but its crosstab, and what the crosstab is made from: the report of
    the chosen wave, its wave id, and the questions counted for it."""

    figures: Figures
    report: CountedReport | None = None
    wave_id: int | None = None
    counted: frozenset[str] = frozenset()


def figures(session: Session, source: Source, filters: Filters, offered: Choices) -> Figures:
    """The figures of the filtered responses of the chosen wave, or nothing below the minimum base.
    All but the crosstab depend only on the responses and the filters, so choosing another
    question, breakdown or answer to chart, or a colleague opening the same view, reuses them."""
    cache = app_cache("dashboard.figures", size=24)
    key = (
        source.database,
        source.slug,
        source.definition.content_hash,
        source.counts,
        replace(filters, question="", breakdown="", answer=""),
    )
    found = cache.get(key)
    if found is None:
        found = cache[key] = _figures(session, source, filters, offered)
    report = found.report
    if report is None or not filters.question:
        return found.figures
    if filters.question not in found.counted:
        # Another question's counts are kept apart: each question is counted once, when first shown.
        answers = matching(_tally(session, source, {filters.question}).answers, filters, offered)
        report = report.with_answers(_of_wave(answers, found.wave_id))
    crosstab = report.table(filters.question, filters.breakdown)
    if crosstab is None:
        return found.figures
    whole = found.figures.report
    return replace(
        found.figures,
        report=replace(whole, tables={**whole.tables, crosstab.id: crosstab}),
        crosstab=crosstab,
        crosstab_answers=_crosstab_answers(crosstab),
        crosstab_chart=_crosstab_chart(crosstab, filters.answer),
    )


def _tally(session: Session, source: Source, wanted: set[str], texts: bool = False) -> dashboard_counts.Tally:
    """The tally of the questions ``wanted`` (and of free text if ``texts``)."""
    questions = questions_of(source.merged)
    return dashboard_counts.tally(
        session,
        source.survey.id,
        source.versions,
        source.items,
        {q: questions[q] for q in sorted(wanted)},
        texts,
        source.secret,
        source.counts,
    )


def _of_wave(frame: pd.DataFrame, wave_id: int | None) -> pd.DataFrame:
    """The rows of a tally's frame in one wave (``None``: outside any)."""
    return frame[frame["wave_id"].isna() if wave_id is None else frame["wave_id"] == wave_id]


def _lookups() -> Lookups:
    """The area lookups of every report, read once."""
    cache = app_cache("dashboard.lookups", size=1)
    if "lookups" not in cache:
        districts, deprivation = load_districts(), load_district_deprivation()
        cache["lookups"] = Lookups(districts, deprivation, most_deprived(districts, deprivation))
    return cache["lookups"]


def _counted_waves(session: Session, source: Source, profile: pd.DataFrame) -> pd.DataFrame:
    """Per wave with responses in ``profile``: ``wave, label, synthetic, first_month, last_month,
    count``, and the ``wave_id`` counted."""
    rows = session.execute(
        select(Wave.id, Wave.key, Wave.label, Wave.synthetic).where(Wave.questionnaire_id == source.survey.id)
    ).all()
    named = {wave_id: (key, label, synthetic) for wave_id, key, label, synthetic in rows}
    waves = (
        profile.assign(wave_id=profile["wave_id"].astype(object))
        .groupby("wave_id", dropna=False)
        .agg(first_month=("first_month", "min"), last_month=("last_month", "max"), count=("count", "sum"))
        .reset_index()
    )
    described = [named.get(w, (NO_WAVE, NO_WAVE_LABEL, False)) for w in waves["wave_id"]]
    waves[["wave", "label", "synthetic"]] = pd.DataFrame(described, index=waves.index)
    return waves


def _figures(session: Session, source: Source, filters: Filters, offered: Choices) -> _Counted:
    slug, definition = source.slug, source.merged
    lookups = _lookups()
    questions = questions_of(definition)
    # The statements read the same tables whatever the wave: those of this survey's questions.
    placeholder = SurveySample(slug, definition["title"], filters.wave, "", False, "", "", "", {}, {})
    asked = statement_tables([placeholder], lookups)
    read = {part for identifier in asked for part in identifier.split(".")[1:2] if part in questions}
    counted = _tally(session, source, read, texts=True)
    profile = matching(counted.profile, filters, offered)
    if profile.empty:
        return _Counted(Figures(None))
    waves = _counted_waves(session, source, profile)
    picked = choose_waves(waves, filters.wave)
    if picked is None or int(waves.loc[waves["wave"] == filters.wave, "count"].iloc[0]) < RULES.min_base:
        return _Counted(Figures(None))
    main, earlier = picked
    answers = [counted.answers]
    if earlier is not None:
        # Every answer of every question is tested for change between the waves.
        answers.append(_tally(session, source, set(questions) - read).answers)
    answers = matching(pd.concat(answers, ignore_index=True), filters, offered)
    texts = matching(counted.texts, filters, offered)
    # Surveys that do not ask a breakdown question have no column for it, as in a report.
    unasked = [k for k in dashboard_counts.ANSWERED_BREAKDOWNS if k not in source.items.ids]

    def report_of(wave: str) -> tuple[CountedReport, int | None]:
        row = waves[waves["wave"] == wave].iloc[0]
        wave_id = None if pd.isna(row["wave_id"]) else int(row["wave_id"])
        written = _of_wave(texts, wave_id).rename(
            columns={"text_language": "language", "language": "response_language"}
        )
        profiled = _of_wave(profile, wave_id).drop(columns=unasked)
        counts = Counts(
            CountedWave(wave, str(row["label"]), bool(row["synthetic"]), profiled),
            _of_wave(answers, wave_id),
            written,
        )
        return CountedReport(slug, definition, counts, lookups, RULES), wave_id

    report, wave_id = report_of(main)
    before = report_of(earlier)[0] if earlier else None
    described = sample(
        slug, definition["title"], report.main.wave, before.main.wave if before else None, RULES
    )
    tables: dict[str, Table] = {}
    for identifier in asked:
        parts = identifier.split(".")
        if len(parts) == 3 and parts[1] in questions:
            made = report.table(parts[1], parts[2])
        elif parts[-1] == "free_text":
            made = report.free_text()
        elif parts[-1] == "themes":
            made = report.themes(*_theme_ticks(report.main.texts["text"]))
        else:
            made = None
        if made is not None:
            tables[made.id] = made
    if before is not None:
        tables.update((t.id, t) for t in wave_tables(report, before))
    statements = build_statements(Evidence(tables, {slug: described}, lookups.most_deprived))
    whole = Report(tables, tuple(statements), (described,), RULES, lookups.most_deprived)
    # Statements about the other survey say only that it is not in this report.
    headlines = tuple(_headline(s) for s in statements if s.table is not None or s.figures)
    shown = Figures(whole, headlines, sentiment=_sentiment_coverage(report.main.texts))
    return _Counted(shown, report, wave_id, frozenset(questions if earlier else read))


def _theme_ticks(texts: pd.Series) -> tuple[pd.DataFrame, dict[str, str]]:
    """The codebook's themes found in each of ``texts`` (a row per distinct text), and their names.
    A text's themes never change, so each is matched once, as the shipped codebook is read once."""
    known = app_cache("dashboard.themes", size=200_000)
    if "codebook" not in (read := app_cache("dashboard.codebook", size=1)):
        read["codebook"] = load_codebook()
    codebook = read["codebook"]
    distinct = list(dict.fromkeys(texts))
    new = [t for t in distinct if t not in known]
    if new:
        found = theme_indicators(pd.Series(new), codebook)
        for text, ticks in zip(new, found.to_numpy(), strict=True):
            known[text] = ticks
        columns = list(found.columns)
    else:
        columns = [*codebook.ids, "no_theme"]
    ticks = pd.DataFrame([known[t] for t in distinct], index=distinct, columns=columns)
    return ticks, {theme.id: theme.label for theme in codebook.themes}


def _sentiment_coverage(texts: pd.DataFrame) -> dict | None:
    """How many of these responses' free-text answers were scored for sentiment, per language.
    Whether an answer is scored depends only on its text and language tag: each is scored once."""
    written = texts[texts["text"] != ""]
    if written.empty:
        return None
    known = app_cache("dashboard.sentiment", size=200_000)
    tags = written["language"].fillna("").replace("", "en").to_numpy()
    scored = []
    for text, tag in zip(written["text"], tags, strict=True):
        if (text, tag) not in known:
            known[text, tag] = sentiment(text, tag) is not None
        scored.append(known[text, tag])
    scored = np.array(scored, dtype=bool)
    counts, keys = written["count"].to_numpy(np.int64), written["key"].to_numpy(np.int64)

    def published(among: np.ndarray) -> int:
        return int(RULES.published(np.array(counts[among].sum()), np.array(keys[among].sum())))

    # Most first by the figures shown: the true order would rank the withheld ones.
    found = {tag: published(scored & (tags == tag)) for tag in sorted(set(tags[scored]))}
    languages = {tag: _display(found[tag]) for tag in sorted(found, key=lambda t: (-found[t], t))}
    return {
        "answers": _display(published(np.ones(len(written), dtype=bool))),
        "scored": _display(published(scored)),
        "languages": languages,
    }
