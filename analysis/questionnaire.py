"""Read a questionnaire definition (the parsed YAML as a plain dict) for analysis.

The web app hands analysis the definition exactly as parsed, so choice lists may be named or written
in place and rating scales hide one question per statement. These helpers resolve that once, so that
tables, labels and statements never walk the YAML structure by hand and always agree on which
answer keys (columns of the responses frame) an item produces.

A questionnaire changes over the years, and every version's answers stay in the responses frame.
``merge_versions`` makes one definition that reads them all, so a choice a new version dropped
stays readable for the answers given while it was offered.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from analysis.item_types import MULTI_TABLE, SINGLE_TABLE, ItemType, Number, RatingScale, item_type

Definition = Mapping[str, Any]
ItemDef = Mapping[str, Any]
T = TypeVar("T")

#: The kinds of ``ChoiceQuestion``: one answer per person, or any number of ticks.
SINGLE = SINGLE_TABLE
MULTI = MULTI_TABLE
SCALE = RatingScale.name
NUMBER = Number.name
#: Added to the label of a choice (or scale point) only older versions offered, and of an item or
#: rating-scale statement only older versions asked.
NO_LONGER_OFFERED = "no longer offered"
NO_LONGER_ASKED = "no longer asked"
#: The page that holds, in a merged definition, the items only older versions asked.
EARLIER_VERSIONS_PAGE = "earlier_versions"


class VersionConflict(ValueError):
    """Two versions of a questionnaire ask the same item id as different types of question."""

    def __init__(self, message: str, item_id: str):
        super().__init__(message)
        self.item_id = item_id


@dataclass(frozen=True)
class ChoiceQuestion:
    """One tabulable question: a single-choice item, one statement of a rating scale, or a
    multiple-choice item.

    ``id`` is the answer key of a single choice or statement and the item id of a multiple choice
    (whose columns are ``columns``). ``values`` are in questionnaire order, which is scale order.
    """

    id: str
    kind: str
    label: str
    values: tuple[str, ...]
    labels: Mapping[str, str]
    item_id: str

    @property
    def columns(self) -> tuple[str, ...]:
        """Columns of the responses frame that hold this question's answers."""
        if self.kind == MULTI:
            return tuple(multi_column(self.id, v) for v in self.values)
        return (self.id,)


def multi_column(item_id: str, value: str) -> str:
    """Column holding whether ``value`` was ticked for a multiple-choice item."""
    return f"{item_id}.{value}"


def items(definition: Definition) -> Iterator[ItemDef]:
    """Every item, page by page, in questionnaire order."""
    for page in definition.get("pages", []):
        yield from page.get("items", [])


def item(definition: Definition, item_id: str) -> ItemDef:
    """The item with id ``item_id``; KeyError if there is none."""
    for candidate in items(definition):
        if candidate["id"] == item_id:
            return candidate
    raise KeyError(f"{definition.get('slug')}: no item {item_id!r}")


def kind_of(item_def: ItemDef) -> ItemType:
    """The kind of question an item is (see ``analysis.item_types``)."""
    return item_type(item_def["type"])


def choices(definition: Definition, item_def: ItemDef) -> list[Mapping[str, str]]:
    """The ``{value, label}`` choices of a choice item or the scale points of a rating scale."""
    key = kind_of(item_def).options_key
    spec = item_def.get(key) if key else None
    if spec is None:
        raise ValueError(f"{item_def['id']}: has no choices")
    if isinstance(spec, str):
        return list(definition["choice_lists"][spec])
    return list(spec)


def choice_values(definition: Definition, item_def: ItemDef) -> tuple[str, ...]:
    return tuple(str(c["value"]) for c in choices(definition, item_def))


def choice_labels(definition: Definition, item_def: ItemDef) -> dict[str, str]:
    return {str(c["value"]): str(c["label"]) for c in choices(definition, item_def)}


def _in_place(definition: Definition, item_def: ItemDef) -> dict[str, Any]:
    """A copy of the item with its choices or scale written out, so versions can be compared."""
    copy = dict(item_def)
    key = kind_of(item_def).options_key
    if key in item_def:
        copy[key] = [dict(c) for c in choices(definition, item_def)]
    if "statements" in item_def:
        copy["statements"] = [dict(s) for s in item_def["statements"]]
    return copy


def _retired(entry: Mapping[str, Any], note: str) -> dict[str, Any]:
    return {**entry, "label": f"{entry['label']} ({note})", "retired": True}


def _with_older(newer: list[dict], older: list[dict], key: str, note: str) -> list[dict]:
    """``newer`` in order, then the entries of ``older`` it lacks (by ``key``), marked retired."""
    known = {str(entry[key]) for entry in newer}
    return newer + [_retired(entry, note) for entry in older if str(entry[key]) not in known]


#: The lists of an item merged across versions: (key, what identifies an entry, note when retired).
_MERGED_LISTS = (
    ("choices", "value", NO_LONGER_OFFERED),
    ("scale", "value", NO_LONGER_OFFERED),
    ("statements", "id", NO_LONGER_ASKED),
)


def merge_versions(versions: Mapping[str, Definition]) -> dict[str, Any]:
    """One definition that reads the answers to every version of a questionnaire.

    ``versions`` maps each version's name to its definition: the current version first, then newest
    to oldest. The result is a definition of the current version's shape (every helper of this
    module reads it) with:

    * the current version's pages and items, then a last page (``EARLIER_VERSIONS_PAGE``) of the
      items only older versions asked, as the newest of them asked it, marked ``retired``;
    * for each choice item and rating scale, the current choices, scale points and statements in
      order, then those only older versions had, as the newest of them had them, marked ``retired``;
    * labels from the newest version with that item, choice or statement, so a reworded label
      reads as it does now; a retired one says "(no longer offered)" or "(no longer asked)";
    * choices written in place (no named ``choice_lists``).

    An item whose type differs between versions cannot be read as one question: VersionConflict
    names the survey, the item, both versions and both types.
    """
    names = list(versions)
    if not names:
        raise ValueError("merge_versions needs at least one version")
    current = versions[names[0]]
    merged: dict[str, dict[str, Any]] = {}
    asked_in: dict[str, str] = {}
    for name, definition in versions.items():
        for item_def in items(definition):
            older = _in_place(definition, item_def)
            newer = merged.get(older["id"])
            if newer is None:
                merged[older["id"]] = older if definition is current else _retired(older, NO_LONGER_ASKED)
                asked_in[older["id"]] = name
                continue
            if newer["type"] != older["type"]:
                raise VersionConflict(
                    f"{current.get('slug')}: the item '{older['id']}' is a {newer['type']} in "
                    f"{asked_in[older['id']]} but a {older['type']} in {name}, so their answers cannot "
                    "be read as one question. Keep each item's type in new versions, and give a "
                    "question of another type a new id.",
                    older["id"],
                )
            for key, by, note in _MERGED_LISTS:
                if key in newer and key in older:
                    newer[key] = _with_older(newer[key], older[key], by, note)
    pages = [
        {**page, "items": [merged[i["id"]] for i in page.get("items", [])]}
        for page in current.get("pages", [])
    ]
    earlier = [entry for entry in merged.values() if entry.get("retired")]
    if earlier:
        pages.append(
            {"id": EARLIER_VERSIONS_PAGE, "title": "Asked in earlier versions only", "items": earlier}
        )
    return {**{k: v for k, v in current.items() if k != "choice_lists"}, "pages": pages}


def statement_groups(statements: Sequence[T], per_page: int | None) -> list[Sequence[T]]:
    """A rating scale's statements as its pages show them: with ``statements_per_page``, cut into as
    few groups of at most that many as possible, spread evenly (7 by 3: 3, 2, 2); else one group."""
    if not per_page or not statements:
        return [statements]
    count = -(-len(statements) // per_page)
    size, larger = divmod(len(statements), count)
    groups, start = [], 0
    for n in range(count):
        end = start + size + (n < larger)
        groups.append(statements[start:end])
        start = end
    return groups


def screen_id(page_id: str, number: int) -> str:
    """The id of a page's ``number``-th screen (from 0): the page's own id, then ``<id>.2``, ``<id>.3``..."""
    return page_id if number == 0 else f"{page_id}.{number + 1}"


def page_screens(page: Mapping[str, Any]) -> list[list[ItemDef]]:
    """The screens a page of the questionnaire is shown on, each a list of items: one screen, or a
    cut before each item with ``new_screen`` and between the statement groups of each rating scale
    with ``statements_per_page`` (items before a cut stay on the screen before it). A part of a
    scale is its item with some of its statements."""
    screens: list[list[ItemDef]] = [[]]
    for item_def in page.get("items", []):
        if item_def.get("new_screen") and screens[-1]:
            screens.append([])
        groups = statement_groups(item_def.get("statements", []), item_def.get("statements_per_page"))
        for n, group in enumerate(groups):
            if n:
                screens.append([])
            part = {**item_def, "statements": list(group)} if "statements" in item_def else item_def
            screens[-1].append(part)
    return screens


def answer_keys(definition: Definition) -> list[str]:
    """Columns the responses frame holds for this questionnaire, in questionnaire order."""
    keys: list[str] = []
    for item_def in items(definition):
        kind = kind_of(item_def)
        if kind.tabulated == MULTI:
            keys += [multi_column(item_def["id"], v) for v in choice_values(definition, item_def)]
        else:
            keys += kind.answer_keys(item_def["id"], [s["id"] for s in item_def.get("statements", [])])
    return keys


def choice_questions(definition: Definition) -> list[ChoiceQuestion]:
    """Every single-choice item, rating-scale statement and multiple-choice item, in order."""
    questions: list[ChoiceQuestion] = []
    for item_def in items(definition):
        kind = kind_of(item_def)
        if kind.tabulated is None:
            continue
        values = choice_values(definition, item_def)
        labels = choice_labels(definition, item_def)
        # A rating scale's statements are each a question, labelled with the item's label first.
        statements = {s["id"]: f"{item_def['label']} {s['label']}" for s in item_def.get("statements", [])}
        questions += [
            ChoiceQuestion(
                key, kind.tabulated, statements.get(key, item_def["label"]), values, labels, item_def["id"]
            )
            for key in kind.answer_keys(item_def["id"], list(statements))
        ]
    return questions


def text_items(definition: Definition) -> list[ItemDef]:
    """Free-text items, in order."""
    return [i for i in items(definition) if kind_of(i).free_text]


def question(definition: Definition, key: str) -> ChoiceQuestion:
    """The choice question whose answer key (or multiple-choice item id) is ``key``."""
    for candidate in choice_questions(definition):
        if candidate.id == key:
            return candidate
    raise KeyError(f"{definition.get('slug')}: no choice question {key!r}")
