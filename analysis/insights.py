"""The "Community Insights" statements of the Strategic Needs Assessment, from published tables.

Each statement is a plain-English sentence with its figures (percentage, 95% Wilson interval, base)
and the table and cell every figure comes from, so an analyst can check it against the workbook.
Statements read only ``Table`` objects, which hold no hidden value: a figure that disclosure control
withholds is reported as withheld, never as a number.

Definitions (also in the methods note of ``insights.md``):

1. Unsafe after dark: ``safe_area_dark`` is "A bit unsafe" or "Very unsafe"; not always safe:
   anything but "Very safe". Bases leave out "Don't know", "Doesn't apply to me", "Prefer not to
   say" and no answer. Most deprived areas: districts in the most deprived deprivation quintile any
   district reaches (``analysis.districts.most_deprived``).
2. Places: ``places_unsafe`` options ticked, of those who ticked any, without "Somewhere else" and
   "None of these"; and the ``safe_*`` settings by the share feeling unsafe.
3. Never thought about carrying: ``thought_about_carrying`` is "No" (base: "Yes" or "No"); reasons:
   ``carry_reasons`` options, of those who ticked any reason ("Prefer not to say" alone is no
   reason, so not in the base), without "Another reason".
4. Carrying: ``ever_carried`` is "Yes, in the last 12 months" (recent) or either "Yes" (ever); base
   leaves out "Prefer not to say". Change between waves tested with ``analysis.stats.compare_waves``,
   Benjamini-Hochberg across every answer of every question of the survey.
5. Carries or knows a carrier: see ``analysis.reporting.derived``.
6. Frequently saw drug dealing: community ``seen_drug_dealing`` is "Frequently"; base leaves out
   "Don't know".
7. Causes: ``violence_causes`` options, of those who ticked any, without "Something else" and
   "I don't know"; themes of free-text answers about causes if given.
8. Suggestions: themes of the free-text suggestion questions if given, else pending.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from analysis.districts import MostDeprived
from analysis.reporting.phrases import (
    POINTS,
    WITHHELD,
    Figure,
    claim,
    figure,
    listing,
    points,
    published,
    q_value,
    quote,
    ranked,
    sentence,
    withheld,
)
from analysis.reporting.selection import SurveySample
from analysis.reporting.tables import Table, table_id
from analysis.stats.disclosure import TOTAL

YOUNG_PEOPLE = "young-people"
COMMUNITY = "community"
TOP = 3

#: Free-text questions whose themes feed statement 7 (causes) and statement 8 (suggestions).
CAUSE_QUESTIONS = ("violence_causes_other", "why_carry_knives", "causes_of_violence")
SUGGESTION_QUESTIONS = ("one_thing_safer", "anything_else", "make_area_safer", "for_young_people")

#: The ``safe_*`` settings, as a sentence names them.
SETTINGS = {
    "safe_area_day": "in their local area during the day",
    "safe_area_dark": "in their local area after dark",
    "safe_school": "at school or college",
    "safe_bus": "on buses",
    "safe_school_journey": "going to and from school or college",
    "safe_town_centre": "in the town or city centre",
    "safe_online": "online",
}
UNSAFE = "Feel unsafe"
NOT_PLACES = ("other", "none_of_these")
NOT_REASONS = ("other", "prefer_not_to_say")
NOT_CAUSES = ("other", "dont_know")


@dataclass(frozen=True)
class Statement:
    """One SNA statement. ``table`` is the id of the table most of its figures come from (each
    figure names its own); ``suppressed`` says a figure it needed, or a candidate for a ranking,
    was withheld."""

    id: int
    title: str
    text: str
    figures: list[Figure] = field(default_factory=list)
    table: str | None = None
    suppressed: bool = False


@dataclass(frozen=True)
class Evidence:
    """What statements may read: published tables, and which wave each survey reports."""

    tables: Mapping[str, Table]
    samples: Mapping[str, SurveySample]
    most_deprived: MostDeprived

    def table(self, survey: str, question: str, *breakdowns: str) -> Table | None:
        """The first of ``survey``'s tables of ``question`` by one of ``breakdowns`` that exists."""
        for breakdown in breakdowns or ("overall",):
            found = self.tables.get(table_id(survey, question, breakdown))
            if found is not None:
                return found
        return None

    @property
    def most_deprived_names(self) -> str:
        return ", ".join(self.most_deprived.names)


def _overall_figures(table: Table | None, leave_out: tuple[str, ...]) -> list[Figure | None]:
    """A figure for each outcome of ``table``'s overall column but ``leave_out``."""
    if table is None:
        return []
    cells = table.cells[(table.cells["group"] == TOTAL) & ~table.cells["outcome"].isin(leave_out)]
    return [figure(table, TOTAL, o, label) for o, label in cells[["outcome", "outcome_label"]].values]


def _missing(number: int, title: str, survey: str) -> Statement:
    who = "young people's" if survey == YOUNG_PEOPLE else "community"
    return Statement(number, title, f"No {who} survey responses are in this report, so this cannot be said.")


def _is_suppressed(figures: list[Figure | None]) -> bool:
    return any(withheld(f) for f in figures)


def _kept(figures: list[Figure | None]) -> list[Figure]:
    return [f for f in figures if f is not None]


def feeling_unsafe(evidence: Evidence) -> Statement:
    title = "Feeling unsafe"
    if YOUNG_PEOPLE not in evidence.samples:
        return _missing(1, title, YOUNG_PEOPLE)
    table = evidence.table(YOUNG_PEOPLE, "safe_area_dark", "deprivation_group", "overall")
    where = "walking alone in their local area after dark"
    unsafe = figure(table, TOTAL, "unsafe", "Feel unsafe after dark (all)")
    not_always = figure(table, TOTAL, "not_always_safe", "Do not always feel safe after dark (all)")
    deprived_unsafe = figure(table, "most_deprived", "unsafe", "Feel unsafe after dark (most deprived areas)")
    deprived_not_always = figure(
        table, "most_deprived", "not_always_safe", "Do not always feel safe after dark (most deprived areas)"
    )
    overall = sentence(
        claim(
            unsafe,
            f"of young people feel a bit or very unsafe {where}",
            f"of young people who feel a bit or very unsafe {where}",
        )
        + ", and "
        + claim(not_always, "do not always feel safe there", "who do not always feel safe there")
    )
    areas = f"in the most deprived areas ({evidence.most_deprived_names})"
    if deprived_unsafe is None and deprived_not_always is None:
        # None there at all, or so few that they are counted with other small groups.
        deprived = sentence(f"Too few young people {areas} answered for their figures to be shown")
    else:
        deprived = sentence(
            f"{areas}, "
            + claim(deprived_unsafe, "feel unsafe", "who feel unsafe")
            + " and "
            + claim(deprived_not_always, "do not always feel safe", "who do not always feel safe")
        )
    figures = [unsafe, not_always, deprived_unsafe, deprived_not_always]
    return Statement(
        1,
        title,
        f"{overall} {deprived}",
        _kept(figures),
        table.id if table else None,
        _is_suppressed(figures),
    )


def places_least_safe(evidence: Evidence) -> Statement:
    title = "Where young people feel least safe"
    if YOUNG_PEOPLE not in evidence.samples:
        return _missing(2, title, YOUNG_PEOPLE)
    places = evidence.table(YOUNG_PEOPLE, "places_unsafe")
    top_places, places_hidden = ranked(_overall_figures(places, NOT_PLACES), TOP)
    settings = [
        figure(evidence.table(YOUNG_PEOPLE, q), TOTAL, "unsafe", f"{UNSAFE} {where}")
        for q, where in SETTINGS.items()
    ]
    top_settings, settings_hidden = ranked(settings, TOP)
    parts = []
    if top_places:
        parts.append(
            "The places young people most often said they feel unsafe, of those who answered the "
            f"places question: {listing(top_places)}"
        )
    if places_hidden:
        parts.append(f"Figures for {'some other' if top_places else 'the'} places are {WITHHELD}")
    if top_settings:
        named = "; ".join(f"{f['label'].removeprefix(UNSAFE).strip()} {quote(f)}" for f in top_settings)
        parts.append(
            "Asked how safe they feel in different settings, young people most often felt a bit or very "
            f"unsafe: {named}"
        )
    elif settings_hidden:
        parts.append(f"Figures for feeling unsafe in different settings are {WITHHELD}")
    if not parts:
        parts.append("No young people answered the questions about places")
    return Statement(
        2,
        title,
        " ".join(sentence(p) for p in parts),
        [*top_places, *top_settings],
        places.id if places else None,
        places_hidden or (settings_hidden and not top_settings),
    )


def thought_about_carrying(evidence: Evidence) -> Statement:
    title = "Thinking about carrying a knife"
    if YOUNG_PEOPLE not in evidence.samples:
        return _missing(3, title, YOUNG_PEOPLE)
    thought = evidence.table(YOUNG_PEOPLE, "thought_about_carrying")
    never = figure(thought, TOTAL, "no", "Never thought about carrying a knife or weapon")
    reasons_table = evidence.table(YOUNG_PEOPLE, "carry_reasons")
    reasons, reasons_hidden = ranked(_overall_figures(reasons_table, NOT_REASONS), TOP)
    text = sentence(
        claim(
            never,
            "of young people have never thought about carrying a knife or weapon",
            "of young people who have never thought about carrying a knife or weapon",
        )
    )
    if reasons:
        text += " " + sentence(
            f"Among those who had and gave a reason, the main reasons were: {listing(reasons)}"
        )
    elif reasons_hidden:
        text += " " + sentence(f"The reasons given by those who had are {WITHHELD}")
    figures = [never, *reasons]
    return Statement(
        3,
        title,
        text,
        _kept(figures),
        thought.id if thought else None,
        _is_suppressed([never]) or reasons_hidden,
    )


def _change_row(changes: Table, outcome: str) -> pd.Series | None:
    rows = changes.cells[
        (changes.cells["question"] == "ever_carried") & (changes.cells["outcome"] == outcome)
    ]
    return None if rows.empty else rows.iloc[0]


def _change_figure(changes: Table, row: pd.Series, label: str) -> Figure:
    return Figure(
        label=label,
        percent=float(row["change_points"]),
        ci_low=float(row["change_low"]),
        ci_high=float(row["change_high"]),
        count_display="",
        base=None,
        table=changes.id,
        cell=f"question=ever_carried; outcome={row['outcome']}",
        unit=POINTS,
    )


def carrying_over_time(evidence: Evidence) -> Statement:
    title = "Self-reported carrying, wave on wave"
    sample = evidence.samples.get(YOUNG_PEOPLE)
    if sample is None:
        return _missing(4, title, YOUNG_PEOPLE)
    measures = {
        "yes_last_12_months": (
            "have carried a knife or weapon in the last 12 months",
            "Carried in the last 12 months",
        ),
        "ever": ("have ever carried a knife or weapon", "Ever carried"),
    }
    changes = evidence.tables.get(f"{YOUNG_PEOPLE}.wave_changes")
    if sample.compare_wave is None or changes is None:
        table = evidence.table(YOUNG_PEOPLE, "ever_carried")
        found = {o: figure(table, TOTAL, o, label) for o, (_, label) in measures.items()}
        said = " and ".join(
            claim(found[o], f"of young people say they {words}", f"who say they {words}")
            for o, (words, _) in measures.items()
        )
        text = (
            f"Only one wave ({sample.wave_label}) is in this report, so change over time cannot be "
            f"tested yet. {sentence(said)}"
        )
        figures = list(found.values())
        return Statement(4, title, text, _kept(figures), table.id if table else None, _is_suppressed(figures))
    by_wave = evidence.table(YOUNG_PEOPLE, "ever_carried", "wave")
    sentences, figures, hidden = [], [], False
    for outcome, (words, label) in measures.items():
        before = figure(by_wave, sample.compare_wave, outcome, f"{label} ({sample.compare_label})")
        after = figure(by_wave, sample.wave, outcome, f"{label} ({sample.wave_label})")
        row = _change_row(changes, outcome)
        if row is None:
            sentences.append(f"The share who {words} cannot be compared: it was not asked in both waves")
            continue
        if not (bool(row["reportable"]) and published(before) and published(after)):
            hidden = True
            sentences.append(f"The change in the share who {words} is {WITHHELD}")
            continue
        assert before is not None and after is not None
        verdict = "a statistically" if bool(row["significant"]) else "not a statistically"
        sentences.append(
            f"The share of young people who {words} went from {quote(before)} in {sample.compare_label} "
            f"to {quote(after)} in {sample.wave_label}, a change of {points(row['change_points'])} "
            f"percentage points (95% CI {points(row['change_low'])} to {points(row['change_high'])}): "
            f"{verdict} significant change ({q_value(row['q_value'])}, Benjamini-Hochberg false "
            f"discovery rate across {int(row['family_size']):,} wave-on-wave comparisons)"
        )
        figures += [
            before,
            after,
            _change_figure(changes, row, f"Change: {label.lower()} (percentage points)"),
        ]
    return Statement(4, title, " ".join(sentence(s) for s in sentences), figures, changes.id, hidden)


def carry_or_know_by_deprivation(evidence: Evidence) -> Statement:
    title = "Carrying or knowing someone who carries, by deprivation"
    if YOUNG_PEOPLE not in evidence.samples:
        return _missing(5, title, YOUNG_PEOPLE)
    table = evidence.table(YOUNG_PEOPLE, "carries_or_knows_carrier", "deprivation_group")
    what = "have carried a knife or weapon in the last 12 months or know someone who carries a knife"
    deprived = figure(table, "most_deprived", "yes", "Carry or know a carrier (most deprived areas)")
    others = figure(table, "other_areas", "yes", "Carry or know a carrier (other areas)")
    areas = f"in the most deprived areas ({evidence.most_deprived_names})"
    comparison = (
        f", compared with {quote(others)} in other areas"
        if published(others)
        else "; " + claim(others, "", "in other areas")
    )
    text = sentence(
        f"{areas}, " + claim(deprived, f"of young people {what}", f"of young people who {what}") + comparison
    )
    figures = [deprived, others]
    return Statement(5, title, text, _kept(figures), table.id if table else None, _is_suppressed(figures))


def drug_dealing(evidence: Evidence) -> Statement:
    title = "Witnessing drug dealing"
    if COMMUNITY not in evidence.samples:
        return _missing(6, title, COMMUNITY)
    table = evidence.table(COMMUNITY, "seen_drug_dealing")
    seen = figure(table, TOTAL, "frequently", "Frequently saw drug dealing in the last 12 months")
    what = "frequently saw drug dealing in their area in the last 12 months"
    text = sentence(claim(seen, f"of adults in the community survey {what}", f"of adults who {what}"))
    return Statement(6, title, text, _kept([seen]), table.id if table else None, _is_suppressed([seen]))


def _themes(table: Table | None, questions: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """Per question asked, in the order of ``questions``: the question's wording and a phrase for
    each of its most mentioned published themes. A theme named for two questions is named once
    for each, with its own question, never twice in one list."""
    if table is None:
        return []
    cells = table.cells[table.cells["question"].isin(questions) & (table.cells["count"] > 0)]
    found = []
    for question in questions:
        asked = cells[cells["question"] == question]
        if asked.empty:
            continue
        wording = str(asked["question_label"].iloc[0])
        top = asked.sort_values(["count", "outcome"], ascending=[False, True]).head(TOP)
        pairs = [
            (theme, figure(table, g, o, f"{theme} (“{wording}”)"))
            for g, o, theme in top[["group", "outcome", "outcome_label"]].values
        ]
        found.append((wording, [(theme, fig) for theme, fig in pairs if fig is not None]))
    return [(wording, figures) for wording, figures in found if figures]


def _theme_phrase(theme: str, fig: Figure) -> str:
    if published(fig):
        return f"{theme} ({fig['count_display']} answers; {quote(fig)})"
    return f"{theme} ({fig['count_display']} answers; the share is {WITHHELD})"


def _written(table: Table | None, questions: tuple[str, ...]) -> list[Figure]:
    """How many wrote an answer to each of ``questions`` that the survey asks."""
    if table is None:
        return []
    asked = table.cells[table.cells["question"].isin(questions)]
    return _kept(
        [figure(table, q, "answered", label) for q, label in asked[["group", "question_label"]].values]
    )


def free_text(evidence: Evidence, questions: tuple[str, ...], topic: str) -> tuple[list[str], list[Figure]]:
    """Per survey that asks any of ``questions``: its themes if given, else that they are pending
    and how many written answers wait to be themed."""
    sentences: list[str] = []
    figures: list[Figure] = []
    for survey, sample in evidence.samples.items():
        written = _written(evidence.tables.get(f"{survey}.free_text"), questions)
        themes = _themes(evidence.tables.get(f"{survey}.themes"), questions)
        name = sample.title[:1].lower() + sample.title[1:]
        if themes:
            sentences.append(
                f"In the {name}, the themes mentioned most in free-text answers about {topic} were, "
                + "; ".join(
                    f"to “{wording}”: " + ", ".join(_theme_phrase(theme, fig) for theme, fig in found)
                    for wording, found in themes
                )
            )
            figures += [fig for _, found in themes for _, fig in found]
        elif written:
            waiting = "; ".join(f"{f['count_display']} to “{f['label']}”" for f in written)
            sentences.append(
                f"Themes from the {name} free-text answers about {topic} are pending: the theme analysis "
                f"has not been run for this wave (written answers waiting: {waiting})"
            )
            figures += written
    return sentences, figures


def causes(evidence: Evidence) -> Statement:
    title = "Causes of violence named"
    table = evidence.table(YOUNG_PEOPLE, "violence_causes") if YOUNG_PEOPLE in evidence.samples else None
    named, hidden = ranked(_overall_figures(table, NOT_CAUSES), TOP + 2)
    sentences = []
    if named:
        sentences.append(f"Causes of violence young people named most often: {listing(named)}")
    elif hidden:
        sentences.append(f"The causes young people named are {WITHHELD}")
    themed, theme_figures = free_text(evidence, CAUSE_QUESTIONS, "causes")
    sentences += themed
    if not sentences:
        sentences.append("No answers about the causes of violence are in this report")
    return Statement(
        7,
        title,
        " ".join(sentence(s) for s in sentences),
        [*named, *theme_figures],
        table.id if table else None,
        hidden,
    )


def suggestions(evidence: Evidence) -> Statement:
    title = "Suggestions"
    sentences, figures = free_text(evidence, SUGGESTION_QUESTIONS, "what would help")
    if not sentences:
        sentences.append("No free-text suggestions are in this report")
    return Statement(
        8, title, " ".join(sentence(s) for s in sentences), figures, figures[0]["table"] if figures else None
    )


STATEMENTS: tuple[Callable[[Evidence], Statement], ...] = (
    feeling_unsafe,
    places_least_safe,
    thought_about_carrying,
    carrying_over_time,
    carry_or_know_by_deprivation,
    drug_dealing,
    causes,
    suggestions,
)


def build_statements(evidence: Evidence) -> list[Statement]:
    """Statements 1 to 8, in order."""
    return [make(evidence) for make in STATEMENTS]
