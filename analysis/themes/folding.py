"""Fold text so that cues match however people type: case, accents, apostrophes.

Respondents type on phones, often without accents ("boje sie", "politia") or apostrophes ("dont"),
so cues and answers are folded the same way before matching: lower case, Latin accents removed,
apostrophes dropped. Only combining marks of Latin letters (U+0300-U+036F) are removed; the vowel
signs of Indic and Arabic scripts are letters of the word and stay.
"""

from __future__ import annotations

import re
import unicodedata

_LATIN_MARKS = re.compile("[\u0300-\u036f]")
# Letters whose stroke is part of the letter, which decomposition leaves alone; and apostrophes.
_LETTERS = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "ss"} | dict.fromkeys("’‘'`"))


def fold(text: str) -> str:
    """Lower-case ``text`` and drop Latin accents and apostrophes."""
    text = text.lower()
    if text.isascii():
        return text.replace("'", "").replace("`", "")
    return _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text)).translate(_LETTERS)
