"""The SNA "Community Insights" report: every statement with the figures of its published tables, in
HTML, a PDF read back with poppler and a DOCX read back with python-docx; quotes, panel priorities,
the command line and the staff downloads.

The report is built once for the module from a few hundred demo responses per survey.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import time
import uuid
from datetime import datetime
from pathlib import Path

import docx
import pandas as pd
import pytest
from markupsafe import escape
from sqlalchemy import select

from analysis.formulas import FORMULA_STARTS, defuse
from analysis.reporting.phrases import WITHHELD
from analysis.reporting.tables import whole_percent
from survey_app.accounts import create_user
from survey_app.bidi import isolate_numbers
from survey_app.db import db_session
from survey_app.demo import add_demo_responses
from survey_app.models import (
    Answer,
    AuditEvent,
    CardFeedback,
    Item,
    Panel,
    Questionnaire,
    QuestionnaireVersion,
    ReviewRound,
    ThemeChange,
)
from survey_app.reports import render
from survey_app.reports.sna import MAX_BARS, QUESTIONS_PER_TABLE, sna_report
from survey_app.staff.review import coding
from survey_app.themes import apply_changes
from tests.conftest import QUESTIONNAIRES
from tests.test_questionnaire_files import run_cli
from tests.test_staff_access import PASSWORD, log_in

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
RENAMED = "Nothing to do for young people"
#: A theme renamed to a spreadsheet formula: every table shows it as inert text.
#: An approved quote in Urdu with numbers written with spaces, which must read left to right.
URDU_QUOTE = "یوتھ کلب ہفتے میں 6 7 دن کھلا ہو، 14–16 سال کے بچوں کے لیے"
FORMULA_NAME = '=HYPERLINK("http://evil.example","Lights")'
WHEN = datetime(2026, 11, 1)


def _database(backend, folder: Path):
    kind, template = backend
    if kind == "sqlite":
        shutil.copyfile(template, folder / "sna.db")
        return f"sqlite:///{folder / 'sna.db'}", None
    server, template_name = template
    name = f"{server.prefix}_sna_{secrets.token_hex(4)}"
    return server.create(name, template=template_name), (server, name)


def _quotable(session, slug: str, question: str, count: int) -> list[tuple[uuid.UUID, int]]:
    return list(
        session.execute(
            select(Answer.response_id, Answer.item_id)
            .join(Item, Item.id == Answer.item_id)
            .join(QuestionnaireVersion, QuestionnaireVersion.id == Item.version_id)
            .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
            .where(
                Questionnaire.slug == slug,
                Item.key == question,
                Answer.text.is_not(None),
                Answer.safeguarding.is_(False),
            )
            .order_by(Answer.response_id)
            .limit(count)
        ).all()
    )


def _seed(session) -> dict:
    add_demo_responses(session, "young-people", 300, seed=1)
    add_demo_responses(session, "community", 300, seed=2)
    analyst = create_user(session, "analyst@example.org", PASSWORD, "analyst")
    members = [create_user(session, f"member{n}@example.org", PASSWORD, "panel_member") for n in (1, 2)]
    young = session.scalar(select(Questionnaire).where(Questionnaire.slug == "young-people"))
    quoted = _quotable(session, "young-people", "one_thing_safer", 4)
    for response_id, item_id in quoted:
        coding.code_answer(session, analyst.id, young, response_id, item_id, ["nothing_to_do"], quote=True)
    session.get(Answer, quoted[0]).text = URDU_QUOTE
    panel = Panel(name="Young people's panel", created_at=WHEN, created_by=analyst.id)
    session.add(panel)
    session.flush()
    review = ReviewRound(
        panel_id=panel.id, questionnaire_id=young.id, wave_key="demo", created_by=analyst.id, created_at=WHEN
    )
    session.add(review)
    session.flush()
    session.add_all(
        [
            CardFeedback(
                round_id=review.id,
                theme_id="nothing_to_do",
                member_id=members[0].id,
                reflects="yes",
                votes=3,
                updated_at=WHEN,
            ),
            CardFeedback(
                round_id=review.id,
                theme_id="nothing_to_do",
                member_id=members[1].id,
                reflects="partly",
                votes=2,
                updated_at=WHEN,
            ),
            CardFeedback(
                round_id=review.id,
                theme_id="safe_spaces",
                member_id=members[1].id,
                reflects="yes",
                votes=1,
                updated_at=WHEN,
            ),
            ThemeChange(
                kind="rename",
                theme_id="nothing_to_do",
                value=RENAMED,
                round_id=review.id,
                decided_by=analyst.id,
                decided_at=WHEN,
            ),
            ThemeChange(
                kind="rename",
                theme_id="lighting_and_environment",
                value=FORMULA_NAME,
                round_id=review.id,
                decided_by=analyst.id,
                decided_at=WHEN,
            ),
        ]
    )
    session.commit()
    texts = [session.get(Answer, key).text for key in quoted]
    return {"quotes": texts}


@pytest.fixture(scope="module")
def built(backend, compiled_translations, tmp_path_factory):
    from survey_app import create_app

    folder = tmp_path_factory.mktemp("sna")
    url, drop = _database(backend, folder)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "QUESTIONNAIRES_DIR": str(QUESTIONNAIRES),
            # Made in the request, as when the report takes less than the wait (the other case is
            # tested on its own): a machine busy with other tests takes longer than usual.
            "EXPORT_WAIT_SECONDS": 300,
        }
    )
    with app.app_context():
        seeded = _seed(db_session())
        report = sna_report(db_session(), "demo")
        files = dict(zip(render.FORMATS, render.write(report, folder / "out"), strict=True))
    yield {"app": app, "report": report, "files": files, **seeded}
    app.extensions["db_engine"].dispose()
    if drop:
        drop[0].drop(drop[1])


def _expected_figure_rows(report) -> list[tuple[int, tuple[str, ...]]]:
    """Each statement figure as the Table cell it names says it should be shown."""
    rows = []
    for statement in report.report.statements:
        for fig in statement.figures:
            group, outcome = (part.split("=", 1)[1] for part in fig["cell"].split("; "))
            cell = report.report.tables[fig["table"]].cell(group, outcome)
            assert cell is not None, fig
            assert cell["count_display"] == fig["count_display"]
            base = "" if pd.isna(cell["base"]) else f"{int(cell['base']):,}"
            if fig["unit"] == "%" and pd.isna(cell["percent"]):
                shown = ("withheld", "")
            elif fig["unit"] == "%":
                shown = (
                    whole_percent(cell["percent"]),
                    f"{whole_percent(cell['ci_low'])} to {whole_percent(cell['ci_high'])}",
                )
            else:
                continue  # a change between waves: demo data has one wave
            shown_row = (fig["label"], *shown, str(cell["count_display"]), base, fig["table"])
            rows.append((statement.id, shown_row))
    return rows


def test_every_sna_statement_is_in_the_html_with_its_tables_figures(built):
    report, html = built["report"], built["files"]["html"].read_text("utf-8")
    assert [s.id for s in report.report.statements] == list(range(1, 9)), "the 8 statements of SURVEY-CONTENT"
    assert html.count("SYNTHETIC DEMO DATA") >= 5, "the title page and every chapter say it"
    for statement in report.report.statements:
        assert f"<h2>{statement.id}. {escape(statement.title)}</h2>" in html
        assert f'<p class="text">{escape(statement.text)}</p>' in html
    expected = _expected_figure_rows(report)
    assert len(expected) > 20
    for _, (label, percent, interval, count, base, table) in expected:
        row = (
            f'<tr><th scope="row">{escape(label)}</th><td class="num">{percent}</td><td class="num">'
            f'{interval}</td><td class="num">{escape(count)}</td><td class="num">{base}</td>'
            f"<td><code>{table}</code></td></tr>"
        )
        assert row in html, row
    assert html.count("<svg") == sum(len(s.charts) for s in report.statements)
    for statement in report.statements:
        for table in statement.tables:
            assert f'<a href="#{table.anchor}">Table {table.number}</a>' in html, "the statement cites it"
            assert f'<table id="{table.anchor}"' in html, "and the appendix prints it"
    assert html.index('id="contents"') < html.index('id="statements"') < html.index('id="appendix"')


def test_withheld_figures_are_never_quoted(built):
    report, html = built["report"], built["files"]["html"].read_text("utf-8")
    withheld = [(s, f) for s in report.report.statements for f in s.figures if f["percent"] is None]
    assert withheld, "demo data has withheld figures, so this test means something"
    for statement, fig in withheld:
        assert WITHHELD in statement.text
        assert fig["ci_low"] is None and fig["ci_high"] is None
    for table in report.appendix:
        published = report.report.tables[table.id].cells
        for row in table.rows:
            same = (published["group_label"] == row[0]) & (published["outcome_label"] == row[1])
            cell = published[same].iloc[0]
            assert row[2:5] == (cell["count_display"], cell["base_display"], cell["percent_display"])
            assert (row[5] == "") == pd.isna(cell["percent"]), "an interval only beside a published %"
            if pd.isna(cell["count"]):
                assert not re.fullmatch(r"[\d,]+", row[2]), "a hidden count shows only its symbol"
        assert f"<code>{table.id}</code>" in html


def test_themes_quotes_priorities_and_methods(built):
    report, html = built["report"], built["files"]["html"].read_text("utf-8")
    young = next(s for s in report.themes if s.survey == "young-people")
    renamed = next(t for t in young.themes if t.label == RENAMED)
    assert set(renamed.quotes) <= set(built["quotes"]) and len(renamed.quotes) == 3, "three approved quotes"
    for quote in renamed.quotes:
        assert f"<p>“{escape(isolate_numbers(quote))}”</p>" in html
    priorities = {p.survey: p for p in report.priorities}
    assert priorities["young-people"].priorities[0].label == RENAMED
    assert priorities["young-people"].priorities[0].votes == 5
    assert priorities["young-people"].priorities[0].reflects == "1 of 2 (50%)"
    assert priorities["community"].pending
    assert "The panel review of this wave is pending" in html
    for heading in ("Samples", "Disclosure control", "Limits", "Themes and quotes", "Panel priorities"):
        assert f"<h2>{heading}</h2>" in html
    assert "self-selected" in html and "Languages:" in html and "Channels:" in html


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_reads_back_with_every_statement(built, tmp_path):
    pdf = built["files"]["pdf"]
    text = _flat(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    )
    for statement in built["report"].report.statements:
        assert _flat(statement.text) in text, statement.id
    assert "Page 1 of" in text and "SYNTHETIC DEMO DATA" in text
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(ARTIFACTS / "sna-pdf")],
        check=True,
    )
    pages = sorted(ARTIFACTS.glob("sna-pdf-*.png"))
    assert len(pages) >= 3 and all(page.stat().st_size > 10_000 for page in pages)


WORD_BOX = r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'


def test_the_pdf_is_tagged_and_every_page_fits_the_paper(built):
    pdf = str(built["files"]["pdf"])
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M), "a tagged PDF for screen readers (PDF/UA)"
    boxes = subprocess.run(
        ["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', boxes, re.S)
    assert len(pages) > 10
    margin = 40  # points: the page's margins are 18 to 22 mm (51 to 62 points)
    for number, (width, height, body) in enumerate(pages, 1):
        for x_min, y_min, x_max, y_max, word in re.findall(WORD_BOX, body):
            assert float(x_min) >= margin and float(x_max) <= float(width) - margin, (number, word)
            assert float(y_min) >= 0 and float(y_max) <= float(height) - margin / 2, (number, word)
    text = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"1\. Feeling unsafe\s*\.+\s*\d+", text), "the contents page gives page numbers"


def test_charts_fit_a_page_and_name_their_survey_and_question(built):
    report = built["report"]
    surveys = [sample.title for sample in report.report.samples]
    for statement in report.statements:
        for chart in statement.charts:
            assert len(chart.chart.rows) <= MAX_BARS
            assert any(chart.title.startswith(survey) for survey in surveys), chart.title
    for survey in report.themes:
        assert all(len(questions) <= QUESTIONS_PER_TABLE for questions, _ in survey.parts())


def test_statement_8_names_each_theme_once_per_question(built):
    statement = next(s for s in built["report"].report.statements if s.id == 8)
    named = [fig["label"] for fig in statement.figures]
    assert len(named) == len(set(named)), "one theme once per question"
    assert all("“" in label for label in named), "each names its question"
    clauses = re.findall(r"to “([^”]+)”: (.*?)(?=; to “|\. In the |\.$)", statement.text)
    assert clauses, statement.text
    for question, listed in clauses:
        themes = re.findall(r"(?:^|, )([^()]+?) \(\S+ answers", listed)
        assert themes and len(themes) == len(set(themes)), question


def test_the_docx_has_word_headings_tables_and_charts(built):
    report = built["report"]
    document = docx.Document(str(built["files"]["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Contents",
        "Headline statements",
        "Themes from free-text answers",
        "Panel priorities",
        "Methods",
        "Appendix: the published tables",
    ]
    contents = next(p for p in document.paragraphs if "TOC" in p._p.xml)
    assert all(f"{s.id}. {s.title}" in contents.text for s in report.report.statements)
    subheadings = {p.text for p in document.paragraphs if p.style.name == "Heading 2"}
    paragraphs = {p.text for p in document.paragraphs}
    for statement in report.report.statements:
        assert f"{statement.id}. {statement.title}" in subheadings
        assert statement.text in paragraphs
    rows = {tuple(cell.text for cell in row.cells) for table in document.tables for row in table.rows}
    for _, row in _expected_figure_rows(report):
        assert tuple(map(defuse, row)) in rows, row
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[0].text == "Table : Figures quoted in statement 1", "the number is a Word field"
    assert re.search(r'w:instr=" SEQ Table .*?<w:t>1</w:t>', captions[0]._p.xml, re.S)
    assert len(document.inline_shapes) == sum(len(s.charts) for s in report.statements)
    appendix = [p.text for p in captions if p.text.startswith("Table A")]
    assert len(appendix) == len(report.appendix) and "SEQ TableA" in captions[-1]._p.xml
    assert "SYNTHETIC DEMO DATA" in document.sections[0].header.paragraphs[0].text
    assert any(p.style.name == "Quote" and p.text.strip("“”") in built["quotes"] for p in document.paragraphs)


def test_numbers_in_an_rtl_quote_read_left_to_right_in_html_and_docx(built):
    isolated = "یوتھ کلب ہفتے میں \u20666 7\u2069 دن کھلا ہو، \u206614–16\u2069 سال کے بچوں کے لیے"
    assert isolate_numbers(URDU_QUOTE) == isolated
    html = built["files"]["html"].read_text("utf-8")
    assert f'<blockquote dir="auto"><p>“{isolated}”</p></blockquote>' in html
    document = docx.Document(str(built["files"]["docx"]))
    quote = next(p for p in document.paragraphs if p.style.name == "Quote" and "\u2066" in p.text)
    assert quote.text == f"“{isolated}”"
    assert quote._p.pPr.find(docx.oxml.ns.qn("w:bidi")) is not None, "an Urdu quote runs right to left"


def test_formula_like_text_is_inert_in_docx_tables(built):
    document = docx.Document(str(built["files"]["docx"]))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert f"'{FORMULA_NAME}" in cells
    assert not [text for text in cells if text.startswith(FORMULA_STARTS)]


def test_effective_theme_names_follow_renames_and_merges():
    themes = apply_changes(
        {"a": "A", "b": "B", "c": "C"},
        [("rename", "a", "A2"), ("merge", "b", "a"), ("merge", "a", "c"), ("add", "d", "D")],
    )
    assert themes.labels == {"c": "C", "d": "D"}
    assert themes.canonical("b") == "c" and themes.label("a") == "C"
    folded = themes.fold(pd.DataFrame({"a": [True, False], "b": [False, False], "c": [False, False]}))
    assert folded.to_dict("list") == {"c": [True, False]}


# The command reads the database as the staff download does (tested on both); its own part is here.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_cli_writes_each_format_and_refuses_bad_input(database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x"}
    tmp_path = tmp_path / "out"
    empty = run_cli("report", "sna", "--wave", "demo", "--output", str(tmp_path), env=env)
    assert empty.returncode == 2 and "neither survey has any responses yet" in empty.stderr
    run_cli("demo-data", "--survey", "community", "--responses", "40", env=env)
    unknown = run_cli("report", "sna", "--wave", "spring", "--output", str(tmp_path), env=env)
    assert unknown.returncode == 2 and "no survey has a wave 'spring' (waves: demo)" in unknown.stderr
    bad = run_cli("report", "sna", "--wave", "demo", "--format", "odt", "--output", str(tmp_path), env=env)
    assert bad.returncode == 2 and "unknown format 'odt'" in bad.stderr
    ok = run_cli("report", "sna", "--wave", "demo", "--format", "html", "--output", str(tmp_path), env=env)
    assert ok.returncode == 0, ok.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["community-insights.html"]
    html = (tmp_path / "community-insights.html").read_text("utf-8")
    assert "No young people&#39;s survey responses are in this report" in html, "only surveys with the wave"


def test_staff_page_offers_waves_and_downloads_each_format(built, backend):
    client = built["app"].test_client()
    log_in(client, "analyst@example.org")
    assert "/staff/reports/sna" in client.get("/staff/").get_data(as_text=True)
    page = client.get("/staff/reports/sna?wave=demo")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Demo data (synthetic)" in html and "/staff/reports/sna/community-insights.pdf?wave=demo" in html
    assert client.get("/staff/reports/sna?wave=spring").status_code == 400
    assert client.get("/staff/reports/sna/community-insights.csv?wave=demo").status_code == 404
    assert client.get("/staff/reports/sna/community-insights.pdf").status_code == 400
    # Every format is the same report read from the database, then rendered (each renderer is tested
    # on ``built``'s files): the database's part is downloaded from each backend, a binary one from one.
    formats = {"html": b"<!DOCTYPE html>", "pdf": b"%PDF"}
    if backend[0] == "postgresql":
        formats = {"html": formats["html"]}
    for fmt, start in formats.items():
        response = client.get(f"/staff/reports/sna/community-insights.{fmt}?wave=demo")
        assert response.status_code == 200, fmt
        assert response.data.lstrip().startswith(start), fmt
        assert response.content_type == render.MIME[fmt], fmt
        assert f"community-insights.{fmt}" in response.headers["Content-Disposition"]
    with built["app"].app_context():
        events = (
            db_session().scalars(select(AuditEvent).where(AuditEvent.action == "sna report exported")).all()
        )
    assert [e.detail["format"] for e in events] == list(formats)
    assert all(e.detail["wave"] == "demo" and e.detail["synthetic"] for e in events)


def test_a_report_slower_than_the_wait_is_made_in_the_background_for_its_analyst_only(built):
    """As gunicorn would end a request of 30 seconds, a report not made within
    ``EXPORT_WAIT_SECONDS`` is made in the background: a page waits for it, then links to it."""
    app = built["app"]
    client = app.test_client()
    log_in(client, "analyst@example.org")
    app.config["EXPORT_WAIT_SECONDS"] = 0
    try:
        asked = client.get("/staff/reports/sna/community-insights.html?wave=demo")
    finally:
        app.config["EXPORT_WAIT_SECONDS"] = 300
    assert asked.status_code == 303
    waiting = asked.headers["Location"]
    assert re.fullmatch(r"/staff/reports/sna/prepared/\d+", waiting)
    for _ in range(240):
        html = client.get(waiting).get_data(as_text=True)
        if "The file is ready" in html:
            break
        assert 'http-equiv="refresh"' in html and "The file is being made" in html
        time.sleep(0.5)
    assert f'href="{waiting}/download"' in html and "Download community-insights.html" in html
    assert 'href="/staff/reports/sna"' in html
    file = client.get(f"{waiting}/download")
    assert file.status_code == 200 and file.data.lstrip().startswith(b"<!DOCTYPE html>")
    assert file.content_type == render.MIME["html"]
    assert "community-insights.html" in file.headers["Content-Disposition"]
    with app.app_context():
        create_user(db_session(), "other.analyst@example.org", PASSWORD, "analyst")
    other = app.test_client()
    log_in(other, "other.analyst@example.org")
    assert other.get(waiting).status_code == 404
    assert other.get(f"{waiting}/download").status_code == 404
    assert client.get("/staff/reports/sna/prepared/999999").status_code == 404


def test_a_safeguarding_lead_cannot_open_the_report(built):
    client = built["app"].test_client()
    with built["app"].app_context():
        create_user(db_session(), "lead@example.org", PASSWORD, "safeguarding_lead")
    log_in(client, "lead@example.org")
    assert client.get("/staff/reports/sna?wave=demo").status_code == 403
    assert "/staff/reports/sna" not in client.get("/staff/").get_data(as_text=True)


def test_waves_are_listed_from_both_surveys(built):
    with built["app"].app_context():
        from survey_app.staff.reports.service import wave_options

        options = wave_options(db_session())
    assert [(o.key, o.label, o.synthetic, o.responses) for o in options] == [
        ("demo", "Demo data (synthetic)", True, 600)
    ]
