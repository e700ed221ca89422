"""The hand-written free-text bank behind demo responses (analysis/data/demo_text.yaml).

It must cover the SNA's themes in the survey's languages, be tagged with the language it is
written in, and hold no personal data except the few fake examples planted for redaction.
"""

import re
from pathlib import Path

import pytest
import yaml

from analysis.text.language import LANGUAGES, detect_language
from analysis.text.redact import redact

BANK_FILE = Path(__file__).resolve().parents[2] / "analysis" / "data" / "demo_text.yaml"
DATA = yaml.safe_load(BANK_FILE.read_text("utf-8"))
ENTRIES = [(question, entry) for question, entries in DATA["answers"].items() for entry in entries]
QUESTIONS = (
    "one_thing_safer",
    "why_carry_knives",
    "anything_else",
    "make_area_safer",
    "causes_of_violence",
    "for_young_people",
    "generic",
)
#: Themes the SNA's "Community Insights" names, which demo text has to let analysis find.
SNA_THEMES = {
    "lighting",
    "transport",
    "youth_provision",
    "police",
    "drugs",
    "gangs",
    "fear_protection",
    "peer_pressure",
    "money",
    "social_media",
    "family",
    "mental_health",
    "education",
    "jobs",
    "safe_spaces",
    "justice",
    "mentoring",
}
REQUIRED_LANGUAGES = {"en", "gu", "pa", "ur", "pl", "so", "ar", "ro", "pt"}
FAKE_PHONE = re.compile(r"07700 900\d{3}|0116 496 0\d{3}")
FAKE_EMAIL = re.compile(r"[\w.]+@example\.com")


def test_every_entry_is_well_formed():
    for question, entry in ENTRIES:
        assert set(entry) <= {"lang", "text", "themes", "pii"}, (question, entry)
        assert entry["lang"] in LANGUAGES, entry
        assert isinstance(entry["text"], str) and entry["text"].strip() == entry["text"] != "", entry
        assert set(entry["themes"]) <= set(DATA["themes"]), entry
        assert len(entry["text"]) <= 2000


def test_no_answer_is_written_twice_for_a_question_and_a_text_has_one_language():
    for question, entries in DATA["answers"].items():
        texts = [entry["text"] for entry in entries]
        assert len(texts) == len(set(texts)), question
    languages: dict[str, set[str]] = {}
    for _, entry in ENTRIES:
        languages.setdefault(entry["text"], set()).add(entry["lang"])
    assert {text: tags for text, tags in languages.items() if len(tags) > 1} == {}


@pytest.mark.parametrize("question", QUESTIONS)
def test_each_question_has_english_and_many_other_languages(question):
    languages = {entry["lang"] for entry in DATA["answers"][question]}
    assert "en" in languages
    assert len(languages) >= 8


def test_the_bank_covers_the_required_languages_and_the_sna_themes():
    assert {entry["lang"] for _, entry in ENTRIES} >= REQUIRED_LANGUAGES
    assert {theme for _, entry in ENTRIES for theme in entry["themes"]} >= SNA_THEMES
    english = [entry for _, entry in ENTRIES if entry["lang"] == "en"]
    assert any(len(entry["text"]) > 150 for entry in english), "no longer answers"
    assert sum(len(entry["text"]) < 20 for entry in english) > 10, "too few short fragments"


def test_each_entry_is_in_the_language_it_is_tagged_with():
    # detect_language keeps the tag when the evidence is weak, so this fails only on a contradiction.
    wrong = [
        (entry["lang"], entry["text"])
        for _, entry in ENTRIES
        if detect_language(entry["text"], entry["lang"]) != entry["lang"]
    ]
    assert wrong == []


def test_personal_data_appears_only_in_the_planted_fake_examples():
    planted = [entry for _, entry in ENTRIES if entry.get("pii")]
    assert 4 <= len(planted) <= 12
    assert {entry["lang"] for entry in planted} - {"en"}, "plant some outside English too"
    for entry in planted:
        text = entry["text"]
        assert redact(text) != text, text
        assert FAKE_PHONE.search(text) or FAKE_EMAIL.search(text), text
        assert not re.search(r"\d", FAKE_EMAIL.sub("", FAKE_PHONE.sub("", text))), text
    for _, entry in ENTRIES:
        if not entry.get("pii"):
            assert redact(entry["text"]) == entry["text"], entry["text"]
