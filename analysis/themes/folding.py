"""Fold text so that cues match however people type: case, accents, apostrophes.

Respondents type on phones, often without accents ("boje sie", "politia") or apostrophes ("dont"),
so cues and answers are folded the same way before matching: lower case, Latin accents removed,
apostrophes dropped. Only combining marks of Latin letters (U+0300-U+036F) are removed; the vowel
signs of Indic scripts are letters of the word and stay. Arabic is folded to its bare spelling
(see below).
"""

from __future__ import annotations

import re
import unicodedata

_LATIN_MARKS = re.compile("[\u0300-\u036f]")
# Letters whose stroke is part of the letter, which decomposition leaves alone; and apostrophes.
_LETTERS = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "ss"} | dict.fromkeys("’‘'`"))


# Arabic: short-vowel marks and the tatweel are optional in writing; alef with hamza or madda,
# taa marbuta and alef maksura are often typed as the plain letter; and the article with its
# attached particles ("al-", "wa-l-", "bi-l-", "li-l-") is part of the written word, so "الشرطة",
# "والشرطة" and "بالشرطة" all fold to "شرطه". Urdu is written without these particles, and the
# article is only taken off a word of at least three more letters.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_ARABIC_ARTICLE = re.compile("(?<![\u0600-\u06ff])(?:[وفبك]?ال|لل)(?=[\u0621-\u064a]{3})")
_ARABIC = re.compile("[\u0600-\u06ff]")


def fold(text: str) -> str:
    """Lower-case ``text``, drop Latin accents and apostrophes, and fold Arabic spelling variants."""
    text = text.lower()
    if text.isascii():
        return text.replace("'", "").replace("`", "")
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text)).translate(_LETTERS)
    if _ARABIC.search(text):
        text = unicodedata.normalize("NFC", text)
        text = _ARABIC_ARTICLE.sub("", _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS))
    return text
