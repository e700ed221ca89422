"""Replace personal data in a free-text answer with placeholders, before anything is stored.

Answers are anonymous by design, yet people type their email, phone number, postcode, social
media handle or name into comment boxes. Redaction runs before storage so the original is never
kept. It errs towards removing too much: a stray word replaced by ``[handle]`` costs little, a
phone number left in costs a lot. Bare outward postcodes ("LE4") stay: they are the area, which
the survey asks about anyway.

Order matters: emails before handles (both contain ``@``), links before handles
(``tiktok.com/@name``), phone numbers before postcodes.
"""

from __future__ import annotations

import re

EMAIL = "[email]"
PHONE = "[phone]"
POSTCODE = "[postcode]"
HANDLE = "[handle]"
LINK = "[link]"
NAME = "[name]"

# Lookbehinds make matches start at the beginning of a word, not at every letter inside it.
_EMAIL = re.compile(
    r"(?<![\w.+'-])[\w.+'-]+(?:@|\s?(?:\(at\)|\[at\])\s?)[\w-]+(?:(?:\.|\s?(?:\(dot\)|\[dot\])\s?)[\w-]+)+",
    re.IGNORECASE,
)
# Spelled out to dodge filters: "jo dot bloggs at gmail dot com".
_SPELLED_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:\s+dot\s+[\w-]+)*\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*\s+dot\s+(?:com|co|org|net|uk)\b",
    re.IGNORECASE,
)

_TLDS = r"(?:com|co\.uk|org\.uk|ac\.uk|gov\.uk|uk|org|net|io|me|ly|gg|tv|app|info|biz|xyz|link|live|co|be)"
_LINK = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]]"
    rf"|\b(?:[a-z0-9-]+\.)+{_TLDS}\b(?:/[^\s<>\"]*[^\s<>\".,;:!?)\]])?",
    re.IGNORECASE,
)

# UK numbers: +44 / 0044 / 0, then 9-10 digits; any digit may be preceded by up to three
# separators (space, dot, dash, bracket), which covers "(0116) 123 4567", "+44 (0)7700-900-123".
_PHONE = re.compile(
    r"(?<![\w+])(?:\(?(?:\+|00)\s?44\)?\s?(?:\(0\)\s?)?|\(?0)"
    r"[\s.\-()]{0,3}[1235789](?:[\s.\-()]{0,3}\d){8,9}(?!\d)"
)

_OUTWARD = r"[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?"
# Inward units never use C, I, K, M, O or V, which keeps "LE4 3am" an area and a time.
_POSTCODE = re.compile(rf"\b{_OUTWARD}[ \t-]{{0,2}}\d[ABD-HJLNP-UW-Z]{{2}}\b", re.IGNORECASE)

_HANDLE_WORD = r"@?\w[\w.]*"
# Words that follow a platform name without being a handle ("my snap got hacked").
_NOT_A_HANDLE = (
    r"(?!(?:is|was|has|had|got|gets|keeps|account|acc|and|or|but|to|the|a|an|it|you|me|my|on|at|too|if"
    r"|so|for|with|because|cos|please|pls|plz|streaks?|story|stories|dms?|messages|chat|friends)\b)"
)
_PLATFORM = (
    r"(?:snap(?:chat)?|sc|insta(?:gram)?|ig|tik\s?tok|tt|twitter|x|discord|fb|facebook|telegram"
    r"|kik|threads|twitch|youtube|yt|steam|psn|xbox|roblox|fortnite|epic)"
)
_PLATFORM_HANDLE = re.compile(
    r"\b(?:(?:my|add\s+me\s+on|follow\s+me\s+on|dm\s+me\s+on|message\s+me\s+on|hmu\s+on|find\s+me\s+on)\s+"
    rf"{_PLATFORM}(?:\s+(?:name|username|handle|id|tag|is|=))*\s*[:=-]?\s*"
    rf"|{_PLATFORM}\s*(?:name|username|handle|id|tag)?\s*[:=-]\s*"
    rf"|{_PLATFORM}\s+(?:name|username|handle|id|tag)\s+(?:is\s+)?)"
    rf"{_NOT_A_HANDLE}({_HANDLE_WORD})",
    re.IGNORECASE,
)
_PLATFORM_WORDS = frozenset(
    [
        "snap",
        "snapchat",
        "sc",
        "insta",
        "instagram",
        "ig",
        "tik",
        "tiktok",
        "tt",
        "twitter",
        "x",
        "discord",
        "fb",
        "facebook",
        "telegram",
        "kik",
        "threads",
        "twitch",
        "youtube",
        "yt",
        "steam",
        "psn",
        "xbox",
        "roblox",
        "fortnite",
        "epic",
    ]
)
_AT_HANDLE = re.compile(r"(?<![\w.@])@\w[\w.]{0,29}")

_CAPITALISED = r"[A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽȘȚ][\w'-]*"
_NAMES = rf"{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}}"
_NOT_A_NAME = (
    r"(?!(?:is|was|not|no|a|an|the|in|on|at|from|and|but|so|very|really|too|kind|sort|private|secret)\b)"
)
_ANY_WORD = r"[^\W\d_][\w'-]*"
# Each alternative ends in a group n1..n5 holding just the name, so the lead-in is kept.
# "My name is" is unambiguous, so even a lower-case word after it is a name; after "called" or
# "call me" only a capitalised one is ("I'm called names", "call me stupid" are not names).
_SELF_NAME = re.compile(
    r"\b(?:(?i:my\s+name(?:['’]s|\s+is|\s+was)?\s*[:-]?\s+|(?:sur|first\s+|last\s+|full\s+)?name\s*:\s*)"
    rf"(?P<n1>{_NAMES}|{_NOT_A_NAME}(?i:{_ANY_WORD}))"
    rf"|(?i:(?:i['’]?m|i\s+am|am|i\s+was|i\s+get|i['’]?ve\s+been)\s+called\s+|(?:call|calls|called)\s+me\s+)"
    rf"(?P<n2>{_NAMES})"
    rf"|(?i:(?:i['’]?m|i\s+am|this\s+is|it['’]?s)\s+)(?P<n3>{_NAMES})"
    r"(?=\s*,?\s*(?i:from\b|aged?\s*\d|\d\d?\b)|\s+(?i:and\s+i['’]?m\s+\d))"
    # Cheap non-English equivalents: pl, ro, pt, so, then hi, ur, ar, bn, gu, pa, ta.
    r"|(?i:(?:nazywam\s+się|mam\s+na\s+imię|mă\s+numesc|ma\s+numesc|numele\s+meu\s+(?:este|e)"
    r"|meu\s+nome\s+(?:é|e)|me\s+chamo|chamo-me|magacaygu\s+waa|magacayga\s+waa|magacaygu)\s+)"
    rf"(?P<n4>{_ANY_WORD})"
    r"|(?:मेरा\s+नाम|میرا\s+نام|اسمي|আমার\s+নাম|મારું\s+નામ|ਮੇਰਾ\s+ਨਾਮ|என்\s+பெயர்)\s+(?P<n5>\S+))",
)


# Words that can open a self-identifying phrase, for the cheap check before _SELF_NAME.
_NAME_WORDS = frozenset(
    [
        "name",
        "name's",
        "called",
        "call",
        "calls",
        "i'm",
        "im",
        "am",
        "this",
        "it's",
        "its",
        "nazywam",
        "imię",
        "numesc",
        "numele",
        "nome",
        "chamo",
        "chamo-me",
        "magacaygu",
        "magacayga",
    ]
)
_WORD = re.compile(r"[\w'-]+")
_DOT_INSIDE_WORD = re.compile(r"\w\.\w")


def _handle(match: re.Match[str]) -> str:
    return match.group()[: match.start(1) - match.start()] + HANDLE


def _name(match: re.Match[str]) -> str:
    # The name group is the last one to close in whichever alternative matched.
    return match.group()[: match.start(match.lastgroup) - match.start()] + NAME


def redact(text: str) -> str:
    """Return ``text`` with emails, links, UK phone numbers and postcodes, handles and names replaced."""
    # Cheap checks first: most answers contain none of these, and the full patterns are slow.
    lowered = text.lower()
    words = set(_WORD.findall(lowered.replace("’", "'")))
    if "@" in text or "(at)" in lowered or "[at]" in lowered:
        text = _EMAIL.sub(EMAIL, text)
    if " dot " in lowered:
        text = _SPELLED_EMAIL.sub(EMAIL, text)
    if "://" in text or "www." in lowered or _DOT_INSIDE_WORD.search(text):
        text = _LINK.sub(LINK, text)
    if any(ch.isdigit() for ch in text):
        text = _PHONE.sub(PHONE, text)
        text = _POSTCODE.sub(POSTCODE, text)
    if not words.isdisjoint(_PLATFORM_WORDS):
        text = _PLATFORM_HANDLE.sub(_handle, text)
    if "@" in text:
        text = _AT_HANDLE.sub(HANDLE, text)
    if not words.isdisjoint(_NAME_WORDS) or not text.isascii():
        text = _SELF_NAME.sub(_name, text)
    return text
