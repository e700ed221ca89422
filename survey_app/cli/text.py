"""`insight text ...`: run the text pipeline over a CSV column, for analysts' own files.

Each command reads IN.csv (UTF-8), adds one column and writes every row back unchanged otherwise.
Bad input (not UTF-8, no such column, not a CSV) exits with code 2 and says what to do.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path

import click

from analysis import text as pipeline
from survey_app import config
from survey_app.i18n import LanguagesInvalid, load_languages

from .output import fail


def read_table(path: Path, column: str) -> tuple[list[str], list[dict[str, str]]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror}")
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        fail(
            f"{path}:{line}: the file is not UTF-8 text (byte 0x{raw[error.start]:02x}); save it as "
            "UTF-8, e.g. in Excel with 'CSV UTF-8 (Comma delimited)'"
        )
    try:
        reader = csv.DictReader(io.StringIO(content, newline=""), strict=True)
        rows = list(reader)
    except csv.Error as error:
        fail(f"{path}:{reader.line_num}: not a valid CSV file ({error})")
    header = reader.fieldnames or []
    if not header:
        fail(f"{path}: the file is empty; it needs a header row naming its columns")
    if column not in header:
        fail(f"{path}: there is no column '{column}'; the columns are: {', '.join(header)}")
    return list(header), rows


def write_table(output: Path | None, header: list[str], rows: list[dict[str, str]]) -> None:
    handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if output:
            handle.close()


def add_column(
    path: Path,
    column: str,
    output: Path | None,
    new_column: str,
    compute: Callable[[str, dict[str, str]], str],
) -> None:
    header, rows = read_table(path, column)
    for row in rows:
        row[new_column] = compute(row[column] or "", row)
    write_table(output, [*[h for h in header if h != new_column], new_column], rows)


@click.group()
def text() -> None:
    """Run the text pipeline over one column of a CSV file."""


def _common(command):
    command = click.option(
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        help="where to write the result (default: standard output)",
    )(command)
    command = click.option("--column", required=True, help="the column holding the free text")(command)
    return click.argument("path", type=click.Path(path_type=Path, dir_okay=False))(command)


def _survey_language(_context: click.Context, _parameter: click.Parameter, value: str) -> str:
    """One of the survey languages in `translations/languages.yaml` (TRANSLATIONS_DIR)."""
    try:
        languages = load_languages(Path(config.translations_dir()))
    except LanguagesInvalid as error:
        fail(str(error))
    if value not in languages:
        raise click.BadParameter(
            f"'{value}' is not a survey language; choose one of {', '.join(languages)} "
            "(translations/languages.yaml)"
        )
    return value


def _language_option(command):
    return click.option(
        "--language",
        "survey_language",
        default="en",
        show_default=True,
        callback=_survey_language,
        help="the survey's language (a code in translations/languages.yaml): short "
        "answers are assumed to be in it",
    )(command)


@text.command()
@_common
@_language_option
def sentiment(path: Path, column: str, output: Path | None, survey_language: str) -> None:
    """Add `sentiment`, from -1 to 1; empty where the text cannot be scored honestly."""

    def score(value: str, _row) -> str:
        if not value.strip():
            return ""
        result = pipeline.sentiment(value, pipeline.detect_language(value, survey_language))
        return "" if result is None else f"{result:.4f}"

    add_column(path, column, output, "sentiment", score)


@text.command()
@_common
def redact(path: Path, column: str, output: Path | None) -> None:
    """Add `redacted`: the text with personal data replaced by [email], [phone] and so on."""
    add_column(path, column, output, "redacted", lambda value, _row: pipeline.redact(value))


@text.command()
@_common
def flags(path: Path, column: str, output: Path | None) -> None:
    """Add `safeguarding` (true/false): the text may disclose harm, abuse, exploitation or weapons;
    and `harm`: the kinds of harm it may disclose, separated by `;` (empty when not flagged)."""
    header, rows = read_table(path, column)
    for row in rows:
        harms = pipeline.safeguarding_screen(row[column] or "")
        row["safeguarding"], row["harm"] = ("true" if harms else "false"), ";".join(harms)
    added = ("safeguarding", "harm")
    write_table(output, [*[h for h in header if h not in added], *added], rows)


@text.command()
@_common
@click.option(
    "--codebook",
    "codebook_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="a theme codebook YAML (default: the shipped analysis/data/codebook.yaml)",
)
def themes(path: Path, column: str, output: Path | None, codebook_path: Path | None) -> None:
    """Add `themes`: the ids of the codebook themes each answer mentions, separated by ";"."""
    from analysis.themes import CodebookInvalid, assign_themes, load_codebook

    try:
        codebook = load_codebook(codebook_path)
    except CodebookInvalid as invalid:
        fail("the codebook is not valid:\n" + "\n".join(map(str, invalid.problems)))
    except OSError as error:
        fail(f"cannot read the codebook {codebook_path}: {error.strerror}")

    def ids(value: str, _row) -> str:
        return ";".join(match.theme for match in assign_themes([value], codebook)[0] if match.assigned)

    add_column(path, column, output, "themes", ids)
