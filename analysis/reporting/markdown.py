"""``insights.md``: the statements with their figures, then the methods note an SNA needs (also
used by the SNA report in the web app).

The methods note is generated from the same report object as the figures so that the sample
sizes, waves, rules and deprivation edition it states are always the ones actually used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.insights import Statement
from analysis.reporting.files import SYNTHETIC_BANNER
from analysis.reporting.phrases import POINTS, Figure, points
from analysis.reporting.selection import SurveySample
from analysis.reporting.tables import whole_percent

if TYPE_CHECKING:
    from analysis.report import Report

SYNTHETIC_NOTE = (
    "Every figure below comes from made-up demo responses. Do not quote, publish or compare them "
    "with real results."
)
DEFINITIONS = (
    "**1.** *Unsafe*: “A bit unsafe” or “Very unsafe” walking alone in the local area after dark "
    "(`safe_area_dark`). *Not always safe*: any answer but “Very safe”. “Don't know”, “Doesn't "
    "apply to me”, “Prefer not to say” and no answer are left out of the base.",
    "**2.** Places: options of `places_unsafe` ticked, as a share of those who ticked any option "
    "(“Somewhere else” and “None of these” are not ranked); settings: the share feeling unsafe in "
    "each `safe_*` statement, with the base defined as in 1. The three largest published figures "
    "of each are given.",
    "**3.** *Never thought about carrying*: `thought_about_carrying` is “No”, of those answering "
    "“Yes” or “No”. Reasons: `carry_reasons` options as a share of those who ticked any reason "
    "(ticking only “Prefer not to say” gives no reason and is left out of the base; “Another "
    "reason” is not ranked). In every multiple-choice table “Prefer not to say” is no answer.",
    "**4.** *Carried recently*: `ever_carried` is “Yes, in the last 12 months”; *ever carried*: "
    "either “Yes” answer; “Prefer not to say” is left out of the base. Change between waves: "
    "two-proportion z-test (Fisher's exact test when an expected count is below 5), with "
    "Benjamini-Hochberg q-values across every answer and summary of every question of the survey "
    "compared between the two waves; significant means q < 0.05. The interval of a change is "
    "Newcombe's hybrid score interval.",
    "**5.** *Carries or knows a carrier*: carried in the last 12 months (`ever_carried`) or knows "
    "someone who carries (`know_someone_carries` is “Yes”). *No*: neither, with both questions "
    "answered. Anyone else who answered either question (“Don't know”, “Prefer not to say”, one "
    "skipped) is left out of the base.",
    "**6.** `seen_drug_dealing` is “Frequently” (community survey); “Don't know” is left out of the base.",
    "**7.** Options of `violence_causes` as a share of young people who ticked any (“Something else” "
    "and “I don't know” not ranked); free-text themes for `violence_causes_other`, "
    "`why_carry_knives` and `causes_of_violence` when the theme analysis has been run.",
    "**8.** Free-text themes for `one_thing_safer`, `anything_else`, `make_area_safer` and "
    "`for_young_people` when the theme analysis has been run; until then, the number of written "
    "answers waiting.",
)


def _value(fig: Figure) -> tuple[str, str]:
    """The figure and its interval as the figures table shows them."""
    if fig["percent"] is None or fig["ci_low"] is None or fig["ci_high"] is None:
        return ("withheld" if fig["percent"] is None else whole_percent(fig["percent"])), ""
    if fig["unit"] == POINTS:
        return f"{points(fig['percent'])} points", f"{points(fig['ci_low'])} to {points(fig['ci_high'])}"
    return whole_percent(fig["percent"]), f"{whole_percent(fig['ci_low'])} to {whole_percent(fig['ci_high'])}"


def _figure_row(fig: Figure) -> str:
    shown, interval = _value(fig)
    base = "" if fig["base"] is None else f"{fig['base']:,}"
    return (
        f"| {fig['label']} | {shown} | {interval} | {fig['count_display']} | {base} | "
        f"`{fig['table']}` | {fig['cell']} |"
    )


def _statement(statement: Statement) -> list[str]:
    lines = [f"### {statement.id}. {statement.title}", "", statement.text, ""]
    if statement.figures:
        lines += [
            "| Figure | % | 95% CI | Count | Base | Table | Cell |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *(_figure_row(f) for f in statement.figures),
            "",
        ]
    elif statement.table:
        lines += [f"Table: `{statement.table}`", ""]
    return lines


def _sample(sample: SurveySample) -> str:
    compared = " No earlier wave to compare with."
    if sample.compare_wave:
        compared = (
            f" Compared with {sample.compare_label} (`{sample.compare_wave}`, "
            f"{sample.compare_responses} responses)."
        )
    languages = ", ".join(f"{k}: {v}" for k, v in sample.languages.items())
    channels = ", ".join(f"{k}: {v}" for k, v in sample.channels.items())
    return (
        f"**{sample.title}** (`{sample.survey}`): {sample.responses} responses in {sample.wave_label} "
        f"(`{sample.wave}`), fieldwork {sample.first_month} to {sample.last_month}.{compared} "
        f"Languages: {languages}. Channels: {channels}."
    )


@dataclass(frozen=True)
class MethodsSection:
    """One part of the methods note; paragraphs use Markdown's ``**``, ``*`` and backticks."""

    heading: str
    paragraphs: tuple[str, ...]
    bulleted: bool = False


def methods(report: Report) -> list[MethodsSection]:
    """The methods note: samples, definitions, intervals, disclosure control, deprivation, limits."""
    rules, most = report.rules, report.most_deprived
    samples = tuple(_sample(s) for s in report.samples) or ("No responses are in this report.",)
    return [
        MethodsSection("Samples", samples, bulleted=True),
        MethodsSection("Definitions", DEFINITIONS, bulleted=True),
        MethodsSection(
            "Percentages and intervals",
            (
                "Percentages are of those who answered, with the answers named in the definitions left out "
                "of the base; a multiple-choice option is a share of those who ticked at least one option. "
                "Intervals are 95% Wilson score intervals. Percentages are rounded to whole numbers, halves "
                "up.",
            ),
        ),
        MethodsSection(
            "Questionnaire versions",
            (
                "A survey's questionnaire changes over the years, and every version's answers are read "
                "together: questions and answers are labelled as the newest version words them. A question "
                "only some versions asked is a share of those who were asked it, never of those whose "
                "version did not have it. An answer a later version no longer offers is shown last, marked "
                "“(no longer offered)”, and a question no version asks any more is marked “(no longer "
                "asked)”: their figures count the answers given while they were offered. Within a wave "
                "answered on more than one version, a percentage of such an answer or multiple-choice "
                "option is still of everyone who answered the question, including those whose version did "
                "not offer it, so compare it across waves with care.",
            ),
        ),
        MethodsSection(
            "Disclosure control",
            (
                f"Groups of fewer than {rules.min_base} people are combined (“Other (small groups "
                "combined)”), in every table of a breakdown. "
                f"Counts from 1 to {rules.min_count - 1} are withheld, and so are further figures where they "
                "would let a withheld count be worked out or narrowed; every withheld figure is shown as "
                f"`{rules.suppressed_symbol}`, whether it is small or not. Every breakdown of a question is "
                "protected together, with its answers in the base, its “don't know” and “prefer not to "
                "say” answers and how many answered, as one set of figures; in a table by wave, each "
                "wave's figures are those of its own overall table. Before publication each question's "
                "tables are attacked with integer programming, as a reader who knows the group sizes "
                "could: more figures are withheld until no withheld figure can be narrowed to a range "
                f"less than {rules.min_count} wide. Where few people in a group gave no answer in the "
                "base, the base itself is withheld, since it would tell how few did not know or preferred "
                "not to say. “Don't know” and “prefer not to say” are shown as shares of everyone who "
                "answered the question. "
                "Tables by deprivation are built from the table by district, and show a figure only when it "
                "can already be worked out from the district figures shown, so that the same respondents "
                "(Leicester is a deprivation group on its own) are never protected in two different ways. "
                f"Percentages on a base below {rules.min_base} are not shown "
                f"(`{rules.low_base_symbol}`). A wave-on-wave change is only quoted when both percentages "
                "may be published and no count in either wave is small. A statement never quotes a withheld "
                "figure: it says the figure is withheld for disclosure control.",
            ),
        ),
        MethodsSection(
            "Deprivation",
            (
                f"Deprivation is looked up from the district answered, never asked: {most.edition}. A "
                "district's decile is the national decile of its median neighbourhood (LSOA); its quintile "
                "follows from the decile. “The most deprived areas” are the districts in the most deprived "
                "quintile that any district here reaches, "
                f"quintile {most.quintile}: {', '.join(most.names)}. "
                "This describes the district, not each respondent's own neighbourhood. Respondents who live "
                "somewhere else, don't know or prefer not to say are in no deprivation group.",
            ),
        ),
        MethodsSection(
            "Limits",
            (
                "These are self-selected samples: people chose to take part, and the results are not "
                "weighted to the population. They describe the people who answered and cannot be read as "
                "estimates for all young people or residents; the intervals show only the uncertainty "
                "that chance alone would give a random sample of the same size. Compare with national "
                "surveys (Crime Survey for England and Wales, Youth Endowment Fund) with care.",
            ),
        ),
    ]


def render(report: Report) -> str:
    """The whole ``insights.md``."""
    lines = []
    if report.synthetic:
        lines += [f"# {SYNTHETIC_BANNER}", "", f"> **SYNTHETIC DEMO DATA.** {SYNTHETIC_NOTE}", ""]
    lines += ["# Community Insights: survey findings", "", "## Statements", ""]
    for statement in report.statements:
        lines += _statement(statement)
    lines += ["## Methods", ""]
    for section in methods(report):
        lines += [f"### {section.heading}", ""]
        if section.bulleted:
            lines += [*(f"- {item}" for item in section.paragraphs), ""]
        else:
            for paragraph in section.paragraphs:
                lines += [paragraph, ""]
    return "\n".join(lines)
