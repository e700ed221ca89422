"""Horizontal bar charts as geometry, for the server-rendered SVG of ``_charts.html`` (the staff
dashboard and the SNA report).

Every row puts its label on a line (or two) of its own above its bar, so that long labels such as
district names keep a readable size on a phone instead of squeezing the bars. A withheld value has
no bar, only its display text ("<10", "[c]"); a 95% interval is a whisker across the bar.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

#: The chart's coordinate system; the SVG scales it to the width of the page.
WIDTH = 400
LINE = 18
BAR = 20
GAP = 14
#: Room right of the longest bar (or whisker) for its value text, e.g. "12,345".
VALUE_ROOM = 64
#: Characters of 15-unit text that fit the width, roughly.
LABEL_CHARACTERS = 48
AXIS_ROOM = 28


@dataclass(frozen=True)
class Row:
    """What to draw: ``value`` None means withheld (no bar); ``text`` is shown beside the bar."""

    label: str
    value: float | None
    text: str
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class DrawnRow:
    #: (y of the baseline, text) for each line of the label
    label_lines: tuple[tuple[float, str], ...]
    bar_y: float
    #: 0 for a withheld value
    bar_width: float
    #: (x from, x to) of the interval, or None
    whisker: tuple[float, float] | None
    text_x: float
    text_y: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rows: tuple[DrawnRow, ...]
    #: (x, label, text-anchor) of each gridline and its value under the axis
    ticks: tuple[tuple[float, str, str], ...]
    plot_top: float
    plot_bottom: float
    bar_height: int = BAR


def _step(maximum: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving at most four gridlines up to ``maximum``."""
    power = 10 ** math.floor(math.log10(maximum / 4)) if maximum >= 4 else 1
    return next(power * f for f in (1, 2, 5, 10) if maximum / (power * f) <= 4)


def _scale(rows: Sequence[Row], percent: bool) -> tuple[float, list[tuple[float, str]]]:
    if percent:
        return 100.0, [(v, f"{v}%") for v in (0, 25, 50, 75, 100)]
    largest = max([r.value for r in rows if r.value is not None] + [1.0])
    step = _step(largest)
    top = step * math.ceil(largest / step)
    ticks = [(step * n, f"{int(step * n):,}") for n in range(round(top / step) + 1)]
    return top, ticks


def bar_chart(rows: Sequence[Row], *, percent: bool = False) -> Chart:
    """Lay ``rows`` out top to bottom; percentages on a fixed 0-100 scale, counts on a round one."""
    top, tick_values = _scale(rows, percent)
    plot_width = WIDTH - VALUE_ROOM

    def x(value: float) -> float:
        return round(plot_width * min(value, top) / top, 1)

    drawn = []
    y = float(GAP)
    for row in rows:
        lines = textwrap.wrap(str(row.label), LABEL_CHARACTERS, max_lines=2, placeholder="…") or [""]
        label_lines = tuple((y + LINE * (n + 1) - 4, text) for n, text in enumerate(lines))
        bar_y = y + LINE * len(lines) + 2
        width = x(row.value) if row.value is not None else 0.0
        whisker = None
        if row.value is not None and row.low is not None and row.high is not None:
            whisker = (x(row.low), x(row.high))
        end = max(width, whisker[1] if whisker else 0.0)
        drawn.append(DrawnRow(label_lines, bar_y, width, whisker, end + 6, bar_y + BAR - 5, row.text))
        y = bar_y + BAR + GAP
    ticks = tuple((x(value), text, "start" if value == 0 else "middle") for value, text in tick_values)
    return Chart(WIDTH, int(y + AXIS_ROOM), tuple(drawn), ticks, 0.0, y)
