"""Immutable questionnaire definitions, as parsed from a checked YAML file.

Keys (`id`, `value`) are stable and never translated; labels are English source text that the
`questionnaires` gettext domain translates (message context: "<slug>.<item id>").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.item_types import ItemType, item_type


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Condition:
    """Show an item only when an earlier item's answer is one of `any_of`."""

    item: str
    any_of: tuple[str, ...]

    def holds(self, answers: dict) -> bool:
        answer = answers.get(self.item)
        if isinstance(answer, list):
            return any(value in self.any_of for value in answer)
        return answer in self.any_of


@dataclass(frozen=True)
class Statement:
    id: str
    label: str


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    label: str
    help: str | None = None
    optional: bool = False
    sensitive: bool = False
    show_if: Condition | None = None
    choices: tuple[Choice, ...] = ()
    exclusive: tuple[str, ...] = ()
    max_choices: int | None = None
    statements: tuple[Statement, ...] = ()
    min: int | None = None
    max: int | None = None
    max_length: int | None = None

    def visible(self, answers: dict) -> bool:
        return self.show_if is None or self.show_if.holds(answers)

    @property
    def kind(self) -> ItemType:
        """The kind of question it is: how it is asked, stored, exported and tabulated."""
        return item_type(self.type)

    @property
    def answer_keys(self) -> tuple[str, ...]:
        """The keys under which this item's answers are stored: one per statement for a scale."""
        return self.kind.answer_keys(self.id, [statement.id for statement in self.statements])

    def choice_label(self, value: str) -> str | None:
        return next((choice.label for choice in self.choices if choice.value == value), None)


@dataclass(frozen=True)
class Page:
    """One screen of questions. A page of the YAML file with an item marked ``new_screen``, or
    whose rating scale has ``statements_per_page``, becomes several: the first keeps the file's
    page id, the next ones are ``<id>.2``, ``<id>.3``... and share its ``section`` (the file's page
    id), whose title they show.
    """

    id: str
    title: str
    items: tuple[Item, ...]
    #: the id of the file's page this one comes from: the message context of its title and intro
    section: str
    intro: str | None = None

    def visible(self, answers: dict) -> bool:
        """The page's condition: it is shown when any of its items applies, so a page whose every
        item has a ``show_if`` is skipped (going on and going back) by everyone it does not apply to."""
        return any(item.visible(answers) for item in self.items)


@dataclass(frozen=True)
class Questionnaire:
    slug: str
    title: str
    pages: tuple[Page, ...]
    content_hash: str
    intro: str | None = None
    audience: str | None = None
    minutes: int | None = None
    source: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for page in self.pages for item in page.items)

    def item(self, item_id: str) -> Item:
        return next(item for item in self.items if item.id == item_id)

    def visible_pages(self, answers: dict) -> list[Page]:
        return [page for page in self.pages if page.visible(answers)]
