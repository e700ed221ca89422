"""Guess which language a free-text answer is written in.

The survey already knows the language the respondent chose, so this only has to notice answers
written in another one (an English answer in the Polish survey, Urdu in the English survey).
Cheap evidence is enough among the languages it knows (``LANGUAGES``):

* a script of its own decides Gujarati, Panjabi (Gurmukhi), Bengali, Tamil and Hindi (Devanagari);
* Arabic script is Urdu or Arabic, told apart by letters only one of them uses;
* Latin script is English, Polish, Romanian, Portuguese or Somali, told apart by diacritics,
  common function words and Somali spelling (doubled vowels, "dh", "x");
* Latin script is also how many people type Urdu, Hindi and Panjabi on a phone ("mujhe raat ko
  darr lagta hai", "menu ithe changa lagda"). Their function words are not English words, so two
  of them outweigh any number of English words mixed in ("bohat unsafe hai yaar, police kuch
  nahi karti"). Those answers are tagged ``pa-Latn`` or, for Urdu and Hindi, ``ur-Latn`` or
  ``hi-Latn`` (BCP 47 script subtags), never ``en``.

Romanised Urdu and Hindi are one spoken language (Hindustani) typed the same way; only a few
words of religious or formal vocabulary lean one way. So ``ur-Latn`` versus ``hi-Latn`` follows
the survey's language (``ur`` or ``hi``), then those few words, and is ``ur-Latn`` otherwise
(Urdu has more speakers than Hindi in Leicester): treat the split as a guess. Both are scored
with the same word list.

When the evidence is weak (fewer than three words, or no language clearly ahead) the survey's
language is kept: a short "ok" in the Polish survey is a Polish respondent's answer. Latin letters
in a survey whose language has a script of its own keep it with a ``-Latn`` tag: "ok" in the Urdu
survey is ``ur-Latn``; in the Gujarati survey ``gu-Latn``, which has no word list, so it is "not
scored" rather than scored with a list it cannot match. The survey's
language may be one this module does not know (a language added to ``translations/languages.yaml``
later): it is then the answer unless another known language is clearly ahead.
"""

from __future__ import annotations

import re

from analysis.text._wordlists import load_word_sets

_LATIN_LANGUAGES = ("en", "pl", "ro", "pt", "so")
_ARABIC_SCRIPT_LANGUAGES = ("ar", "ur")
#: Languages written in a script of their own, whose Latin-script form gets a ``-Latn`` tag.
_OWN_SCRIPT_LANGUAGES = ("gu", "pa", "ur", "bn", "ar", "hi", "ta")
#: The tags this module returns, besides an unknown survey language given as the fallback. It is
#: not the list of survey languages: that is ``translations/languages.yaml``.
LANGUAGES = (*_LATIN_LANGUAGES, *_OWN_SCRIPT_LANGUAGES, *(f"{code}-Latn" for code in _OWN_SCRIPT_LANGUAGES))

_SCRIPTS: dict[str, re.Pattern[str]] = {
    "hi": re.compile(r"[\u0900-\u097F]"),
    "bn": re.compile(r"[\u0980-\u09FF]"),
    "pa": re.compile(r"[\u0A00-\u0A7F]"),
    "gu": re.compile(r"[\u0A80-\u0AFF]"),
    "ta": re.compile(r"[\u0B80-\u0BFF]"),
    "arabic": re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]"),
}
_NON_LATIN = re.compile(r"[\u0600-\u08FF\u0900-\u0BFF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:'[A-Za-z]+)?")

# Letters Urdu uses and Arabic does not (retroflexes, nasal noon, Persian yeh/keheh, bari yeh),
# and the reverse (taa marbuta, alef maksura, Arabic yeh and kaf, hamza on alef).
_URDU_LETTERS = re.compile(r"[ٹڈڑںھہےۓیکگچپژۃ]")
_ARABIC_LETTERS = re.compile(r"[ةىيكأإ]|(?:^|\s)ال")

# Function words per Latin-script language; each word is listed under one language only, so one
# dictionary look-up per word finds its language.
_STOPWORDS = load_word_sets("language_stopwords.txt")
#: Romanised Hindustani words that lean Urdu (Perso-Arabic vocabulary) or Hindi (Sanskrit).
_URDU_LEANING = _STOPWORDS.pop("urdu_leaning")
_HINDI_LEANING = _STOPWORDS.pop("hindi_leaning")
_LANGUAGE_OF_WORD = {word: language for language, words in _STOPWORDS.items() for word in words}
#: Romanised words that decide it whatever else is mixed in.
MIN_ROMANISED = 2
_DOUBLED = re.compile(r"(.)\1+")
_PANJABI_ENDING = re.compile(r"[nrgl]d[aie]$")
_HINDUSTANI_ENDING = re.compile(r"[nrgl]t[aie]$")
_DIACRITICS: dict[str, re.Pattern[str]] = {
    "pl": re.compile(r"[ąęłśżźćńó]"),
    "ro": re.compile(r"[ăîșşțţâ]"),
    "pt": re.compile(r"[ãõçêôàáéíúóâ]"),
}
_DIACRITIC_WEIGHT = 2.0
_SOMALI_SPELLING = re.compile(r"aa|uu|dh|kh|^x[aeiou]")
_SOMALI_SPELLING_WEIGHT = 0.5

MIN_WORDS = 3
MIN_SCORE = 2.0
#: The leading language must score this many times the runner-up.
MIN_LEAD = 1.5


def _dominant_script(text: str) -> str:
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPTS.items()}
    counts["latin"] = len(_LATIN_LETTER.findall(text))
    return max(counts, key=lambda name: counts[name])


def _arabic_script(text: str, fallback: str) -> str:
    urdu = len(_URDU_LETTERS.findall(text))
    arabic = len(_ARABIC_LETTERS.findall(text))
    if urdu > arabic:
        return "ur"
    if arabic > urdu:
        return "ar"
    return fallback if fallback in _ARABIC_SCRIPT_LANGUAGES else "ar"


def _latin_script(text: str, fallback: str) -> str:
    words = _LATIN_WORD.findall(text.lower().replace("’", "'"))
    romanised = _romanised(words, fallback)
    if romanised is not None:
        return romanised
    if words and fallback in _OWN_SCRIPT_LANGUAGES:
        # Latin letters in the Urdu or Gujarati survey are that language typed in Latin letters,
        # unless another language is clearly ahead.
        fallback = f"{fallback}-Latn"
    if len(words) < MIN_WORDS:
        return fallback
    scores = dict.fromkeys(_LATIN_LANGUAGES, 0.0)
    function_words = dict.fromkeys(_LATIN_LANGUAGES, 0)
    for word in words:
        language = _LANGUAGE_OF_WORD.get(word)
        if language in scores:
            scores[language] += 1
            function_words[language] += 1
        if not word.isascii():
            for language, pattern in _DIACRITICS.items():
                if pattern.search(word):
                    scores[language] += _DIACRITIC_WEIGHT
        elif _SOMALI_SPELLING.search(word):
            scores["so"] += _SOMALI_SPELLING_WEIGHT
    ranked = sorted(scores, key=lambda language: scores[language], reverse=True)
    best, runner_up = scores[ranked[0]], scores[ranked[1]]
    if best < MIN_SCORE or best < MIN_LEAD * runner_up or scores.get(fallback) == best:
        return fallback
    if fallback not in LANGUAGES and function_words[ranked[0]] < MIN_SCORE:
        # Diacritics alone do not tell a known language from an unknown one ("très", "ça").
        return fallback
    return ranked[0]


def _romanised(words: list[str], fallback: str) -> str | None:
    """``ur-Latn``, ``hi-Latn`` or ``pa-Latn`` for romanised South Asian text, else None.

    Two romanised function words decide it whatever else is mixed in; one is enough against at
    most one function word of another Latin-script language ("ghar ka phone", "email karo at ...").
    """
    # Vowels are often doubled for length ("saanu", "nahii"): the lists hold the plain spelling too.
    found = [
        _LANGUAGE_OF_WORD.get(word) or _LANGUAGE_OF_WORD.get(_DOUBLED.sub(r"\1", word)) for word in words
    ]
    hindustani, panjabi, shared = found.count("hi-Latn"), found.count("pa-Latn"), found.count("hi-pa-Latn")
    others = sum(language in _LATIN_LANGUAGES for language in found)
    romanised = hindustani + panjabi + shared
    if not (romanised >= MIN_ROMANISED or (romanised == 1 and others <= 1)):
        return None
    # Verb endings: Panjabi "karda, lagdi, aunde", Hindustani "karta, lagti, chalte".
    panjabi += sum(bool(_PANJABI_ENDING.search(word)) for word in words)
    hindustani += sum(bool(_HINDUSTANI_ENDING.search(word)) for word in words)
    if panjabi > hindustani or (panjabi == hindustani and fallback in ("pa", "pa-Latn")):
        return "pa-Latn"
    if fallback in ("ur", "hi"):
        return f"{fallback}-Latn"
    if fallback in ("ur-Latn", "hi-Latn"):
        return fallback
    leaning = set(words)
    if len(leaning & _HINDI_LEANING) > len(leaning & _URDU_LEANING):
        return "hi-Latn"
    return "ur-Latn"


def detect_language(text: str, fallback: str) -> str:
    """Return the code of the language ``text`` is written in, or ``fallback`` when unsure.

    ``fallback`` is the survey's language, any code: one this module does not know is returned
    unless the text is clearly in a language it knows.
    """
    if not _NON_LATIN.search(text):
        return _latin_script(text, fallback)
    script = _dominant_script(text)
    if script == "latin":
        return _latin_script(text, fallback)
    if script == "arabic":
        return _arabic_script(text, fallback)
    return script
