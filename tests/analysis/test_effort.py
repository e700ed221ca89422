"""The minutes model and pages cut for a phone, on plain definitions (no app)."""

from __future__ import annotations

from analysis.effort import SECONDS_PER_PAGE, SECONDS_PER_TAP, WORDS_PER_MINUTE, estimated_minutes, screens
from analysis.questionnaire import page_screens, statement_groups

SCALE = {
    "id": "feel",
    "type": "rating_scale",
    "label": "How safe?",
    "statements_per_page": 3,
    "scale": [{"value": "safe", "label": "Safe"}, {"value": "unsafe", "label": "Unsafe"}],
    "statements": [{"id": f"s{n}", "label": f"Place {n}"} for n in range(7)],
}
AFTER = {"id": "why", "type": "long_text", "label": "Why?"}
DEFINITION = {
    "slug": "tiny",
    "title": "Tiny",
    "pages": [{"id": "safe", "title": "Safe", "items": [SCALE, AFTER]}],
}


def test_statements_are_spread_evenly_over_as_few_pages_as_needed():
    assert [len(g) for g in statement_groups(list(range(7)), 3)] == [3, 2, 2]
    assert [len(g) for g in statement_groups(list(range(6)), 3)] == [3, 3]
    assert statement_groups([1, 2], None) == [[1, 2]]
    parts = page_screens(DEFINITION["pages"][0])
    assert [[s["id"] for i in part for s in i.get("statements", [])] for part in parts] == [
        ["s0", "s1", "s2"],
        ["s3", "s4"],
        ["s5", "s6"],
    ]
    assert parts[-1][-1] is AFTER, "an item after the scale stays on its last page"


def test_each_screen_costs_its_words_taps_and_load():
    first, second, last = screens(DEFINITION)
    assert [s.page_id for s in (first, second, last)] == ["safe", "safe.2", "safe.3"]
    # "Safe" + "How safe?" + "Safe Unsafe" + "Place 0".."Place 2": 1 + 2 + 2 + 6 words; 3 answers + Continue.
    assert (first.words, first.taps) == (11, 4)
    assert first.seconds == 60 * 11 / WORDS_PER_MINUTE + 4 * SECONDS_PER_TAP + SECONDS_PER_PAGE
    assert last.taps == 2 + 1 + 1 and last.writing_seconds > 0
    total = first.seconds + second.seconds + last.seconds
    assert 60 < total < 90 and estimated_minutes(DEFINITION) == 1, "about a minute, to the nearest"
    assert estimated_minutes({**DEFINITION, "pages": DEFINITION["pages"] * 2}) == 2
