"""CSV, XLSX and Markdown written by ``write_report``: sheets, names, and numbers that read back."""

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from responses_factory import load_definition, make_responses, spread

from analysis.report import build_report, write_report
from analysis.reporting.files import (
    CONTENTS,
    CONTENTS_HEADER_ROWS,
    MAX_SHEET_NAME,
    save_with_rows,
    sheet_names,
    worksheet_rows,
)
from analysis.reporting.tables import Table

YP = load_definition("young-people")
DEFINITIONS = {"young-people": YP}

ROWS = spread(
    120,
    area={"leicester": 40, "charnwood": 80},
    age_band={"age_11_13": 60, "age_14_15": 60},
    safe_area_dark={
        "very_safe": 40,
        "fairly_safe": 30,
        "a_bit_unsafe": 30,
        "very_unsafe": 10,
        "dont_know": 5,
    },
    places_unsafe={("buses",): 50, ("parks", "buses"): 30, ("none_of_these",): 40},
)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    report = build_report(make_responses(YP, ROWS), DEFINITIONS)
    folder = tmp_path_factory.mktemp("report")
    write_report(report, folder)
    return report, folder


def test_one_csv_per_table_and_the_markdown(written):
    report, folder = written
    assert {p.name for p in folder.glob("*.csv")} == {f"{t}.csv" for t in report.tables}
    assert (folder / "insights.md").read_text(encoding="utf-8").startswith("# Community Insights")


def test_workbook_has_contents_and_one_sheet_per_table(written):
    report, folder = written
    sheets = load_workbook(folder / "tables.xlsx", read_only=True).sheetnames
    assert sheets[0] == CONTENTS
    assert len(sheets) == len(report.tables) + 1
    assert all(len(s) <= MAX_SHEET_NAME for s in sheets)
    assert len({s.lower() for s in sheets}) == len(sheets)
    contents = pd.read_excel(folder / "tables.xlsx", sheet_name=CONTENTS, skiprows=CONTENTS_HEADER_ROWS)
    assert contents["table_id"].tolist() == list(report.tables)
    assert contents["sheet"].tolist() == sheets[1:]


@pytest.mark.parametrize(
    "table_id",
    ["young-people.safe_area_dark.area", "young-people.places_unsafe.overall", "young-people.free_text"],
)
def test_csv_and_xlsx_read_back_with_the_same_numbers(written, table_id):
    report, folder = written
    table = report.tables[table_id]
    contents = pd.read_excel(folder / "tables.xlsx", sheet_name=CONTENTS, skiprows=CONTENTS_HEADER_ROWS)
    sheet = contents.loc[contents["table_id"] == table_id, "sheet"].item()
    read = {
        "csv": pd.read_csv(folder / f"{table_id}.csv", dtype={"group": str}),
        "xlsx": pd.read_excel(folder / "tables.xlsx", sheet_name=sheet, dtype={"group": str}),
    }
    expected = table.cells
    for source, frame in read.items():
        assert list(frame.columns) == list(expected.columns), source
        for column in ("count", "base", "percent", "ci_low", "ci_high"):
            np.testing.assert_allclose(
                frame[column].to_numpy(float),
                expected[column].to_numpy(float, na_value=np.nan),
                rtol=1e-12,
                err_msg=f"{source} {column}",
            )
        for column in ("group", "outcome", "count_display", "percent_display"):
            assert frame[column].astype(str).tolist() == expected[column].astype(str).tolist(), source


def test_hand_checked_cell_in_the_csv(written):
    _, folder = written
    frame = pd.read_csv(folder / "young-people.safe_area_dark.area.csv").set_index(["group", "outcome"])
    # Leicester: rows 1-40 are very safe, so 40 of 40 answered "very safe".
    assert frame.loc[("leicester", "very_safe"), ["count", "base", "percent_display"]].tolist() == [
        40,
        40,
        "100%",
    ]
    # All respondents: 40 of 110 a bit or very unsafe ("don't know" and the 5 who did not answer
    # out of the base) = 36%.
    assert frame.loc[("Total", "unsafe"), ["count", "base", "percent_display"]].tolist() == [40, 110, "36%"]


def test_hidden_counts_are_blank_in_the_files(written):
    _, folder = written
    frame = pd.read_csv(folder / "young-people.safe_area_dark.area.csv")
    # Five "don't know" in Charnwood: a small count, shown as "[c]" and blank as a number.
    hidden = frame["count_display"] == "[c]"
    assert hidden.any()
    assert frame.loc[hidden, "count"].isna().all()
    assert frame.loc[frame["percent_display"].isin(["[c]", "[u]"]), "percent"].isna().all()


def _table(survey, question, breakdown):
    return Table(f"{survey}.{question}.{breakdown}", survey, question, breakdown, "", pd.DataFrame())


def test_sheet_names_are_short_unique_and_legal():
    long = "agree_police_council_dealing_with_everything"
    tables = [
        _table("community", long, "deprivation_quintile"),
        _table("community", long + "_too", "deprivation_quintile"),
        _table("community", long.upper(), "deprivation_quintile"),
        _table("a-survey-with-a-long-slug", "what/why?", "overall"),
    ]
    names = sheet_names(tables)
    assert all(len(n) <= MAX_SHEET_NAME for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert not any(c in n for n in names for c in "[]:*?/\\")
    assert names[0] == "com agree_police_council_d imdq"
    assert names[1] == "com agree_police_council~2 imdq"


def test_worksheet_rows_make_every_kind_of_cell_safe_and_plain():
    frame = pd.DataFrame(
        {
            "text": pd.array(["=1+1", "bell\x07 rang", None], dtype="string"),
            "kind": pd.Categorical(["@me", "b", None]),
            "count": pd.array([1, None, 3], dtype="Int64"),
            "share": [0.5, np.nan, 1.0],
            "ticked": pd.array([True, None, False], dtype="boolean"),
            "mixed": ["-2", 7, None],
        }
    )
    assert list(worksheet_rows(frame)) == [
        ("'=1+1", "'@me", 1, 0.5, True, "'-2"),
        ("bell rang", "b", None, None, None, 7),
        (None, None, 3, 1.0, False, None),
    ]


def test_rows_saved_as_xml_read_back_as_openpyxl_writes_them():
    frames = [
        pd.DataFrame(
            {
                "text": pd.array([" leading", 'a & <b> "c"', "bell\x07", "=1+1", None], dtype="string"),
                "other": pd.array(["محفوظ نہیں", "🔪 scary  ", "trailing\n", "", "x"], dtype="string"),
                "count": pd.array([1, None, -3, 0, 10**12], dtype="Int64"),
                "share": [0.1, np.nan, 1e-05, 2.5, -0.0],
                "ticked": pd.array([True, None, False, True, False], dtype="boolean"),
            }
        ),
        pd.DataFrame(
            {"text": ["second batch"], "other": [None], "count": [7], "share": [1.0], "ticked": [False]}
        ),
    ]

    def workbook(fast: bool) -> dict[str, list[tuple]]:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("responses")
        sheet.freeze_panes = "B2"
        sheet.append(list(frames[0].columns))
        book.create_sheet("about").append(["about", "detail"])
        if fast:
            data = save_with_rows(book, sheet, frames)
        else:
            for frame in frames:
                for row in worksheet_rows(frame):
                    sheet.append(row)
            buffer = io.BytesIO()
            book.save(buffer)
            data = buffer.getvalue()
        read = load_workbook(io.BytesIO(data))
        assert read["responses"].freeze_panes == "B2"
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in read}

    fast = workbook(fast=True)
    assert fast == workbook(fast=False)
    assert fast["responses"][1:3] == [
        (" leading", "محفوظ نہیں", 1, 0.1, True),
        ('a & <b> "c"', "🔪 scary  ", None, None, None),
    ]
    assert fast["responses"][4][0] == "'=1+1" and fast["responses"][3][0] == "bell"
    assert fast["responses"][-1] == ("second batch", None, 7, 1.0, False)
