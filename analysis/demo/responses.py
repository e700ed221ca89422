"""``generate``: made-up responses to a questionnaire, one respondent at a time."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from .answering import answer_item
from .draws import cumulative_weights, draw_index
from .people import OTHER_AREAS, draw_person, load_world
from .questionnaire import Item, resolve_items

#: Months covered when no month is given: the current one and the five before it.
RECENT_MONTHS = 6


@dataclass(frozen=True, slots=True)
class DemoResponse:
    """A made-up response, shaped like a draft the app is about to submit.

    ``answers`` maps answer keys (item ids, and statement ids for a rating scale) to a value
    string, a list of ticked values, an int or a text, and holds nothing for a skipped or hidden
    item. Free text is *not* redacted: a few answers carry planted fake phone numbers and email
    addresses, so anything that stores them should pass them through the same step the app does
    (``analysis.text.pipeline.prepare_answer``).
    """

    language: str
    month: str
    answers: dict[str, object]
    #: (type, district) of the distribution link it came through, None for the survey's own address;
    #: online links have no district.
    channel: tuple[str, str | None] | None = None


#: How demo responses arrive: by type of distribution link (None: the survey's own address).
CHANNEL_MIX = (
    ("school", 0.3),
    ("college", 0.05),
    ("youth_club", 0.15),
    ("community_group", 0.1),
    ("event", 0.05),
    ("online", 0.2),
    (None, 0.15),
)


def generate(
    definition: dict, n: int, seed: int = 0, month: str | None = None, *, today: date | None = None
) -> list[DemoResponse]:
    """``n`` made-up responses to ``definition`` (a questionnaire as parsed from its YAML file).

    Responses are spread over the ``RECENT_MONTHS`` months up to ``today`` (default: the real
    date) unless ``month`` ("YYYY-MM") is given. The same arguments always give the same
    responses: every random draw comes from one generator seeded with ``seed``.
    """
    return list(stream(definition, n, seed, month, today=today))


def stream(
    definition: dict, n: int, seed: int = 0, month: str | None = None, *, today: date | None = None
) -> Iterator[DemoResponse]:
    """The responses of ``generate`` one at a time, so many can be stored without holding them all."""
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    if month is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ValueError(f"month must look like 2025-06, not {month!r}")
    months = (month,) if month else _recent_months(today or date.today())
    return _responses(resolve_items(definition, seed), n, seed, months)


def _responses(items: list[Item], n: int, seed: int, months: tuple[str, ...]) -> Iterator[DemoResponse]:
    # Later months a little busier, as word of a survey spreads.
    month_weights = cumulative_weights([1.0 + 0.1 * index for index in range(len(months))])
    age_item = next((item for item in items if item.id == "age_band"), None)
    world = load_world()
    rng = random.Random(seed)
    # Channels draw from their own generator, so adding them left every other answer as it was.
    channel_rng = random.Random(f"{seed}:channel")
    channel_weights = cumulative_weights([weight for _, weight in CHANNEL_MIX])
    for _ in range(n):
        person = draw_person(rng, world, age_item)
        answers: dict[str, object] = {}
        for item in items:
            if item.visible(answers):
                answer_item(item, person, answers, rng)
        month_drawn = months[draw_index(rng, month_weights)]
        kind = CHANNEL_MIX[draw_index(channel_rng, channel_weights)][0]
        area = None if kind == "online" or person.area in OTHER_AREAS else person.area
        yield DemoResponse(
            language=person.language,
            month=month_drawn,
            answers=answers,
            channel=None if kind is None else (kind, area),
        )


def _recent_months(today: date) -> tuple[str, ...]:
    year, month = today.year, today.month
    months = []
    for _ in range(RECENT_MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return tuple(reversed(months))
