"""The kinds of question a questionnaire can ask, one class each: what every part of the product
needs to know about a ``type:`` of item, kept in one place.

Each class says how the item is asked (``control``, the form control; ``options_key``, where the
file lists its options; ``answer_keys``, one answer per statement for a scale), how its answer is
stored (``stored``, the ``item.kind`` of its rows, and ``columns``), how it is exported (``measure``,
the SPSS measurement level) and how it is analysed (``tabulated``, the kind of table it gets, and
``free_text``). The web app, the text pipeline, exports and reports read these instead of testing
type names. A new kind of question is a new class in ``ITEM_TYPES`` (and the schema's ``type`` enum,
which a test holds to it), plus its form control if it needs a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

#: ``item.kind``: how an item's answers are stored.
SINGLE_STORED = "single"  # one ``answer.choice_id``
MULTIPLE_STORED = "multiple"  # one ``answer_choice`` row per ticked option
NUMBER_STORED = "number"  # ``answer.number``
TEXT_STORED = "text"  # ``answer.text``, redacted and screened

#: How a tabulated item is tabulated: one answer per person, or any number of ticks.
SINGLE_TABLE = "single_choice"
MULTI_TABLE = "multiple_choice"


class ItemType:
    """A kind of question; subclasses are the kinds, ``ITEM_TYPES`` holds one of each."""

    #: the ``type:`` written in a questionnaire file
    name: ClassVar[str]
    #: the form control that asks it: "radios", "checkboxes", "number", "text" or "textarea"
    control: ClassVar[str]
    #: where the file lists its options ("choices" or "scale"); None when it has none
    options_key: ClassVar[str | None] = None
    #: asked once per statement (``statements`` in the file), each with the item's options
    per_statement: ClassVar[bool] = False
    #: how its answers are stored (``item.kind``)
    stored: ClassVar[str]
    #: the kind of table its answers get (``SINGLE_TABLE`` or ``MULTI_TABLE``); None: not tabulated
    tabulated: ClassVar[str | None] = None
    #: free text: redacted, screened for safeguarding, coded for themes and scored for sentiment
    free_text: ClassVar[bool] = False
    #: the longest answer accepted when the file gives no ``max_length``
    default_max_length: ClassVar[int | None] = None
    #: the SPSS measurement level of its export variable(s)
    measure: ClassVar[str] = "nominal"

    @property
    def has_options(self) -> bool:
        return self.options_key is not None

    def answer_keys(self, item_id: str, statement_ids: Sequence[str]) -> tuple[str, ...]:
        """The keys its answers are kept under: the item's id, or each statement's."""
        return tuple(statement_ids) if self.per_statement else (item_id,)

    def columns(
        self, value: Any, choice_ids: Mapping[str, int], screen: Callable[[str], Mapping[str, Any]]
    ) -> tuple[dict[str, Any], list[int]]:
        """The ``answer`` columns that store a checked answer, and the ids of the options it ticks
        (``answer_choice`` rows). ``screen`` redacts and screens free text. Raises KeyError,
        TypeError or ValueError for an answer the question does not offer."""
        raise NotImplementedError


class SingleChoice(ItemType):
    name = "single_choice"
    control = "radios"
    options_key = "choices"
    stored = SINGLE_STORED
    tabulated = SINGLE_TABLE

    def columns(self, value, choice_ids, screen):
        return {"choice_id": choice_ids[value]}, []


class RatingScale(SingleChoice):
    """Statements each rated on one scale: one single choice per statement."""

    name = "rating_scale"
    options_key = "scale"
    per_statement = True
    measure = "ordinal"


class MultipleChoice(ItemType):
    name = "multiple_choice"
    control = "checkboxes"
    options_key = "choices"
    stored = MULTIPLE_STORED
    tabulated = MULTI_TABLE

    def columns(self, value, choice_ids, screen):
        if isinstance(value, str):
            raise TypeError("a multiple choice answer is a list of options")
        return {}, [choice_ids[v] for v in value]


class Number(ItemType):
    name = "number"
    control = "number"
    stored = NUMBER_STORED
    measure = "scale"

    def columns(self, value, choice_ids, screen):
        return {"number": int(value)}, []


class ShortText(ItemType):
    name = "short_text"
    control = "text"
    stored = TEXT_STORED
    free_text = True
    default_max_length = 200

    def columns(self, value, choice_ids, screen):
        return dict(screen(str(value))), []


class LongText(ShortText):
    name = "long_text"
    control = "textarea"
    default_max_length = 2000


#: Every kind of question, by the name files use.
ITEM_TYPES: dict[str, ItemType] = {
    kind.name: kind() for kind in (SingleChoice, MultipleChoice, RatingScale, Number, ShortText, LongText)
}
#: Every value ``item.kind`` may hold.
STORED_KINDS = tuple(dict.fromkeys(kind.stored for kind in ITEM_TYPES.values()))


def item_type(name: str) -> ItemType:
    """The kind of question called ``name``; KeyError naming the known ones if there is none."""
    try:
        return ITEM_TYPES[name]
    except KeyError:
        raise KeyError(f"unknown item type {name!r} (known: {', '.join(ITEM_TYPES)})") from None
