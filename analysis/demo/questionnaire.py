"""The questionnaire as the generator reads it: items with their choice lists resolved once."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from analysis.item_types import ItemType, item_type

# Answers that are not an opinion: kept small, and left out of the generic "popular" answers.
DONT_KNOW = "dont_know"
PREFER_NOT = "prefer_not_to_say"
NOT_APPLICABLE = "does_not_apply"
NON_ANSWERS = frozenset(
    {
        DONT_KNOW,
        PREFER_NOT,
        NOT_APPLICABLE,
        "other",
        "somewhere_else",
        "none_of_these",
        "no_one",
        "someone_else",
        "none",
    }
)


@dataclass(frozen=True, slots=True)
class OrdinalScale:
    """A standard answer scale, its opinion points ordered from best to worst.

    The latent "how bad is it" of a respondent is cut into these points, so any statement using
    the scale gets answers that move with deprivation and worry, not random noise.
    """

    points: tuple[str, ...]
    #: Share of "Don't know" where the item offers it.
    dont_know: float
    #: Distance between neighbouring points on the latent axis: wider keeps more people in the
    #: middle points, as real answers on four-point scales do.
    spacing: float = 1.5
    #: Where the latent axis is cut between neighbouring points, centred on zero.
    cuts: tuple[float, ...] = field(init=False)

    def __post_init__(self) -> None:
        points = len(self.points)
        cuts = tuple(self.spacing * (j - (points - 2) / 2) for j in range(points - 1))
        object.__setattr__(self, "cuts", cuts)


SCALES = (
    OrdinalScale(("very_safe", "fairly_safe", "a_bit_unsafe", "very_unsafe"), 0.02),
    OrdinalScale(("not_at_all_worried", "not_very_worried", "fairly_worried", "very_worried"), 0.03),
    OrdinalScale(("not_a_problem", "not_very_big_problem", "fairly_big_problem", "very_big_problem"), 0.06),
    OrdinalScale(("never", "once_or_twice", "sometimes", "frequently"), 0.04),
    OrdinalScale(("strongly_agree", "agree", "neither", "disagree", "strongly_disagree"), 0.05, 1.2),
    OrdinalScale(("excellent", "good", "fair", "poor", "very_poor"), 0.12, 1.2),
)


@dataclass(frozen=True, slots=True)
class Item:
    """A questionnaire item with its choice list resolved, ready to answer many times."""

    id: str
    kind: ItemType
    optional: bool
    sensitive: bool
    condition: tuple[str, frozenset[str]] | None
    values: tuple[str, ...]
    exclusive: tuple[str, ...]
    max_choices: int | None
    keys: tuple[str, ...]
    minimum: int | None
    maximum: int | None
    max_length: int
    scale: OrdinalScale | None
    #: Generic answer weights per value, used when nothing better is known about the item.
    popularity: tuple[float, ...]
    #: Offers "yes" and "no", so an unknown question can still be answered from the person.
    offers_yes_no: bool

    def visible(self, answers: Mapping[str, object]) -> bool:
        """The app's rule: shown only when the earlier answer (or any ticked value) is listed."""
        if self.condition is None:
            return True
        key, any_of = self.condition
        answer = answers.get(key)
        if isinstance(answer, list):
            return any(value in any_of for value in answer)
        return answer in any_of


def resolve_items(definition: dict, seed: int) -> list[Item]:
    """Resolve every item's choice list once, so answering a thousand people stays cheap."""
    lists = definition.get("choice_lists") or {}
    items = []
    for page in definition["pages"]:
        for raw in page["items"]:
            try:
                kind = item_type(raw["type"])
            except KeyError as error:
                raise ValueError(f"item {raw['id']!r}: {error.args[0]}") from None
            source = raw.get(kind.options_key, ()) if kind.options_key else ()
            entries = lists[source] if isinstance(source, str) else source
            values = tuple(entry["value"] for entry in entries)
            condition = raw.get("show_if")
            statements = tuple(statement["id"] for statement in raw.get("statements", ()))
            keys = kind.answer_keys(raw["id"], statements)
            shape = random.Random(f"{seed}:{raw['id']}")
            items.append(
                Item(
                    id=raw["id"],
                    kind=kind,
                    optional=bool(raw.get("optional", False)),
                    sensitive=bool(raw.get("sensitive", False)),
                    condition=(condition["item"], frozenset(condition["any_of"])) if condition else None,
                    values=values,
                    exclusive=tuple(value for value in values if value in set(raw.get("exclusive", ()))),
                    max_choices=raw.get("max_choices"),
                    keys=keys,
                    minimum=raw.get("min"),
                    maximum=raw.get("max"),
                    max_length=raw.get("max_length", kind.default_max_length or 0),
                    scale=next((scale for scale in SCALES if set(scale.points) <= set(values)), None),
                    popularity=tuple(
                        0.05 if value in NON_ANSWERS else 0.3 + shape.random() for value in values
                    ),
                    offers_yes_no={"yes", "no"} <= set(values),
                )
            )
    return items
