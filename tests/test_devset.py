"""The labelled dev set for the free-text features is complete and well-formed.

These check the set itself (counts, labels, substrings), not how well any feature does on it;
``benchmarks/devset_loader.py`` is the one reader of its files.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from analysis.themes.codebook import load_codebook
from benchmarks.devset_loader import DEVSET_DIR, GROUPS, HARMS, DevsetInvalid, load

MINIMUM = {"disclosure": 14, "alarming": 10, "personal_data": 12, "ordinary": 20}
MINIMUM_PER_HARM = 2
#: Groups whose phone numbers are also written in their script's own digits, and the Unicode
#: name those digits carry.
NATIVE_DIGITS = {
    "gu": "GUJARATI DIGIT",
    "pa": "GURMUKHI DIGIT",
    "ur": "EXTENDED ARABIC-INDIC DIGIT",
    "bn": "BENGALI DIGIT",
    "ar": "ARABIC-INDIC DIGIT",
    "hi": "DEVANAGARI DIGIT",
    "ta": "TAMIL DIGIT",
}


@pytest.fixture(scope="module")
def items():
    return load()


def test_every_group_has_its_file(items):
    assert sorted(path.stem for path in DEVSET_DIR.glob("*.yaml")) == sorted(GROUPS)
    assert {item.group for item in items} == set(GROUPS)


@pytest.mark.parametrize("group", GROUPS)
def test_every_group_has_the_minimum_of_each_kind(items, group):
    kinds = Counter(item.kind for item in items if item.group == group)
    short = {kind: kinds[kind] for kind, minimum in MINIMUM.items() if kinds[kind] < minimum}
    assert not short, f"{group} has too few items of these kinds: {short}"


@pytest.mark.parametrize("group", GROUPS)
def test_every_group_discloses_every_kind_of_harm(items, group):
    harms = Counter(item.harm for item in items if item.group == group and item.kind == "disclosure")
    assert {harm: harms[harm] for harm in HARMS if harms[harm] < MINIMUM_PER_HARM} == {}


def test_every_pii_and_keep_substring_is_in_its_text(items):
    personal = [item for item in items if item.kind == "personal_data"]
    assert all(item.pii for item in personal)
    assert [
        (item.group, part) for item in personal for part in item.pii + item.keep if part not in item.text
    ] == []
    assert any(item.keep for item in personal)


@pytest.mark.parametrize("group", NATIVE_DIGITS)
def test_script_groups_write_some_numbers_in_their_own_digits(items, group):
    digits = [
        part
        for item in items
        if item.group == group
        for part in item.pii
        if any(unicodedata.name(char, "").startswith(NATIVE_DIGITS[group]) for char in part)
    ]
    assert digits, f"{group} has no personal data in its own digits"


def test_themes_are_codebook_ids_and_every_theme_has_answers_in_every_group(items):
    ids = set(load_codebook().ids)
    ordinary = [item for item in items if item.kind == "ordinary"]
    assert {theme for item in ordinary for theme in item.themes} <= ids
    for group in GROUPS:
        used = {theme for item in ordinary if item.group == group for theme in item.themes}
        assert ids - used == set(), f"{group} has no ordinary answer for these themes"


@pytest.mark.parametrize("group", GROUPS)
def test_ordinary_answers_feel_negative_neutral_and_positive(items, group):
    feelings = {item.sentiment for item in items if item.group == group and item.kind == "ordinary"}
    assert min(feelings) < 0 < max(feelings) and 0 in feelings


def test_only_disclosures_carry_a_harm_and_only_ordinary_answers_a_sentiment(items):
    assert all((item.harm is not None) == (item.kind == "disclosure") for item in items)
    assert all((item.sentiment is not None) == (item.kind == "ordinary") for item in items)


def test_one_group_loads_alone():
    assert {item.group for item in load("pa-Latn")} == {"pa-Latn"}
    with pytest.raises(ValueError, match="unknown dev-set group 'pa-latin'"):
        load("pa-latin")


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(directory: Path, group: str) -> list[str]:
    with pytest.raises(DevsetInvalid) as caught:
        load(group, directory)
    return [str(problem) for problem in caught.value.problems]


def test_a_bad_item_is_named_by_file_line_item_and_field(tmp_path):
    write(
        tmp_path,
        "ro",
        """\
group: ro
language: ro
script: Latn
items:
  - text: "ma numesc Ana Pop"
    kind: personal_data
    pii: ["Ana", "Popescu"]
    keep: ["Ana Pop"]
  - text: "mi-e frica"
    kind: disclosure
    harm: fear
  - text: "e ok"
    kind: ordinary
    sentiment: 0.3
    themes: [parks]
  - text: "e ok"
    kind: alarming
    themes: []
""",
    )
    source = str(tmp_path / "ro.yaml")
    assert problems_of(tmp_path, "ro") == [
        f"{source}:7: item 1, 'pii': 'Popescu' does not occur in the text; copy it exactly",
        f"{source}:8: item 1, 'keep': 'Ana Pop' overlaps 'Ana' in pii: nothing can both survive "
        "redaction and disappear",
        f"{source}:11: item 2, 'harm': 'fear' is not one of self_harm, abuse_at_home, sexual_abuse, "
        "criminal_exploitation, weapons, threats_bullying",
        f"{source}:14: item 3, 'sentiment': 0.3 is not a number from -1 to 1 in steps of 0.25",
        f"{source}:15: item 3, 'themes': 'parks' is not a theme id in analysis/data/codebook.yaml",
        f"{source}:16: item 4, 'text': repeats item 3; keep one",
        f"{source}:18: item 4, 'themes': alarming items have no 'themes'; they take only text and kind",
    ]


def test_a_bad_header_is_reported(tmp_path):
    write(tmp_path, "hi-Latn", "group: hi\nlanguage: ur\nscript: Deva\nitems: []\n")
    source = str(tmp_path / "hi-Latn.yaml")
    assert problems_of(tmp_path, "hi-Latn") == [
        f"{source}:1: 'group': is 'hi' but the file is named hi-Latn.yaml; make them agree",
        f"{source}:2: 'language': is 'ur' but group hi-Latn is 'hi'",
        f"{source}:3: 'script': is 'Deva' but group hi-Latn is written in 'Latn'",
        f"{source}:4: 'items': expected a non-empty list of items",
    ]


def test_a_missing_label_and_broken_yaml_are_reported(tmp_path):
    write(
        tmp_path,
        "so",
        'group: so\nlanguage: so\nscript: Latn\nitems:\n  - text: "waan baqaa"\n    kind: disclosure\n',
    )
    assert problems_of(tmp_path, "so") == [f"{tmp_path / 'so.yaml'}:5: item 1: disclosure items need 'harm'"]
    write(tmp_path, "so", "items: [\n")
    assert problems_of(tmp_path, "so")[0].startswith(f"{tmp_path / 'so.yaml'}:2: not valid YAML")


def test_a_file_not_named_after_a_group_is_refused(tmp_path):
    write(tmp_path, "sw", "group: sw\n")
    with pytest.raises(DevsetInvalid, match="'sw' is not a dev-set group"):
        load(directory=tmp_path)


def test_readme_counts_are_the_files_counts(items):
    kinds = ("disclosure", "alarming", "personal_data", "ordinary")
    rows = []
    for group in GROUPS:
        counts = Counter(item.kind for item in items if item.group == group)
        rows.append(
            f"| `{group}` | " + " | ".join(str(counts[kind]) for kind in kinds) + f" | {counts.total()} |"
        )
    counts = Counter(item.kind for item in items)
    rows.append("| all | " + " | ".join(str(counts[kind]) for kind in kinds) + f" | {counts.total()} |")
    for group in GROUPS:
        harms = Counter(item.harm for item in items if item.group == group and item.harm)
        rows.append(f"| `{group}` | " + " | ".join(str(harms[harm]) for harm in HARMS) + " |")
    harms = Counter(item.harm for item in items if item.harm)
    rows.append("| all | " + " | ".join(str(harms[harm]) for harm in HARMS) + " |")
    readme = (DEVSET_DIR / "README.md").read_text(encoding="utf-8")
    assert [row for row in rows if row not in readme] == [], (
        "update the tables in benchmarks/devset/README.md"
    )


def test_a_missing_group_is_an_error_not_a_smaller_set(tmp_path):
    write(tmp_path, "en", (DEVSET_DIR / "en.yaml").read_text(encoding="utf-8"))
    with pytest.raises(DevsetInvalid, match=r"en-slang\.yaml:1: cannot read the file"):
        load(directory=tmp_path)
