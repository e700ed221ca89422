"""``generate``: made-up responses to a questionnaire, one respondent at a time (``stream``, or
``stream_beside`` in a second process)."""

from __future__ import annotations

import itertools
import multiprocessing
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from queue import Empty

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
    months = _months(n, month, today or date.today())
    return _responses(resolve_items(definition, seed), n, seed, months)


def _months(n: int, month: str | None, today: date) -> tuple[str, ...]:
    """The months responses are spread over; ValueError for a negative ``n`` or a malformed month."""
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    if month is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ValueError(f"month must look like 2025-06, not {month!r}")
    return (month,) if month else _recent_months(today)


#: Responses handed from the making process to the storing one at a time.
CHUNK = 1000


def stream_beside(
    definition: dict, n: int, seed: int = 0, month: str | None = None, *, today: date | None = None
) -> Iterator[DemoResponse]:
    """The responses of ``stream``, the same ones in the same order, made in a second process while
    the caller stores them, on a core of its own: 50,000 took 36 s where 45 s made in one process
    (PostgreSQL). Starting the process costs a fraction of a second, so this is for thousands of
    responses."""
    today = today or date.today()
    _months(n, month, today)  # bad arguments are refused here, not in the second process
    # Forked: a spawned process would run the caller's main script again. The child touches nothing
    # of the parent's but the queue, and leaves with os._exit, so no connection of the parent's is
    # closed or used by it.
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=4)
    maker = context.Process(target=_make_into, args=(queue, definition, n, seed, month, today), daemon=True)
    maker.start()
    try:
        while (chunk := _next_chunk(queue, maker)) is not None:
            yield from chunk
    finally:
        maker.terminate()
        maker.join()


def _next_chunk(queue, maker) -> list[DemoResponse] | None:
    """The next chunk the second process made (None: no more); RuntimeError if it failed or died."""
    while True:
        try:
            chunk = queue.get(timeout=5)
        except Empty:
            if not maker.is_alive():
                raise RuntimeError(
                    f"the process making demo responses ended early (exit code {maker.exitcode})"
                ) from None
            continue
        if isinstance(chunk, str):
            raise RuntimeError(f"making demo responses failed: {chunk}")
        return chunk


def _make_into(queue, definition: dict, n: int, seed: int, month: str | None, today: date) -> None:
    """In the second process: ``stream``'s responses put on ``queue`` ``CHUNK`` at a time, then None
    (or the error, as text)."""
    try:
        made = stream(definition, n, seed, month, today=today)
        while chunk := list(itertools.islice(made, CHUNK)):
            queue.put(chunk)
    except Exception as error:  # handed to the caller, which raises it
        queue.put(f"{type(error).__name__}: {error}")
        return
    queue.put(None)


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
