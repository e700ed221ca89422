"""Read a questionnaire definition (the parsed YAML as a plain dict) for analysis.

The web app hands analysis the definition exactly as parsed, so choice lists may be named or written
in place and rating scales hide one question per statement. These helpers resolve that once, so that
tables, labels and statements never walk the YAML structure by hand and always agree on which
answer keys (columns of the responses frame) an item produces.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

Definition = Mapping[str, Any]
ItemDef = Mapping[str, Any]

SINGLE = "single_choice"
MULTI = "multiple_choice"
SCALE = "rating_scale"
NUMBER = "number"
TEXT_TYPES = frozenset({"short_text", "long_text"})


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


def is_single(item_def: ItemDef) -> bool:
    return item_def["type"] == SINGLE


def is_multi(item_def: ItemDef) -> bool:
    return item_def["type"] == MULTI


def is_scale(item_def: ItemDef) -> bool:
    return item_def["type"] == SCALE


def is_text(item_def: ItemDef) -> bool:
    return item_def["type"] in TEXT_TYPES


def choices(definition: Definition, item_def: ItemDef) -> list[Mapping[str, str]]:
    """The ``{value, label}`` choices of a choice item or the scale points of a rating scale."""
    spec = item_def.get("scale") if is_scale(item_def) else item_def.get("choices")
    if spec is None:
        raise ValueError(f"{item_def['id']}: has no choices")
    if isinstance(spec, str):
        return list(definition["choice_lists"][spec])
    return list(spec)


def choice_values(definition: Definition, item_def: ItemDef) -> tuple[str, ...]:
    return tuple(str(c["value"]) for c in choices(definition, item_def))


def choice_labels(definition: Definition, item_def: ItemDef) -> dict[str, str]:
    return {str(c["value"]): str(c["label"]) for c in choices(definition, item_def)}


def answer_keys(definition: Definition) -> list[str]:
    """Columns the responses frame holds for this questionnaire, in questionnaire order."""
    keys: list[str] = []
    for item_def in items(definition):
        if is_scale(item_def):
            keys += [s["id"] for s in item_def["statements"]]
        elif is_multi(item_def):
            keys += [multi_column(item_def["id"], v) for v in choice_values(definition, item_def)]
        else:
            keys.append(item_def["id"])
    return keys


def choice_questions(definition: Definition) -> list[ChoiceQuestion]:
    """Every single-choice item, rating-scale statement and multiple-choice item, in order."""
    questions: list[ChoiceQuestion] = []
    for item_def in items(definition):
        if not (is_single(item_def) or is_multi(item_def) or is_scale(item_def)):
            continue
        values = choice_values(definition, item_def)
        labels = choice_labels(definition, item_def)
        if is_scale(item_def):
            questions += [
                ChoiceQuestion(
                    s["id"], SINGLE, f"{item_def['label']} {s['label']}", values, labels, item_def["id"]
                )
                for s in item_def["statements"]
            ]
        else:
            questions.append(
                ChoiceQuestion(
                    item_def["id"], item_def["type"], item_def["label"], values, labels, item_def["id"]
                )
            )
    return questions


def text_items(definition: Definition) -> list[ItemDef]:
    """Free-text items, in order."""
    return [i for i in items(definition) if is_text(i)]


def question(definition: Definition, key: str) -> ChoiceQuestion:
    """The choice question whose answer key (or multiple-choice item id) is ``key``."""
    for candidate in choice_questions(definition):
        if candidate.id == key:
            return candidate
    raise KeyError(f"{definition.get('slug')}: no choice question {key!r}")
