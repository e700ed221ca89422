"""Tables from counts a database made (``GROUP BY``), for views that must come quickly: the staff
dashboard.

``build_report`` reads every response as a row. Under cell-key perturbation
(``DisclosureRules.perturbation``) a figure depends only on how many people it holds and the sum
of their record keys, and both add up, so a database can count them, by answer and by the values
of the breakdowns, and hand over a few thousand rows instead of every response. The tables made
here from those counts are the tables ``build_report`` makes from the same responses with the same
rules, figure for figure; only the tables asked for are made. Exact (audited) tables need every
breakdown of a question protected together, and stay with ``build_report``.

The counts of one wave (``Counts``), each row with ``count`` and ``key`` (the sum of record keys)
and the values of ``PROFILE_COLUMNS`` (missing values None):

* ``profile``: the responses, with ``first_month`` and ``last_month``;
* ``answers``: per ``question`` (a ``ChoiceQuestion.id``) and ``value``, the answer, or for a
  multiple-choice question an option ticked or ``ANY_OPTION``, any counted option; a derived
  question (``analysis.reporting.derived``) has its sources' answers in columns of their own;
* ``texts``: per free-text ``question`` and ``text`` (and ``language``, the answer's tag).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.districts import add_area_lookup
from analysis.insights import Evidence, build_statements
from analysis.questionnaire import MULTI, ChoiceQuestion, Definition, choice_questions, text_items
from analysis.reporting.breakdowns import (
    BREAKDOWNS,
    BY_DISTRICT,
    OVERALL,
    add_breakdown_columns,
    breakdowns_for,
    district_groups,
    group_labels,
)
from analysis.reporting.changes import change_table, wave_crosstab
from analysis.reporting.coarsen import coarsen
from analysis.reporting.counts import theme_table, written_table
from analysis.reporting.derived import CARRIES_OR_KNOWS, SOURCES, carries_or_knows
from analysis.reporting.selection import (
    NOT_RECORDED,
    SurveySample,
    display_size,
    perturbed_shares,
    real_waves,
)
from analysis.reporting.survey import DEPRIVATION_COLUMNS, Lookups
from analysis.reporting.tables import Table, TableContext, publish, stat_item
from analysis.stats import Crosstab, DisclosureRules
from analysis.stats.crosstab import ANY_OPTION, breakdown_groups, perturbed_crosstab
from analysis.stats.disclosure import TOTAL

#: The column ``analysis.themes.theme_indicators`` ticks for an answer with no theme.
NO_THEME = "no_theme"
#: The columns of a profile that hold breakdown values.
PROFILE_COLUMNS = ("area", "age_band", "language", "channel")


@dataclass(frozen=True)
class CountedWave:
    """One wave of one survey, counted by a database under a view's filters (see the module)."""

    key: str
    label: str
    synthetic: bool
    profile: pd.DataFrame

    @property
    def count(self) -> int:
        return int(self.profile["count"].sum())

    @property
    def key_sum(self) -> int:
        return int(self.profile["key"].sum())


def choose_waves(waves: pd.DataFrame, wave: str) -> tuple[str, str | None] | None:
    """The report wave and the wave it is compared with, as ``analysis.reporting.selection.select``
    chooses them, from one row per wave with responses: ``wave, synthetic, first_month,
    last_month``. None if ``wave`` has no responses."""
    if wave not in set(waves["wave"]):
        return None
    # Two rows per wave, its first and last month: all that ordering the real waves reads.
    months = pd.concat(
        [
            waves[["wave", "synthetic"]].assign(month=waves["first_month"]),
            waves[["wave", "synthetic"]].assign(month=waves["last_month"]),
        ]
    )
    order = real_waves(months)
    synthetic = bool(waves.loc[waves["wave"] == wave, "synthetic"].iloc[0])
    if synthetic or order.index(wave) == 0:
        return wave, None
    return wave, order[order.index(wave) - 1]


def sample(
    survey: str, title: str, main: CountedWave, compare: CountedWave | None, rules: DisclosureRules
) -> SurveySample:
    """The sample as ``analysis.reporting.selection.describe`` gives it."""
    profile = main.profile

    def shares(column: str) -> dict[str, str]:
        values = profile[column].astype("string").fillna(NOT_RECORDED)
        grouped = profile.groupby(values.to_numpy())
        return perturbed_shares(grouped["count"].sum(), grouped["key"].sum(), rules)

    def size(wave: CountedWave) -> str:
        return display_size(int(rules.published(np.array(wave.count), np.array(wave.key_sum))), rules)

    return SurveySample(
        survey=survey,
        title=title,
        wave=main.key,
        wave_label=main.label,
        synthetic=main.synthetic,
        responses=size(main),
        first_month=str(profile["first_month"].min()),
        last_month=str(profile["last_month"].max()),
        languages=shares("language"),
        channels=shares("channel"),
        compare_wave=compare.key if compare else None,
        compare_label=compare.label if compare else None,
        compare_responses=size(compare) if compare else None,
    )


def prepared_profile(profile: pd.DataFrame, definition: Definition, lookups: Lookups) -> pd.DataFrame:
    """``profile`` with every breakdown column ``survey_tables`` gives the responses (deprivation
    from the area, age band and area in questionnaire order): a row per combination, so every
    breakdown's groups and sizes follow from it."""
    if "area" in profile:
        frame = add_area_lookup(profile, lookups.districts, lookups.deprivation)
    else:
        frame = profile.assign(**{c: pd.NA for c in DEPRIVATION_COLUMNS})
    return add_breakdown_columns(frame, definition, lookups.most_deprived)


def questions_of(definition: Definition) -> dict[str, ChoiceQuestion]:
    """Every question a report tabulates, derived ones included, by id."""
    questions = choice_questions(definition)
    if set(SOURCES) <= {q.id for q in questions}:
        questions.append(CARRIES_OR_KNOWS)
    return {q.id: q for q in questions}


class _Asked(Mapping):
    """No tables, but a record of every table id asked for."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def __getitem__(self, key: str) -> Table:
        self.ids.append(key)
        raise KeyError(key)

    def get(self, key: str, default: Table | None = None) -> Table | None:
        self.ids.append(key)
        return default

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def statement_tables(samples: Sequence[SurveySample], lookups: Lookups) -> list[str]:
    """The ids of the tables the SNA statements read for these samples: the statements are run
    once on no tables, and every table they look for is noted."""
    asked = _Asked()
    build_statements(Evidence(asked, {s.survey: s for s in samples}, lookups.most_deprived))
    return list(dict.fromkeys(asked.ids))


@dataclass(frozen=True)
class Counts:
    """What a database counted for one wave: the profile, answers and free-text answers."""

    wave: CountedWave
    answers: pd.DataFrame
    texts: pd.DataFrame


class CountedReport:
    """The tables of one wave from its counts, made as they are asked for (see the module)."""

    def __init__(
        self,
        survey: str,
        definition: Definition,
        main: Counts,
        lookups: Lookups,
        rules: DisclosureRules,
    ):
        self.survey, self.definition, self.main, self.lookups, self.rules = (
            survey,
            definition,
            main,
            lookups,
            rules,
        )
        self.context = TableContext(survey, main.wave.key, main.wave.synthetic)
        self.questions = questions_of(definition)
        self.profile = prepared_profile(main.wave.profile, definition, lookups)
        self.answers = _by_question(main.answers, self.questions)
        self.answered = [q for q in self.questions if q in self.answers]

    def with_answers(self, answers: pd.DataFrame) -> CountedReport:
        """This report, knowing ``answers`` too: counts of questions it was not given (in the
        columns of ``Counts.answers``, of the same wave and responses)."""
        made = copy.copy(self)
        made.answers = {**self.answers, **_by_question(answers, self.questions)}
        made.answered = [q for q in self.questions if q in made.answers]
        return made

    def breakdowns(self, question: str) -> list[str]:
        """The breakdowns ``question`` is tabulated by, as ``survey_tables`` chooses them."""
        return breakdowns_for(self.profile, question)

    def crosstab(self, question: str, breakdown: str) -> Crosstab | None:
        """``question`` by ``breakdown`` (None if the report has no such table)."""
        if question not in self.answered or breakdown not in self.breakdowns(question):
            return None
        if breakdown in BY_DISTRICT:
            by_area = self.crosstab(question, "area")
            return coarsen(by_area, district_groups(self.profile, breakdown), breakdown, self.rules)
        asked = self.questions[question]
        column = self.profile[breakdown]
        # In table order: a categorical's categories, else sorted; responses without a value last.
        sizes = self.profile["count"].groupby(column, observed=True, sort=True).sum().to_dict()
        missing = int(self.profile.loc[column.isna().to_numpy(), "count"].sum())
        if missing:
            sizes[None] = missing
        group_of, groups = breakdown_groups(sizes, self.rules.min_base)
        rows = self.answers[question]
        if breakdown == OVERALL:
            group = pd.Series("all", index=rows.index)
        else:
            group = rows[breakdown].map(lambda v: group_of[None if pd.isna(v) else v])
        outcome = rows["value"]
        if asked.kind == MULTI:
            outcome = outcome.where(outcome == ANY_OPTION, asked.id + "." + outcome)
        counts = rows["count"].groupby([outcome, group]).sum().unstack(fill_value=0)
        keys = rows["key"].groupby([outcome, group]).sum().unstack(fill_value=0)
        counts, keys = (f.reindex(columns=groups, fill_value=0) for f in (counts, keys))
        return perturbed_crosstab(stat_item(asked), breakdown, counts, keys, self.rules)

    def table(self, question: str, breakdown: str) -> Table | None:
        """The published table of ``question`` by ``breakdown``, titled as in a report."""
        crosstab = self.crosstab(question, breakdown)
        if crosstab is None:
            return None
        asked = self.questions[question]
        title = self.definition["title"]
        labels = group_labels(self.definition, breakdown, self.lookups.most_deprived)
        if breakdown == OVERALL:
            cells = crosstab.cells[crosstab.cells["group"] == TOTAL].reset_index(drop=True)
            shown = Crosstab(crosstab.item, crosstab.breakdown, cells, crosstab.tables)
            heading = f"{title}: {asked.label} (all respondents)"
        else:
            shown, heading = crosstab, f"{title}: {asked.label} (by {BREAKDOWNS[breakdown]})"
        return publish(shown, asked, self.context, labels, heading)

    def free_text(self) -> Table | None:
        texts = self.main.texts
        wrote = texts[texts["text"].str.strip().ne("")]
        questions = [i["id"] for i in text_items(self.definition)]
        counts = wrote.groupby("question")[["count", "key"]].sum().reindex(questions, fill_value=0)
        everyone = {"count": self.main.wave.count, "key": self.main.wave.key_sum}
        written = counts.rename_axis("question").reset_index()
        return written_table(written, everyone, self.definition, self.context, self.rules)

    def themes(self, ticks: pd.DataFrame, labels: Mapping[str, str]) -> Table | None:
        """The themes table, as ``build_report`` makes it from ``theme_counts``: ``ticks`` holds
        each text's ``analysis.themes.theme_indicators`` (indexed by the text), ``labels`` the
        themes' names."""
        texts = self.main.texts
        themes = [c for c in ticks.columns if c != NO_THEME]
        counts = []
        for asked in text_items(self.definition):
            rows = texts[texts["question"] == asked["id"]]
            if rows.empty:
                continue
            ticked = ticks.loc[rows["text"]].to_numpy()
            count, key = rows["count"].to_numpy(np.int64), rows["key"].to_numpy(np.int64)
            themed = ticked.any(axis=1)
            columns = [ticks.columns.get_loc(t) for t in themes]
            counts.append(
                pd.DataFrame(
                    {
                        "survey": self.survey,
                        "question": asked["id"],
                        "theme": [labels.get(t, t) for t in themes],
                        "count": [int(count[ticked[:, c]].sum()) for c in columns],
                        "base": int(count[themed].sum()),
                        "key": [int(key[ticked[:, c]].sum()) for c in columns],
                        "base_key": int(key[themed].sum()),
                        "wave": self.context.wave,
                    }
                )
            )
        if not counts:
            return None
        return theme_table(pd.concat(counts, ignore_index=True), self.definition, self.context, self.rules)


def wave_tables(later: CountedReport, earlier: CountedReport) -> list[Table]:
    """The tables by wave and of changes between the waves, as ``survey_tables`` makes them."""
    both = [q for q in later.answered if q in earlier.answered]
    labels = {earlier.context.wave: earlier.main.wave.label, later.context.wave: later.main.wave.label}
    pairs, tables = [], []
    for question in both:
        by_wave = wave_crosstab(
            earlier.crosstab(question, OVERALL),
            later.crosstab(question, OVERALL),
            earlier.context.wave,
            later.context.wave,
        )
        asked = later.questions[question]
        pairs.append((asked, by_wave))
        heading = f"{later.definition['title']}: {asked.label} (by wave)"
        tables.append(publish(by_wave, asked, later.context, labels, heading))
    if pairs:
        tables.append(
            change_table(pairs, earlier.context.wave, later.context.wave, later.context, later.rules)
        )
    return tables


def _by_question(answers: pd.DataFrame, questions: Mapping[str, ChoiceQuestion]) -> dict[str, pd.DataFrame]:
    """The answers of each question that has any."""
    answers = _with_derived(answers, questions)
    return dict(tuple(answers[answers["count"] > 0].groupby("question", sort=False)))


def _with_derived(answers: pd.DataFrame, questions: Mapping[str, ChoiceQuestion]) -> pd.DataFrame:
    """``answers`` with a derived question's answers worked out from its sources' answers."""
    columns = ["question", "value", *PROFILE_COLUMNS, "count", "key"]
    derived = answers["question"] == CARRIES_OR_KNOWS.id
    if CARRIES_OR_KNOWS.id not in questions or not derived.any():
        return answers.loc[~derived, columns]
    sources = answers[derived].reset_index(drop=True)
    value = carries_or_knows(sources[list(SOURCES)].astype("string"))
    made = sources.assign(value=value)[value.notna().to_numpy()]
    return pd.concat([answers.loc[~derived, columns], made[columns]], ignore_index=True)
