"""CSV and Excel files of published tables, with formula-like text defused (analysis.formulas).

Each CSV is tidy (one row per group and outcome) so it loads straight into pandas or R; the workbook
carries the same rows, one sheet per table, behind a contents sheet because Excel sheet names are
limited to 31 characters and cannot hold the table ids.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from analysis.formulas import defuse, defuse_frame
from analysis.reporting.tables import Table

if TYPE_CHECKING:
    from analysis.report import Report

CONTENTS = "Contents"
MAX_SHEET_NAME = 31
#: Rows above the contents table: a title line and a blank line.
CONTENTS_HEADER_ROWS = 2
SYNTHETIC_BANNER = "SYNTHETIC DEMO DATA: made-up responses, not for publication"

SURVEY_SHORT = {"young-people": "yp", "community": "com"}
BREAKDOWN_SHORT = {
    "overall": "all",
    "age_band": "age",
    "area": "area",
    "deprivation_quintile": "imdq",
    "deprivation_group": "imdg",
    "language": "lang",
    "channel": "chan",
    "wave": "wave",
}
_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")


def write_csvs(tables: Iterable[Table], folder: Path) -> list[Path]:
    """One UTF-8 CSV per table, named by table id. Lines end in CRLF (RFC 4180), so a carriage return
    inside a label is quoted rather than read by a spreadsheet as the start of a new row."""
    paths = []
    for table in tables:
        path = folder / f"{table.id}.csv"
        defuse_frame(table.cells).to_csv(path, index=False, lineterminator="\r\n")
        paths.append(path)
    return paths


def sheet_names(tables: Sequence[Table]) -> list[str]:
    """Unique Excel sheet names (31 characters at most, unique ignoring case, never "Contents"):
    short survey and breakdown names around the question id, cut to fit and numbered on a clash."""
    used = {CONTENTS.lower()}
    names = []
    for table in tables:
        survey = SURVEY_SHORT.get(table.survey, table.survey[:6])
        breakdown = BREAKDOWN_SHORT.get(table.breakdown, table.breakdown[:6])
        number = 1
        while True:
            tag = "" if number == 1 else f"~{number}"
            room = MAX_SHEET_NAME - len(survey) - len(breakdown) - len(tag) - 2
            name = _FORBIDDEN.sub("_", f"{survey} {table.question[:room]}{tag} {breakdown}")
            if name.lower() not in used:
                break
            number += 1
        used.add(name.lower())
        names.append(name)
    return names


def _cells(values: list) -> list:
    """One column's cells: text defused and without the control characters openpyxl refuses
    (typed text may hold them); None, pandas' NA and NaN (the one value not equal to itself) empty."""
    clean = ILLEGAL_CHARACTERS_RE.sub
    return [
        defuse(clean("", v)) if isinstance(v, str) else None if v is None or v is pd.NA or v != v else v
        for v in values
    ]


def worksheet_rows(frame: pd.DataFrame) -> Iterator[tuple]:
    """Rows for an openpyxl worksheet, missing values as empty cells, text made safe (``_cells``)."""
    columns = [_cells(frame.iloc[:, n].astype(object).tolist()) for n in range(frame.shape[1])]
    return zip(*columns, strict=True)


_SPACE = ' xml:space="preserve"'


def _xml_cells(letter: str, rows: list[str], values: list) -> list[str]:
    """One column's cells as openpyxl's write-only mode writes them (text as an inline string,
    kept with its spaces), from values ``_cells`` made safe; an empty cell (None or "") is left out."""
    return [
        ""
        if v is None or v == ""
        else f'<c r="{letter}{r}" t="inlineStr"><is><t{_SPACE if v != v.strip() else ""}>'
        f"{escape(v)}</t></is></c>"
        if isinstance(v, str)
        else f'<c r="{letter}{r}" t="b"><v>{int(v)}</v></c>'
        if isinstance(v, bool)
        else f'<c r="{letter}{r}" t="n"><v>{v}</v></c>'
        for v, r in zip(values, rows, strict=True)
    ]


def _xml_rows(frame: pd.DataFrame, first: int) -> str:
    rows = [str(n) for n in range(first, first + len(frame))]
    columns = [
        _xml_cells(get_column_letter(n + 1), rows, _cells(frame.iloc[:, n].astype(object).tolist()))
        for n in range(frame.shape[1])
    ]
    return "".join(
        f'<row r="{r}">{"".join(cells)}</row>'
        for r, cells in zip(rows, zip(*columns, strict=True), strict=True)
    )


def save_with_rows(workbook: Workbook, sheet: WriteOnlyWorksheet, frames: Iterable[pd.DataFrame]) -> bytes:
    """``workbook`` as openpyxl saves it, with the rows of ``frames`` added to ``sheet`` after the
    rows it has. For millions of cells: openpyxl makes an object for every cell, and writing the
    cells' XML here, a column at a time, is about six times faster (50,000 responses of 61
    columns). The cells are those ``worksheet_rows`` gives openpyxl, written as openpyxl writes them."""
    made = io.BytesIO()
    workbook.save(made)
    path = sheet.path.lstrip("/")
    out = io.BytesIO()
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != path:
                target.writestr(info, source.read(info))
                continue
            xml = source.read(info).decode("utf-8").replace("<sheetData/>", "<sheetData></sheetData>")
            head, tail = xml.split("</sheetData>")
            row = head.count("<row ") + 1
            with target.open(path, "w", force_zip64=True) as written:
                written.write(head.encode("utf-8"))
                for frame in frames:
                    written.write(_xml_rows(frame, row).encode("utf-8"))
                    row += len(frame)
                written.write(f"</sheetData>{tail}".encode())
    return out.getvalue()


def write_workbook(report: Report, path: Path) -> Path:
    """``tables.xlsx``: a contents sheet, then one sheet per table with the CSV's rows. Written row
    by row (openpyxl's write-only mode): a report at 50,000 responses has some 200 tables."""
    tables = list(report.tables.values())
    names = sheet_names(tables)
    contents = pd.DataFrame(
        {
            "sheet": names,
            "table_id": [t.id for t in tables],
            "title": [t.title for t in tables],
            "survey": [t.survey for t in tables],
            "question": [t.question for t in tables],
            "breakdown": [t.breakdown for t in tables],
        }
    )
    heading = "Community Insights tables"
    if report.synthetic:
        heading = f"{SYNTHETIC_BANNER}. {heading}"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(CONTENTS)
    sheet.append([heading])
    for _ in range(CONTENTS_HEADER_ROWS - 1):
        sheet.append([])
    for name, frame in ((None, contents), *zip(names, (t.cells for t in tables), strict=True)):
        if name is not None:
            sheet = workbook.create_sheet(name)
        sheet.append([str(column) for column in frame.columns])
        for row in worksheet_rows(frame):
            sheet.append(row)
    workbook.save(path)
    return path
