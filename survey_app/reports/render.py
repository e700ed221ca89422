"""The SNA section as files: HTML (standalone), a print-ready PDF made from that HTML by WeasyPrint,
and DOCX for analysts to paste into the SNA, which is written in Word.

All three lay out the same ``SnaReport``. The document is in English, as the statements the
analysis writes are; translating only its headings would give a document in two languages.
Rendering needs an application context (the HTML comes from the app's templates).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from flask import get_template_attribute, render_template
from markupsafe import Markup, escape

from analysis.formulas import defuse
from survey_app.bidi import is_rtl, isolate_numbers

from .sna import FIGURE_HEADERS, FILENAME, FORMATS, TABLE_HEADERS, ChartView, SnaReport

CSS = Path(__file__).resolve().parent.parent / "templates" / "reports" / "sna.css"
MIME = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
#: ``**bold**``, ``*italic*`` and ``code`` spans of the methods note.
INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|`(.+?)`")
RED = RGBColor(0xD4, 0x35, 0x1C)
#: Pixels per chart unit in the DOCX picture: sharp when printed at the page's width.
PNG_SCALE = 3
#: Tables up to this many rows are kept on one page in print.
SHORT_ROWS = 16
APPENDIX = "Appendix: the published tables"
APPENDIX_NOTE = (
    "Every table a statement quotes, as published: counts below the disclosure threshold and the cells "
    "that would reveal them are shown only as their symbol, and percentages on small bases are withheld."
)
#: The chapters after the statements, (anchor, heading), as the contents lists them.
CHAPTERS = (
    ("themes", "Themes from free-text answers"),
    ("priorities", "Panel priorities"),
    ("methods", "Methods"),
    ("appendix", APPENDIX),
)


class RendererUnavailable(RuntimeError):
    """A format's library cannot run on this machine; the message says what to install."""


def inline_runs(text: str) -> list[tuple[str, str]]:
    """``text`` split into (text, style) runs, style one of "", "bold", "italic", "code"."""
    runs, at = [], 0
    for match in INLINE.finditer(text):
        if match.start() > at:
            runs.append((text[at : match.start()], ""))
        bold, italic, code = match.groups()
        runs.append((bold, "bold") if bold else (italic, "italic") if italic else (code, "code"))
        at = match.end()
    if at < len(text):
        runs.append((text[at:], ""))
    return runs


def inline_html(text: str) -> Markup:
    tags = {"bold": "strong", "italic": "em", "code": "code"}
    return Markup("").join(
        Markup("<{0}>{1}</{0}>").format(tags[s], t) if s else escape(t) for t, s in inline_runs(text)
    )


def html(report: SnaReport) -> str:
    # The stylesheet is the app's own file; escaping it would turn its quotes into entities.
    css = Markup(CSS.read_text("utf-8"))  # noqa: S704
    return render_template(
        "reports/sna.html",
        report=report,
        css=css,
        inline=inline_html,
        figure_headers=FIGURE_HEADERS,
        table_headers=TABLE_HEADERS,
        short_rows=SHORT_ROWS,
        chapters=CHAPTERS,
        appendix_note=APPENDIX_NOTE,
    )


def pdf(report: SnaReport) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as error:
        raise RendererUnavailable(
            "the PDF needs WeasyPrint, which cannot load its system libraries (Pango and HarfBuzz): "
            "install them, e.g. `apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b`, "
            f"or choose --format html,docx ({error})"
        ) from error
    # PDF/UA: a tagged PDF (headings, tables, lists and figures as structure) that screen readers
    # and accessibility checkers read, with the document's title and language.
    return HTML(string=html(report)).write_pdf(pdf_variant="pdf/ua-1")


def chart_png(chart: ChartView) -> bytes:
    """The chart's SVG, exactly as the HTML and PDF draw it, as a PNG picture."""
    try:
        import cairosvg
    except OSError as error:
        raise RendererUnavailable(
            "the DOCX charts need CairoSVG, which cannot load the Cairo library: install it, e.g. "
            f"`apt-get install libcairo2`, or choose --format html,pdf ({error})"
        ) from error
    macro = get_template_attribute("_charts.html", "bar_chart")
    svg = str(macro(chart.chart, chart.id, chart.title, chart.desc))
    return cairosvg.svg2png(
        bytestring=svg.encode("utf-8"), output_width=chart.chart.width * PNG_SCALE, background_color="white"
    )


def _caption(document, kind: str, text: str, prefix: str = "") -> None:
    """A Word caption ("Table 3: ...", "Table A3: ..." in the appendix) whose number is a SEQ
    field, so Word can list and renumber it."""
    sequence = f"{kind}{prefix}"
    paragraph = document.add_paragraph(style="Caption")
    paragraph.add_run(f"{kind} {prefix}")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" SEQ {sequence} \\* ARABIC ")
    number = OxmlElement("w:r")
    number_text = OxmlElement("w:t")
    number_text.text = str(
        sum(
            1
            for p in document.paragraphs
            if p.style.name == "Caption" and p.text.startswith(f"{kind} {prefix}")
        )
    )
    number.append(number_text)
    field.append(number)
    paragraph._p.append(field)
    paragraph.add_run(f": {text}")


def _contents(document, entries: Sequence[tuple[int, str]]) -> None:
    """A Word table of contents (a TOC field over headings 1 and 2) whose text until Word updates
    it is the list of ``entries`` (level, heading); Word is asked to update fields on opening."""
    document.add_heading("Contents", level=1)
    paragraph = document.add_paragraph()

    def field_char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    start = paragraph.add_run()._r
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = ' TOC \\o "1-2" \\h \\z \\u '
    start.extend([field_char("begin"), instruction, field_char("separate")])
    for level, heading in entries:
        run = paragraph.add_run(("    " * (level - 1)) + heading)
        run.add_break()
    paragraph.add_run()._r.append(field_char("end"))
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def _table(
    document, headers: Sequence[str], rows: Sequence[Sequence[str]], caption: str, prefix: str = ""
) -> DocxTable:
    _caption(document, "Table", caption, prefix)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    # Tables are copied from Word into spreadsheets: formula-like text stays inert there too.
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = defuse(value)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    document.add_paragraph()
    return table


def _paragraph(document, text: str, style: str | None = None) -> None:
    paragraph = document.add_paragraph(style=style)
    for value, kind in inline_runs(text):
        run = paragraph.add_run(value)
        run.bold = kind == "bold"
        run.italic = kind == "italic"
        if kind == "code":
            run.font.name = "Consolas"


def _synthetic(document, report: SnaReport) -> None:
    if report.synthetic:
        run = document.add_paragraph().add_run(f"{report.synthetic_banner}. {report.synthetic_note}")
        run.bold = True
        run.font.color.rgb = RED


def docx(report: SnaReport) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    if report.synthetic:
        header = section.header.paragraphs[0].add_run(report.synthetic_banner)
        header.bold = True
        header.font.color.rgb = RED
    document.add_heading(report.title, level=0)
    _synthetic(document, report)
    document.add_paragraph("Strategic Needs Assessment, Community Insights section")
    compared = f", compared with {report.compare_wave}" if report.compare_wave else ""
    document.add_paragraph(f"Wave: {report.wave_label} ({report.wave}){compared}")
    document.add_paragraph(
        "Surveys: " + "; ".join(f"{s.title} ({s.responses} responses)" for s in report.report.samples)
    )
    document.add_paragraph(f"Produced {report.date_text}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _contents(
        document,
        [
            (1, "Headline statements"),
            *((2, f"{statement.number}. {statement.title}") for statement in report.statements),
            *((1, heading) for _, heading in CHAPTERS),
        ],
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    document.add_heading("Headline statements", level=1)
    _synthetic(document, report)
    for statement in report.statements:
        document.add_heading(f"{statement.number}. {statement.title}", level=2)
        document.add_paragraph(statement.text)
        if statement.withheld:
            document.add_paragraph("Some figures for this statement are withheld for disclosure control.")
        if statement.figures:
            _table(
                document,
                FIGURE_HEADERS,
                [(f.label, f.percent, f.interval, f.count, f.base, f.table) for f in statement.figures],
                f"Figures quoted in statement {statement.number}",
            )
        for chart in statement.charts:
            document.add_picture(io.BytesIO(chart_png(chart)), width=Mm(150))
            _caption(document, "Figure", f"{chart.title} (percentages with 95% intervals)")
        if statement.tables:
            document.add_paragraph(
                "Tables behind this statement (in the appendix): "
                + ", ".join(f"Table {table.number} ({table.id})" for table in statement.tables)
                + "."
            )

    document.add_heading("Themes from free-text answers", level=1)
    _synthetic(document, report)
    for survey in report.themes:
        document.add_heading(survey.title, level=2)
        if not survey.themes:
            document.add_paragraph("No free-text answers of this survey are themed in this wave.")
            continue
        parts = survey.parts()
        for n, (questions, rows) in enumerate(parts, 1):
            part = f" ({n} of {len(parts)})" if len(parts) > 1 else ""
            _table(
                document,
                ("Theme", *questions),
                [(label, *counts) for label, counts in rows],
                f"Answers mentioning each theme, by question: {survey.title}{part}",
            )
        for theme in survey.themes:
            if theme.quotes:
                document.add_heading(theme.label, level=3)
                for quote in theme.quotes:
                    _quote(document, quote)

    document.add_heading("Panel priorities", level=1)
    _synthetic(document, report)
    for survey in report.priorities:
        document.add_heading(survey.title, level=2)
        if survey.pending:
            document.add_paragraph(
                "The panel review of this wave is pending: no community panel has reviewed its themes yet."
            )
            continue
        _table(
            document,
            ("Theme", "Votes", "Say it reflects their community"),
            [(p.label, str(p.votes), p.reflects) for p in survey.priorities],
            f"Priority votes per theme over {survey.rounds} panel review(s) of this wave: {survey.title}",
        )

    document.add_heading("Methods", level=1)
    _synthetic(document, report)
    for part in report.methods:
        document.add_heading(part.heading, level=2)
        for paragraph in part.paragraphs:
            _paragraph(document, paragraph, "List Bullet" if part.bulleted else None)

    document.add_heading(APPENDIX, level=1)
    _synthetic(document, report)
    document.add_paragraph(APPENDIX_NOTE)
    for table in report.appendix:
        _table(document, TABLE_HEADERS, table.rows, f"{table.title} ({table.id})", prefix="A")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _quote(document, text: str) -> None:
    """A respondent's words: right to left if their language is, numbers always left to right."""
    paragraph = document.add_paragraph(f"“{isolate_numbers(text)}”", style="Quote")
    if is_rtl(text):
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))


RENDERERS: dict[str, Callable[[SnaReport], str | bytes]] = {"html": html, "pdf": pdf, "docx": docx}


def render(report: SnaReport, fmt: str) -> bytes:
    """The report in ``fmt`` (one of ``FORMATS``) as bytes."""
    made = RENDERERS[fmt](report)
    return made.encode("utf-8") if isinstance(made, str) else made


def write(report: SnaReport, folder: Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """``community-insights.<fmt>`` for each format into ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = folder / f"{FILENAME}.{fmt}"
        path.write_bytes(render(report, fmt))
        written.append(path)
    return written
