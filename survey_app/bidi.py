"""Numbers that must read left to right inside right-to-left text.

In Urdu or Arabic text the bidirectional algorithm treats the spaces of "0800 1111" as
right-to-left, so the groups come out reversed ("1111 0800") and a child copying Childline's
number gets it wrong. Phone numbers, access codes and any number written with spaces are
therefore isolated as left-to-right: in HTML with ``<bdi dir="ltr">`` (or ``dir="ltr"`` on a
link), and in plain-text outputs such as the DOCX with the Unicode isolates LRI ... PDI.
"""

from __future__ import annotations

import re
import unicodedata

from flask import Flask
from markupsafe import Markup, escape

#: Numbers joined by spaces, hyphens or dashes: "0800 1111", "0808 800 5000", an interval "8–17%".
#: A lone number ("999", "12%") already reads left to right and is left as it is.
NUMBER_WITH_SPACES = re.compile(r"\+?\d+(?:[.,]\d+)*%?(?:[ \u00a0\u2013-]\d+(?:[.,]\d+)*%?)+")
#: Splits text into text and numbers alternating: even indexes text, odd indexes numbers.
SPLIT = re.compile(f"({NUMBER_WITH_SPACES.pattern})")
LRI, PDI = "\u2066", "\u2069"


def ltr(value: object) -> Markup:
    """The whole value, isolated as left-to-right: a phone number, an access code, a link."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(value)


def ltr_numbers(text: str) -> Markup:
    """``text`` escaped, with each number written with spaces isolated as left-to-right. Markup (such
    as Jinja's ``|join`` makes of escaped text) is read as the text it shows, so nothing is escaped twice."""
    plain = text.unescape() if isinstance(text, Markup) else str(text)
    return Markup("").join(
        ltr(part) if index % 2 else escape(part) for index, part in enumerate(SPLIT.split(plain))
    )


def phone(number: str, label: str = "") -> Markup:
    """A link that dials ``number``, shown as written ("0800 1111") and read left to right."""
    digits = re.sub(r"[^\d+]", "", number)
    shown = f"{label} {number}" if label else number
    return Markup('<a href="tel:{}" dir="ltr">{}</a>').format(digits, shown)


def isolate_numbers(text: str) -> str:
    """Plain ``text`` with each number written with spaces between LRI and PDI."""
    return "".join(f"{LRI}{part}{PDI}" if index % 2 else part for index, part in enumerate(SPLIT.split(text)))


def is_rtl(text: str) -> bool:
    """Whether ``text`` starts, as the bidirectional algorithm sees it, in a right-to-left script."""
    kinds = (unicodedata.bidirectional(char) for char in text)
    return next((kind in ("R", "AL") for kind in kinds if kind in ("L", "R", "AL")), False)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(ltr=ltr, ltr_numbers=ltr_numbers, isolate_numbers=isolate_numbers)
    app.jinja_env.globals.update(phone=phone)
