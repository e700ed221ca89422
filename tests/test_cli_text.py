"""`insight text ...` on analysts' CSV files: one column added, bad input exits 2 with a reason."""

from __future__ import annotations

import csv
import io
import os

import pytest

from tests.conftest import TRANSLATIONS
from tests.test_questionnaire_files import run_cli

ROWS = [
    {"id": "1", "answer": "I feel really unsafe walking home, there are no lights. Email me a@b.com"},
    {"id": "2", "answer": "The youth club is brilliant and the staff are kind"},
    {"id": "3", "answer": "Czuję się bezpiecznie w parku, ale wieczorem jest ciemno i strasznie"},
    {"id": "4", "answer": ""},
    {"id": "5", "answer": "my mate is made to carry a knife for the older lot, he owes them money"},
    {"id": "6", "answer": "kabhi kabhi lagta hai mar jaun, koi notice bhi nahi karega"},
]


@pytest.fixture
def answers_csv(tmp_path):
    path = tmp_path / "answers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "answer"])
        writer.writeheader()
        writer.writerows(ROWS)
    return path


def read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_sentiment_adds_a_column_empty_where_nothing_was_said(answers_csv, tmp_path):
    output = tmp_path / "out.csv"
    result = run_cli("text", "sentiment", str(answers_csv), "--column", "answer", "--output", str(output))
    assert result.returncode == 0, result.stderr
    rows = read(output.read_text("utf-8"))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert [r["answer"] for r in rows] == [r["answer"] for r in ROWS]
    assert float(rows[0]["sentiment"]) < 0 < float(rows[1]["sentiment"])
    assert float(rows[2]["sentiment"]) < 0, "Polish is scored with the Polish word list"
    assert rows[3]["sentiment"] == ""


def test_the_survey_language_is_one_of_the_languages_file(answers_csv, tmp_path):
    translations = tmp_path / "translations"
    translations.mkdir()
    french_line = "- {code: fr, name: Français, dir: ltr}\n"
    languages = (TRANSLATIONS / "languages.yaml").read_text("utf-8") + french_line
    (translations / "languages.yaml").write_text(languages, "utf-8")
    env = {**os.environ, "TRANSLATIONS_DIR": str(translations)}
    command = ("text", "sentiment", str(answers_csv), "--column", "answer", "--language")
    french = run_cli(*command, "fr", env=env)
    assert french.returncode == 0, french.stderr
    assert float(read(french.stdout)[1]["sentiment"]) > 0, "English answers are scored in any survey"
    unknown = run_cli(*command, "xx", env=env)
    assert unknown.returncode == 2
    assert "'xx' is not a survey language; choose one of en, gu" in unknown.stderr
    assert ", fr (translations/languages.yaml)" in unknown.stderr


def test_redact_and_flags_write_to_standard_output(answers_csv):
    redacted = read(run_cli("text", "redact", str(answers_csv), "--column", "answer").stdout)
    assert "[email]" in redacted[0]["redacted"] and "a@b.com" not in redacted[0]["redacted"]
    flagged = read(run_cli("text", "flags", str(answers_csv), "--column", "answer").stdout)
    assert [r["safeguarding"] for r in flagged] == ["false", "false", "false", "false", "true", "true"]
    assert [r["harm"] for r in flagged] == ["", "", "", "", "criminal_exploitation;weapons", "self_harm"]


def test_missing_column_exits_2_and_names_the_columns(answers_csv):
    result = run_cli("text", "sentiment", str(answers_csv), "--column", "comment")
    assert result.returncode == 2
    assert "there is no column 'comment'; the columns are: id, answer" in result.stderr
    assert "Traceback" not in result.stderr


def test_non_utf8_file_exits_2_with_the_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,answer\n1,caf\xe9 is closed\n".encode("latin-1"))
    result = run_cli("text", "redact", str(path), "--column", "answer")
    assert result.returncode == 2
    assert f"{path}:2: the file is not UTF-8 text" in result.stderr


def test_missing_and_empty_files_exit_2(tmp_path):
    missing = run_cli("text", "flags", str(tmp_path / "nope.csv"), "--column", "answer")
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = run_cli("text", "flags", str(empty), "--column", "answer")
    assert result.returncode == 2 and "the file is empty" in result.stderr


def test_themes_lists_theme_ids(answers_csv, tmp_path):
    result = run_cli("text", "themes", str(answers_csv), "--column", "answer")
    assert result.returncode == 0, result.stderr
    rows = read(result.stdout)
    assert "lighting_and_environment" in rows[0]["themes"].split(";")
    assert rows[3]["themes"] == ""
    assert {"gangs_and_exploitation", "money_problems"} <= set(rows[4]["themes"].split(";"))


def test_themes_with_a_broken_codebook_exits_2(answers_csv, tmp_path):
    broken = tmp_path / "codebook.yaml"
    broken.write_text("version: 1\nthemes: nope\n")
    result = run_cli("text", "themes", str(answers_csv), "--column", "answer", "--codebook", str(broken))
    assert result.returncode == 2 and "the codebook is not valid" in result.stderr
