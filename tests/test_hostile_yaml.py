"""Hostile YAML (questionnaires and codebooks come from people): refused quickly, in little memory,
as file:line: message, never a traceback."""

from __future__ import annotations

import time
import tracemalloc

import pytest
import yaml

from analysis import yaml_lines
from analysis.themes.codebook import CodebookInvalid, load_codebook
from analysis.yaml_lines import MAX_BYTES, MAX_DEPTH
from tests.conftest import QUESTIONNAIRES, ROOT
from tests.test_questionnaire_files import GOOD, problems_in, run_cli

#: The classic 355-byte "billion laughs": nine levels of ten aliases each, 10^9 strings expanded.
BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
DEEP = 10_000
#: Each case: hostile text, and the start of the one problem it must give (after "file:line: ").
HOSTILE = {
    "billion laughs": (BILLION_LAUGHS, "1: the anchor &a is not allowed"),
    "an alias in a real questionnaire": (
        GOOD.replace("title: Tiny", "title: &t Tiny\ndescription: *t"),
        "2: the anchor &t is not allowed",
    ),
    "deep flow lists": (
        "slug: [" + "[" * DEEP + "]" * DEEP + "]\n",
        f"1: blocks are nested more than {MAX_DEPTH} levels deep",
    ),
    "deep flow mappings": (
        "slug: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n",
        f"1: blocks are nested more than {MAX_DEPTH} levels deep",
    ),
    "deep block lists": (
        "".join(f"{'  ' * n}- \n" for n in range(30)),
        f"{MAX_DEPTH + 1}: blocks are nested more than {MAX_DEPTH} levels deep",
    ),
    "a python object tag": (
        GOOD.replace("title: Tiny", "title: !!python/object/apply:os.system [ls]"),
        "2: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed",
    ),
    "an unknown scalar tag": (
        GOOD.replace("title: Tiny", "title: !shell Tiny"),
        "2: the tag !shell is not allowed",
    ),
    "an impossible date": (GOOD.replace("title: Tiny", "title: 2026-02-30"), "2: cannot read the value"),
    "too large": ("slug: tiny\n" + "# padding\n" * (MAX_BYTES // 10), "1: the file has 1,000,011 bytes"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_questionnaires_are_refused_quickly_in_little_memory(tmp_path, case):
    text, expected = HOSTILE[case]
    tracemalloc.start()
    started = time.perf_counter()
    problems = problems_in(tmp_path, text)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{tmp_path / 'broken.yaml'}:{expected}"), problems
    # Generous for a loaded machine; the unprotected billion laughs took 121 s and 12.8 GB.
    assert elapsed < 10, elapsed
    assert peak < 50 * 2**20, peak


def test_the_check_command_refuses_billion_laughs_with_file_and_line(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS)
    started = time.perf_counter()
    result = run_cli("questionnaires", "check", str(path))
    assert time.perf_counter() - started < 60
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith(f"{path}:1: the anchor &a is not allowed")


def test_codebooks_get_the_same_limits(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(BILLION_LAUGHS)
    with pytest.raises(CodebookInvalid, match=r"codebook.yaml:1: the anchor &a is not allowed"):
        load_codebook(path)
    path.write_text("themes:\n" + "#\n" * MAX_BYTES)
    with pytest.raises(CodebookInvalid, match=r"codebook.yaml:1: the file has 2,000,008 bytes"):
        load_codebook(path)


@pytest.mark.parametrize(
    "path",
    [*sorted(QUESTIONNAIRES.glob("*.yaml")), ROOT / "analysis" / "data" / "codebook.yaml"],
    ids=lambda path: path.name,
)
def test_libyaml_reads_every_shipped_file_as_the_python_parser_does(path):
    """The fast parser gives the same values on the same lines; the slow one is kept for problems."""
    text = path.read_text("utf-8")
    assert yaml_lines._FAST is yaml.CSafeLoader, "PyYAML's wheels come with libyaml"
    fast, slow = yaml_lines._load(text, yaml.CSafeLoader), yaml_lines._load(text, yaml.SafeLoader)
    assert fast[0] == slow[0] and fast[1].lines == slow[1].lines
