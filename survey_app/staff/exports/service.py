"""Exports for analysts: responses (microdata) as CSV, XLSX with a codebook or SPSS .sav, and the
publication tables with disclosure control. Plain values in, bytes out; every export is audited.

Microdata is for analysis inside the VRN, and every file says so. Free text is typed by the public,
so any cell a spreadsheet would run as a formula gets an apostrophe in front of it.

Responses are read a batch at a time (``ResponseBatches``), so a survey of 50,000 responses is
never in memory at once: the CSV is written while it is sent, the XLSX's rows are written a batch
at a time into the compressed workbook (``analysis.reporting.files.save_with_rows``), and only the
SPSS file, which pyreadstat writes from one frame, holds every row, as compact numbers and text.
"""

from __future__ import annotations

import csv
import re
import tempfile
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.formulas import defuse_frame
from analysis.item_types import ITEM_TYPES, NUMBER_STORED, ItemType
from analysis.questionnaire import MULTI, SINGLE, choice_labels, items, kind_of, multi_column
from analysis.reporting.files import SYNTHETIC_BANNER, save_with_rows, worksheet_rows, write_workbook
from survey_app.accounts import record
from survey_app.models import CHANNEL_TYPES, Questionnaire, QuestionnaireVersion, Response, Wave
from survey_app.responses.read import NO_WAVE, NO_WAVE_LABEL, ResponseBatches
from survey_app.results import AnalysisRefused, read_definition, survey_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX, "sav": "application/x-spss-sav"}
ALL_WAVES = "all-waves"
ALL_WAVES_LABEL = "All real waves (synthetic demo responses left out)"
WARNING = (
    "Microdata: for analysis inside the Violence Reduction Network only. Do not publish it or "
    "share it outside the VRN, because small groups of answers can identify people. Free text "
    "has been redacted automatically but may still identify someone: read and quote it with care. "
    "Publish only the publication tables, which have disclosure control applied."
)
FORMULA_NOTE = (
    "Cells that begin with =, +, -, @, a tab or a carriage return have an apostrophe in "
    "front, so that spreadsheets show them as text instead of running them as formulas."
)
SPSS_NOTE = (
    "In the SPSS file, single-choice and rating-scale answers are stored as the number before "
    "each value in the codebook; multiple-choice options as 0 (not ticked) or 1 (ticked)."
)

TICKED = (("0", "No"), ("1", "Yes"))
NOT_TICKABLE = "Empty when the question was not answered, or the version answered did not offer this choice"
TEXT_NOTE = "Free text as typed, with names, contact details and the like redacted automatically"

# SPSS limits, in bytes of UTF-8.
MAX_NAME = 64
MAX_VARIABLE_LABEL = 256
MAX_VALUE_LABEL = 120
MAX_FILE_LABEL = 64
#: SPSS keeps notes as document lines of 80 bytes.
MAX_NOTE_LINE = 80
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9_@#]")
#: SPSS keywords that cannot name a variable.
_RESERVED = frozenset({"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"})


class ExportRefused(ValueError):
    """The export cannot be made as asked; the message says why and what to do."""


class UnknownWave(ExportRefused):
    pass


class NothingToExport(ExportRefused):
    pass


@dataclass(frozen=True)
class WaveChoice:
    """A wave an analyst can export; ``key`` None stands for every real wave together."""

    key: str | None
    label: str
    synthetic: bool
    responses: int


@dataclass(frozen=True)
class Export:
    filename: str
    mimetype: str
    #: the file a piece at a time: a CSV is read from the database while it is sent
    chunks: Iterable[bytes]


@dataclass(frozen=True)
class Variable:
    """One column of the responses export, as the codebook describes it."""

    name: str
    question: str
    #: the item's type, for an answer (``analysis.item_types``); what else it is, for the others
    type: str
    #: (value, label) pairs in questionnaire order; SPSS codes them 1, 2, 3...
    values: tuple[tuple[str, str], ...] = ()
    note: str = ""

    @property
    def kind(self) -> ItemType | None:
        """The kind of question it answers; None for the columns about the response."""
        return ITEM_TYPES.get(self.type)

    @property
    def coded(self) -> bool:
        """One of its ``values`` per response, which SPSS stores as its number 1, 2, 3..."""
        return self.kind is not None and self.kind.tabulated == SINGLE

    @property
    def ticked(self) -> bool:
        """Whether one option of a multiple choice was ticked: 0 or 1."""
        return self.kind is not None and self.kind.tabulated == MULTI

    @property
    def number(self) -> bool:
        return self.kind is not None and self.kind.stored == NUMBER_STORED


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def wave_choices(session: Session, survey: Questionnaire) -> list[WaveChoice]:
    """The survey's waves with their response counts: real ones first, synthetic ones last."""
    counted = session.execute(
        select(Wave.key, Wave.label, Wave.synthetic, func.count(Response.id))
        .outerjoin(Response, Response.wave_id == Wave.id)
        .where(Wave.questionnaire_id == survey.id)
        .group_by(Wave.id, Wave.key, Wave.label, Wave.synthetic)
        .order_by(Wave.synthetic, Wave.id)
    ).all()
    outside = session.scalar(
        select(func.count(Response.id))
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.version_id)
        .where(QuestionnaireVersion.questionnaire_id == survey.id, Response.wave_id.is_(None))
    )
    choices = [WaveChoice(NO_WAVE, NO_WAVE_LABEL, False, outside)] if outside else []
    return choices + [WaveChoice(key, label, synthetic, count) for key, label, synthetic, count in counted]


def chosen_wave(survey: Questionnaire, choices: Sequence[WaveChoice], key: str | None) -> WaveChoice:
    """The wave named by ``key``, or every real wave together when ``key`` is empty."""
    if not key:
        return WaveChoice(None, ALL_WAVES_LABEL, False, sum(c.responses for c in choices if not c.synthetic))
    for choice in choices:
        if choice.key == key:
            return choice
    known = ", ".join(c.key for c in choices if c.key) or "none yet"
    raise UnknownWave(
        f"The survey '{survey.slug}' has no wave '{key}'. Its waves are: {known}. "
        "Choose one of them, or none for all real waves."
    )


def _nothing_in(survey: Questionnaire, wave: WaveChoice) -> NothingToExport:
    if wave.key is None:
        return NothingToExport(
            f"The survey '{survey.slug}' has no real responses yet, so there is nothing "
            "to export. Choose the demo wave to try the exports with synthetic data."
        )
    return NothingToExport(
        f"The wave '{wave.key}' of '{survey.slug}' has no responses yet, so there is "
        "nothing to export. Choose another wave."
    )


def _descriptive(waves: Sequence[WaveChoice]) -> list[Variable]:
    return [
        Variable(
            "response_id",
            "A random identifier of the response; it cannot be linked to a person",
            "identifier",
        ),
        Variable(
            "wave",
            "The round of fieldwork the response belongs to",
            "code",
            tuple((w.key, w.label) for w in waves if w.key),
        ),
        Variable(
            "month",
            "The month the response was sent; the day and time are never kept",
            "month",
            note="YYYY-MM",
        ),
        Variable("language", "The language the survey was answered in", "code", note="A language code"),
        Variable(
            "channel",
            "The kind of link the response came through",
            "code",
            tuple((t, t.replace("_", " ")) for t in CHANNEL_TYPES),
            note="Empty for the survey's own address",
        ),
        Variable(
            "channel_area",
            "The district that link serves",
            "code",
            note="A value of the area question; empty when the link serves no one district",
        ),
    ]


def _answer_variables(definition: dict) -> list[Variable]:
    """One variable per column of the responses frame, in questionnaire order."""
    variables = []
    for item in items(definition):
        kind, label = kind_of(item), item["label"]
        if kind.tabulated == MULTI:
            variables += [
                Variable(multi_column(item["id"], value), f"{label} {text}", kind.name, TICKED, NOT_TICKABLE)
                for value, text in choice_labels(definition, item).items()
            ]
        elif kind.tabulated == SINGLE:
            choices = tuple(choice_labels(definition, item).items())
            # A rating scale's statements are each a variable, labelled with the item's label first.
            statements = {s["id"]: f"{label} {s['label']}" for s in item.get("statements", [])}
            variables += [
                Variable(key, statements.get(key, label), kind.name, choices)
                for key in kind.answer_keys(item["id"], list(statements))
            ]
        elif kind.stored == NUMBER_STORED:
            bounds = [f"{word} {item[key]}" for word, key in (("from", "min"), ("to", "max")) if key in item]
            variables.append(Variable(item["id"], label, kind.name, note=" ".join(["Whole number", *bounds])))
        else:
            variables.append(Variable(item["id"], label, kind.name, note=TEXT_NOTE))
    return variables


def _definition(survey: Questionnaire) -> dict:
    """The questionnaire merged across its versions: the current version's columns, then those
    only older versions asked; choices only older versions offered come after the current ones, so
    SPSS codes of current choices never depend on old versions."""
    try:
        return read_definition(survey)
    except AnalysisRefused as refused:
        raise ExportRefused(str(refused)) from refused


def _table(frame: pd.DataFrame, variables: Sequence[Variable]) -> pd.DataFrame:
    """The export's columns: multiple-choice options as 0/1, numbers as whole numbers, the rest text."""
    columns = {}
    for variable in variables:
        column = frame[variable.name] if variable.name in frame else pd.Series(pd.NA, index=frame.index)
        if variable.ticked:
            columns[variable.name] = column.astype("boolean").astype("Int64")
        elif variable.number:
            columns[variable.name] = column.astype("Int64")
        else:
            columns[variable.name] = column.astype("string")
    return pd.DataFrame(columns, index=frame.index)


def _codebook(variables: Sequence[Variable], spss: Sequence[str]) -> pd.DataFrame:
    def values(variable: Variable) -> str:
        if variable.coded:
            return "\n".join(f"{n}. {value} = {label}" for n, (value, label) in enumerate(variable.values, 1))
        return "\n".join(f"{value} = {label}" for value, label in variable.values)

    return pd.DataFrame(
        {
            "variable": [v.name for v in variables],
            "spss_name": list(spss),
            "question": [v.question for v in variables],
            "type": [v.type for v in variables],
            "values": [values(v) for v in variables],
            "note": [v.note for v in variables],
        },
        dtype="string",
    )


def _about(title: str, slug: str, wave: WaveChoice, rows: int, at: datetime) -> pd.DataFrame:
    facts = [
        ("Survey", f"{title} ({slug})"),
        ("Wave", wave.label if wave.key is None else f"{wave.label} ({wave.key})"),
        ("Rows", str(rows)),
        ("Exported", f"{at:%Y-%m-%d %H:%M} UTC"),
        ("Warning", WARNING),
        ("Formulas", FORMULA_NOTE),
        ("SPSS codes", SPSS_NOTE),
    ]
    if wave.synthetic:
        facts.insert(0, ("Synthetic", SYNTHETIC_BANNER))
    return pd.DataFrame(facts, columns=["about", "detail"], dtype="string")


def spss_names(columns: Sequence[str]) -> list[str]:
    """Valid, unique SPSS variable names: letters, digits, _ @ #, starting with a letter, at most
    64 bytes, unique ignoring case; "item.value" becomes "item_value"."""
    used: set[str] = set()
    names = []
    for column in columns:
        base = _NOT_IN_NAME.sub("_", column)
        if not base[:1].isalpha() or base.upper() in _RESERVED:
            base = f"v_{base}"
        name, number = base[:MAX_NAME], 1
        while name.lower() in used:
            number += 1
            suffix = f"_{number}"
            name = base[: MAX_NAME - len(suffix)] + suffix
        used.add(name.lower())
        names.append(name)
    return names


def _fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` bytes of UTF-8 without splitting a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def _csv(tables: Iterable[pd.DataFrame]) -> Iterator[bytes]:
    for number, table in enumerate(tables):
        first = number == 0
        text = defuse_frame(table).to_csv(
            index=False, header=first, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
        )
        # The byte order mark makes Excel read the file as UTF-8; CRLF line ends as RFC 4180 has them.
        yield text.encode("utf-8-sig" if first else "utf-8")


def _xlsx(header: Sequence[str], tables: Iterable[pd.DataFrame], sheets: dict[str, pd.DataFrame]) -> bytes:
    """A ``responses`` sheet of ``header`` and the rows of ``tables``, then ``sheets``."""
    workbook = Workbook(write_only=True)
    responses = workbook.create_sheet("responses")
    responses.freeze_panes = "B2"
    responses.append(header)
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in worksheet_rows(frame):
            sheet.append(row)
    return save_with_rows(workbook, responses, tables)


def _spss_data(table: pd.DataFrame, variables: Sequence[Variable], names: Sequence[str]) -> pd.DataFrame:
    """The SPSS file's columns: single-choice and scale answers as their codes 1, 2, 3..., ticks and
    numbers as numbers, the rest as text."""
    data = {}
    for variable, name in zip(variables, names, strict=True):
        column = table[variable.name]
        if variable.coded:
            codes = {value: float(n) for n, (value, _) in enumerate(variable.values, 1)}
            data[name] = column.map(codes, na_action="ignore").to_numpy(dtype="float64", na_value=np.nan)
        elif variable.ticked or variable.number:
            data[name] = column.to_numpy(dtype="float64", na_value=np.nan)
        else:
            data[name] = column.fillna("").astype(str).to_numpy(dtype=object)
    return pd.DataFrame(data)


def _sav(
    tables: Iterable[pd.DataFrame],
    variables: Sequence[Variable],
    names: Sequence[str],
    title: str,
    notes: list[str],
) -> bytes:
    labels, value_labels, measures, formats = {}, {}, {}, {}
    for variable, name in zip(variables, names, strict=True):
        labels[name] = _fit(variable.question, MAX_VARIABLE_LABEL)
        if variable.coded:
            value_labels[name] = {
                n: _fit(label, MAX_VALUE_LABEL) for n, (_, label) in enumerate(variable.values, 1)
            }
            measures[name], formats[name] = variable.kind.measure, "F8.0"
        elif variable.ticked or variable.number:
            if variable.ticked:
                value_labels[name] = {float(v): label for v, label in variable.values}
            measures[name], formats[name] = variable.kind.measure, "F8.0"
        else:
            measures[name] = "ordinal" if variable.name == "month" else "nominal"
    # pyreadstat writes from one frame: the batches are joined once they are compact.
    data = pd.concat([_spss_data(table, variables, names) for table in tables], ignore_index=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.sav"
        pyreadstat.write_sav(
            data,
            path,
            file_label=_fit(title, MAX_FILE_LABEL),
            column_labels=labels,
            variable_value_labels=value_labels,
            variable_measure=measures,
            variable_format=formats,
            note=notes,
            # SPSS's own compression of each row: a quarter of the size, read by every SPSS reader.
            row_compress=True,
        )
        return path.read_bytes()


def chosen_export(session: Session, survey: Questionnaire, wave: str | None) -> WaveChoice:
    """The wave an export of ``survey`` is about: UnknownWave if it has no wave ``wave``,
    NothingToExport if that wave has no responses."""
    chosen = chosen_wave(survey, wave_choices(session, survey), wave)
    if chosen.responses == 0:
        raise _nothing_in(survey, chosen)
    return chosen


def export_responses(
    session: Session, actor_id: int, survey: Questionnaire, wave: str | None, fmt: str
) -> Export:
    """One row per response of ``wave`` (every real wave when None) as ``fmt``, one of ``FORMATS``,
    ordered by month and random id. The export is audited before a CSV is sent: its rows are read
    while it is sent."""
    waves = wave_choices(session, survey)
    chosen = chosen_wave(survey, waves, wave)
    batches = ResponseBatches(session, survey.slug)
    ids = batches.ids(chosen.key)
    if not ids:
        raise _nothing_in(survey, chosen)
    definition = _definition(survey)
    variables = _descriptive(waves) + _answer_variables(definition)
    tables = (_table(frame, variables) for frame in batches.frames(ids))
    title = definition["title"]
    if fmt == "csv":
        chunks = _csv(tables)
    else:
        about = _about(title, survey.slug, chosen, len(ids), _now())
        names = spss_names([v.name for v in variables])
        if fmt == "xlsx":
            header = [v.name for v in variables]
            chunks = (_xlsx(header, tables, {"codebook": _codebook(variables, names), "about": about}),)
        else:
            notes = [
                _fit(line, MAX_NOTE_LINE)
                for row in about.itertuples()
                for line in textwrap.wrap(f"{row.about}: {row.detail}", MAX_NOTE_LINE)
            ]
            chunks = (_sav(tables, variables, names, title, notes),)
    record(
        session,
        actor_id,
        "responses exported",
        survey=survey.slug,
        wave=chosen.key or ALL_WAVES,
        format=fmt,
        rows=len(ids),
    )
    session.commit()
    return Export(f"{survey.slug}-{chosen.key or ALL_WAVES}-responses.{fmt}", FORMATS[fmt], chunks)


def export_tables(session: Session, actor_id: int, survey: Questionnaire, wave: str | None) -> Export:
    """The report's tables with disclosure control, as ``insight analyse`` writes ``tables.xlsx``:
    for ``wave``, or for the latest real wave when None."""
    chosen = chosen_export(session, survey, wave)
    try:
        report, _ = survey_report(session, survey.slug, chosen.key)
    except AnalysisRefused as refused:
        raise ExportRefused(str(refused)) from refused
    reported = report.samples[0].wave
    with tempfile.TemporaryDirectory() as folder:
        data = write_workbook(report, Path(folder) / "tables.xlsx").read_bytes()
    record(
        session,
        actor_id,
        "publication tables exported",
        survey=survey.slug,
        wave=reported,
        tables=len(report.tables),
    )
    session.commit()
    return Export(f"{survey.slug}-{reported}-tables.xlsx", XLSX, (data,))
