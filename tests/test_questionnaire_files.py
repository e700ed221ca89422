"""Questionnaire files: the shipped ones are valid; broken ones get file:line: message, exit 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from survey_app.definitions import check_paths, load_file, parse
from survey_app.definitions.loader import QuestionnaireInvalid
from tests.conftest import QUESTIONNAIRES, ROOT, TEST_QUESTIONNAIRES

GOOD = """\
slug: tiny
title: Tiny
choice_lists:
  yn:
    - {value: "yes", label: "Yes"}
    - {value: "no", label: "No"}
pages:
  - id: one
    title: One
    items:
      - id: q1
        type: single_choice
        label: Q1?
        choices: yn
"""


def problems_in(tmp_path: Path, text: str | bytes) -> list[str]:
    path = tmp_path / "broken.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return [str(p) for p in check_paths([path])]


def test_shipped_questionnaires_are_valid():
    assert check_paths([QUESTIONNAIRES, TEST_QUESTIONNAIRES]) == []
    slugs = {load_file(p).slug for p in QUESTIONNAIRES.glob("*.yaml")}
    assert {"young-people", "community"} <= slugs


def test_a_small_valid_file_parses():
    definition = parse(GOOD, "tiny.yaml")
    assert definition.slug == "tiny"
    assert [i.id for i in definition.items] == ["q1"]
    assert len(definition.content_hash) == 64


def test_reformatting_and_comments_do_not_change_the_version():
    reformatted = "# a comment\n" + GOOD.replace(
        '{value: "no", label: "No"}', "\n      value: 'no'\n      label: 'No'"
    )
    assert parse(reformatted).content_hash == parse(GOOD).content_hash
    assert parse(GOOD.replace("Q1?", "Question one?")).content_hash != parse(GOOD).content_hash


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        (GOOD.replace("choices: yn", "choices: yesno"), 14, "choice list 'yesno' does not exist"),
        (
            GOOD.replace("      - id: q1\n", "      - id: q1\n        colour: red\n"),
            12,
            "unknown field(s) colour",
        ),
        (GOOD.replace("type: single_choice", "type: dropdown"), 12, "'dropdown' is not one of"),
        (
            GOOD + "      - id: q1\n        type: short_text\n        label: Again\n",
            15,
            "id 'q1' is used twice",
        ),
        (
            GOOD.replace(
                "        choices: yn\n", "        choices: yn\n        show_if: {item: q9, any_of: [x]}\n"
            ),
            15,
            "not an earlier item",
        ),
        (
            GOOD + "      - id: q2\n        type: short_text\n        label: Q2\n"
            "        show_if: {item: q1, any_of: [maybe]}\n",
            18,
            "'maybe' is not a choice of 'q1'",
        ),
        (GOOD.replace("slug: tiny", "slug: Tiny Survey"), 1, "not a valid name"),
        (GOOD.replace("title: Tiny\n", "title: Tiny\ntitle: Again\n"), 3, "'title' appears twice"),
        (GOOD.replace("    title: One\n", ""), 8, "'title' is required"),
        ("slug: x\ntitle: [unclosed\n", 3, "not valid YAML"),
        (
            GOOD.replace('{value: "no", label: "No"}', '{value: "yes", label: "Also yes"}'),
            6,
            "choice value 'yes' is used twice",
        ),
    ],
)
def test_each_problem_names_the_line_and_what_is_wrong(tmp_path, broken, line, words):
    found = problems_in(tmp_path, broken)
    assert any(p.startswith(f"{tmp_path / 'broken.yaml'}:{line}: ") and words in p for p in found), found


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    found = problems_in(tmp_path, GOOD.replace("Tiny", "T\xefny").encode("latin-1"))
    assert found and ":1: not UTF-8 text" in found[0]


def test_two_files_with_one_slug(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD.replace("title: Tiny", "title: Other"))
    assert [str(p) for p in check_paths([tmp_path])] == [
        f"{tmp_path / 'b.yaml'}:1: slug 'tiny' is already used by {tmp_path / 'a.yaml'}"
    ]


def test_load_file_raises_with_every_problem(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text(
        GOOD.replace("choices: yn", "choices: nope") + "      - id: q1\n        type: number\n"
        "        label: Again\n"
    )
    with pytest.raises(QuestionnaireInvalid) as raised:
        load_file(path)
    assert len(raised.value.problems) == 2


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    insight = Path(sys.executable).with_name("insight")
    return subprocess.run(
        [str(insight), *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )


def test_cli_check_exit_codes_and_output(tmp_path):
    ok = run_cli("questionnaires", "check", str(QUESTIONNAIRES))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout == ""
    broken = tmp_path / "broken.yaml"
    broken.write_text(GOOD.replace("choices: yn", "choices: yesno"))
    bad = run_cli("questionnaires", "check", str(QUESTIONNAIRES), str(broken))
    assert bad.returncode == 1
    assert bad.stdout.splitlines() == [f"{broken}:14: choice list 'yesno' does not exist (choice_lists: yn)"]
    assert "Traceback" not in bad.stderr
