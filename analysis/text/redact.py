"""Replace personal data in a free-text answer with placeholders, before anything is stored.

Answers are anonymous by design, yet people type their name, phone number, email, address, date
of birth, NHS number, class, postcode, social media handle or a link into comment boxes, in any
of the twelve survey languages and any script's digits. Redaction runs before storage so the
original is never kept. It errs towards removing too much: a stray word replaced by ``[name]``
costs little, a phone number left in costs a lot. What stays on purpose: bare outward postcodes
("LE4") and area or street names without a house number ("Eyres Monsell", "London Road"), which
the survey asks about anyway, and ages ("I'm 14").

How it works: every digit of any script is first mapped to its ASCII digit (same length, so
offsets still point into the original). Each rule then finds spans in that text; overlapping
spans are merged, keeping the placeholder of the rule listed first in ``_RULES``, and the spans
are replaced in the original in one pass. Every pattern starts at a word or number boundary and
has bounded repetition, so the time grows linearly with the length of the answer.

Word lists live in ``analysis/data/redaction_words.txt`` (street words, months, titles...) and
``analysis/data/names.txt`` (given names and surnames); see ``analysis/data/README.md``.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import phonenumbers

from analysis.text._wordlists import load_word_sets

EMAIL = "[email]"
PHONE = "[phone]"
POSTCODE = "[postcode]"
HANDLE = "[handle]"
LINK = "[link]"
NAME = "[name]"
ADDRESS = "[address]"
DOB = "[dob]"
NHS = "[nhs]"
CLASS = "[class]"


def _key(word: str) -> str:
    """How a name is looked up: lower case, and Latin letters without accents ("Wisniewski" finds
    "wiśniewski"; people often type without them)."""
    lowered = word.lower()
    if not ("a" <= lowered[:1] <= "z" or "à" <= lowered[:1] <= "ɏ"):
        return lowered
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", lowered.replace("ł", "l")) if not unicodedata.combining(ch)
    )


_WORDS = load_word_sets("redaction_words.txt")
_NAME_LISTS = {section: frozenset(map(_key, words)) for section, words in load_word_sets("names.txt").items()}
_GIVEN = _NAME_LISTS["given"]
_SURNAMES = _NAME_LISTS["surname"]
_ORDINARY = _NAME_LISTS["ordinary"]
_SCRIPT_SURNAMES = _NAME_LISTS["surname_script"]
_SCRIPT_GIVEN = _NAME_LISTS["given_script"]
_STOP = _WORDS["stop"]
_PLACE = _WORDS["place"]
_TITLES = _WORDS["title"] | _WORDS["title_any"] | _WORDS["title_script"]


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first so that no word hides a longer one."""
    return "|".join(re.escape(word) for word in sorted(words, key=lambda word: (-len(word), word)))


# Characters inside a word. Python's \w misses the vowel signs and viramas of the Indic scripts
# and the Arabic diacritics, so the whole blocks count as word characters.
# Their punctuation (Arabic comma, semicolon, question mark and full stop; the Devanagari danda)
# is left out.
_W = (
    r"\w\u0600-\u060b\u060d-\u061a\u061c-\u061e\u0620-\u06d3\u06d5-\u06ff\u0900-\u0963\u0966-\u0dff"
    r"\u200c\u200d"
)
_START = rf"(?<![{_W}])"
_END = rf"(?![{_W}])"
_TOKEN = rf"[{_W}'’-]+"
_CAP = r"[A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽȘȚ][\w'’-]*"

Span = tuple[int, int]


def _digits_to_ascii(text: str) -> str:
    """``text`` with every decimal digit of any script as its ASCII digit; same length."""
    if text.isascii():
        return text
    return re.sub(r"\d", lambda match: str(unicodedata.decimal(match.group(), 0)), text)


def _spans(pattern: re.Pattern[str], group: str | int = 0) -> Callable[[str], Iterator[Span]]:
    def find(text: str) -> Iterator[Span]:
        for match in pattern.finditer(text):
            yield match.span(group)

    return find


# --- emails, links, handles ------------------------------------------------------------------

# Lookbehinds make matches start at the beginning of a word, not at every letter inside it.
_EMAIL = re.compile(
    r"(?<![\w.+'-])[\w.+'-]{1,64}(?:@|\s?(?:\(at\)|\[at\])\s?)[\w-]{1,63}"
    r"(?:(?:\.|\s?(?:\(dot\)|\[dot\])\s?)[\w-]{1,63}){1,4}",
    re.IGNORECASE,
)
# Spelled out to dodge filters: "sam underscore k at example dot org", "jan kropka nowak małpa
# onet kropka pl", "एट जीमेल डॉट कॉम".
_AT_WORDS = (
    r"@|at|at\s+the\s+rate(?:\s+of)?|małpa|malpa|małpka|arroba|a\s+rond|arond|ایٹ|एट|ऐट|অ্যাট|এট|એટ|ਐਟ|அட்"
)
_DOT_WORDS = r"dot|kropka|punct|punto|ponto|ڈاٹ|डॉट|डाट|ডট|ડોટ|ਡਾਟ|டாட்|نقطة|دوت"
_JOIN_WORDS = (
    r"underscore|under\s+score|dash|hyphen|podkreślnik|podkreslnik|sublinhado|underline|myślnik|traço"
)
_TLD_WORDS = (
    r"com|co|org|net|uk|pl|ro|pt|br|so|in|pk|bd|io|me|edu|gov|ac|info|de|fr|ie|eu|us"
    r"|कॉम|काम|کام|কম|કોમ|ਕਾਮ|காம்"
)
_PART = rf"[{_W}]{{1,40}}"
_SPELLED_EMAIL = re.compile(
    rf"{_START}{_PART}(?:(?:\s*[._-]\s*|\s+(?:{_DOT_WORDS}|{_JOIN_WORDS})\s+){_PART}){{0,5}}"
    rf"\s+(?:{_AT_WORDS})\s+{_PART}(?:(?:\s*\.\s*|\s+(?:{_DOT_WORDS})\s+){_PART}){{0,2}}"
    rf"(?:\s*\.\s*|\s+(?:{_DOT_WORDS})\s+)(?:{_TLD_WORDS}){_END}",
    re.IGNORECASE,
)

_TLDS = r"(?:com|co\.uk|org\.uk|ac\.uk|gov\.uk|uk|org|net|io|me|ly|gg|tv|app|info|biz|xyz|link|live|co|be)"
# Only the first label of a dotted chain may start a link, which keeps "a.b.c.d..." linear.
_LINK = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]]"
    rf"|(?<![\w.-])(?:[a-z0-9-]{{1,63}}\.){{1,8}}{_TLDS}\b(?:/[^\s<>\"]*[^\s<>\".,;:!?)\]])?",
    re.IGNORECASE,
)

_HANDLE_WORD = r"@?\w(?:[\w.]{0,28}\w)?"
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
    rf"{_PLATFORM}(?:\s+(?:name|username|handle|id|tag|is|=)){{0,3}}\s*[:=-]?\s*"
    # A dash only with a space before it: "TikTok-ga", "TikTok-ல" are the platform with a suffix.
    rf"|{_PLATFORM}\s*(?:name|username|handle|id|tag)?\s*(?::|=|\s-)\s*"
    rf"|{_PLATFORM}\s+(?:name|username|handle|id|tag)\s+(?:is\s+)?"
    # In any language, a platform then a word with a digit or an underscore: "insta jaz_99 pe"
    # (not a bare number: "Facebook 01000 000000" is a phone number).
    rf"|{_PLATFORM}\s+(?=[A-Za-z_][A-Za-z0-9_.]{{0,28}}[_0-9]))"
    rf"{_NOT_A_HANDLE}(?P<handle>{_HANDLE_WORD})",
    re.IGNORECASE,
)
_AT_HANDLE = re.compile(r"(?<![\w.@])@\w(?:[\w.]{0,28}\w)?")

# --- numbers: NHS numbers, dates of birth, phones, postcodes, addresses, classes -------------

# Not part of a longer run of digits ("+44 300 001 3679", "(0)7015 568888"); never with a leading 0,
# which is a phone number's trunk prefix.
_TEN_DIGITS = re.compile(
    r"(?<![0-9+)])(?<![0-9+)][ .-])(?!0)[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}(?![ .-]?[0-9])"
)


def _nhs_numbers(text: str) -> Iterator[Span]:
    """Ten digits whose last is the NHS modulus-11 check digit of the other nine."""
    for match in _TEN_DIGITS.finditer(text):
        digits = [int(ch) for ch in match.group() if ch.isdigit()]
        check = 11 - sum(digit * weight for digit, weight in zip(digits, range(10, 1, -1), strict=False)) % 11
        if (0 if check == 11 else check) == digits[9]:
            yield match.span()


_MONTHS = _WORDS["months"]
_ORDINAL = r"(?:st|nd|rd|th|\.|º|ª)?"
_YEAR = r"(?:19|20)[0-9]{2}"
_WORD_START = rf"{_START}[^\W\d_][{_W}]*"
# Candidates start at every position (a lookahead captures them), so that a word that turns out
# not to be a month does not hide a date right after it; month words are checked in Python, which
# is much faster than a regex alternation of every month in twelve languages.
_DATE = re.compile(
    r"(?=("
    rf"(?<![0-9])(?P<numeric>[0-3]?[0-9]\s?[/.\-]\s?[01]?[0-9]\s?[/.\-]\s?(?:{_YEAR}|[0-9]{{2}})"
    rf"|{_YEAR}[/.\-][01]?[0-9][/.\-][0-3]?[0-9])(?![0-9])"
    rf"|(?<![0-9])[0-3]?[0-9]{_ORDINAL}(?:\s*(?i:of|de|th)\s+|\s*[-/]?\s*)(?P<month1>{_WORD_START})\.?"
    rf"(?:\s*,?\s*(?:de\s+|del\s+)?(?P<year1>{_YEAR})(?![0-9]))?"
    rf"|(?P<month2>{_WORD_START})\.?\s+(?:the\s+)?[0-3]?[0-9](?:st|nd|rd|th)?(?![0-9])"
    rf"(?:\s*,?\s*(?P<year2>{_YEAR})(?![0-9]))?"
    rf"|(?<![0-9])(?P<year3>{_YEAR})\s*(?P<month3>{_WORD_START})\s+[0-3]?[0-9](?![0-9])"
    rf"|(?P<month4>{_WORD_START})\s+(?:of\s+|de\s+)?{_YEAR}(?![0-9])"
    r"|(?<![0-9])[0-3]?[0-9]\s?[/.]\s?[01]?[0-9](?![0-9./])"
    r"))"
)
_BIRTH = re.compile(rf"{_START}(?:{_alternation(_WORDS['birth'])})", re.IGNORECASE)
_BIRTH_WINDOW = 60
_MONTH_GROUPS = ("month1", "month2", "month3", "month4")


def _dates_of_birth(text: str) -> Iterator[Span]:
    births = [match.start() for match in _BIRTH.finditer(text)] if _BIRTH.search(text) else []
    for match in _DATE.finditer(text):
        start, end = match.span(1)
        month = next((match.group(g) for g in _MONTH_GROUPS if match.group(g)), None)
        if month is not None and month.lower() not in _MONTHS:
            continue
        if match.group("numeric"):
            day, month_number = _day_month(match.group("numeric"))
            if not (1 <= day <= 31 and 1 <= month_number <= 31 and min(day, month_number) <= 12):
                continue
        elif not (match.group("year1") or match.group("year2") or match.group("year3")):
            # No year: a birthday only with a birth word shortly before or after it.
            nearest = bisect.bisect_left(births, start - _BIRTH_WINDOW)
            if nearest == len(births) or births[nearest] > end + _BIRTH_WINDOW:
                continue
        yield start, end


def _day_month(numeric: str) -> tuple[int, int]:
    parts = [int(part) for part in re.split(r"\s?[/.\-]\s?", numeric)]
    return (parts[2], parts[1]) if parts[0] > 31 else (parts[0], parts[1])


# Any run of nine or more digits broken by spaces, dots, dashes or brackets: phone numbers of
# every country and the spaced-out ones libphonenumber does not look for ("0 7 7 0 0 ...").
# Greedy and without an upper bound, so it never backtracks.
_DIGIT_RUN = re.compile(r"(?<![0-9+])(?:\+\s?)?\(?[0-9](?:[\s.()\-]{0,3}[0-9]){8,}")
# Shorter runs, seven or eight digits, are phone numbers when libphonenumber (Google's) says they
# are valid UK numbers, such as "0800 1111". Asking it about these runs alone keeps it linear.
_SHORT_DIGIT_RUN = re.compile(
    r"(?<![0-9+])(?:\+\s?)?\(?[0-9](?:[\s.()\-]{0,3}[0-9]){6,7}(?![\s.()\-]{0,3}[0-9])"
)


def _phone_numbers(text: str) -> Iterator[Span]:
    yield from _spans(_DIGIT_RUN)(text)
    for match in _SHORT_DIGIT_RUN.finditer(text):
        try:
            number = phonenumbers.parse(match.group(), "GB")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            yield match.span()


_OUTWARD = r"[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]?"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
# Inward units never use C, I, K, M, O or V, which keeps "LE4 3am" an area and a time.
_POSTCODE = re.compile(rf"{_START}{_OUTWARD}[ \t-]{{0,2}}{_INWARD}{_END}", re.IGNORECASE)
# Spaced out to dodge filters, "L E 2 1 D F": capitals only, as spaced lower-case letters are words.
_SPACED_POSTCODE = re.compile(
    rf"{_START}[A-PR-UWYZ] ?(?:[A-HK-Y] ?)?[0-9](?: ?[A-Z0-9])? {{0,2}}"
    rf"[0-9] ?[ABD-HJLNP-UW-Z] ?[ABD-HJLNP-UW-Z]{_END}"
)

_NUMBER_WORD = rf"(?:{_alternation(_WORDS['number'])})"
_STREET_AFTER = _WORDS["street_after"]
_NOT_IN_A_STREET_NAME = _STOP | {"up", "down", "near", "round", "past", "more", "other"}
# A house number and the next few words, from every position (a lookahead captures them); the
# street word is looked for among the words in Python: "4 Mere Road", "number 12 Mere Road".
_NUMBER_THEN_WORDS = re.compile(
    rf"(?=(?<![0-9{_W}])((?i:{_NUMBER_WORD}\s*)?[0-9]{{1,4}}[a-zA-Z]?(?![\w])[,.]?(?:\s+{_WORD_START}[.'’-]?){{1,4}}))"
)
_ADDRESS = re.compile(
    # "ul. Długa 5", "strada Florilor nr. 12", "Rua das Flores, 12", "شارع الملك 12"
    rf"{_START}(?:{_alternation(_WORDS['street_before'])})(?:\s+|(?<=\.))(?:{_TOKEN},?\s+){{0,3}}?"
    rf"(?:{_NUMBER_WORD}\s*)?[0-9]{{1,4}}[a-zA-Z]?(?:\s*/\s*[0-9]{{1,4}})?(?![0-9])"
    # "flat 3", "house number 12", "मकान नंबर 12"
    rf"|{_START}(?:{_alternation(_WORDS['house'])})\s*(?:{_NUMBER_WORD}\s*)?[0-9]{{1,4}}[a-zA-Z]?(?![0-9])"
    # "I live at number 12"
    rf"|{_START}at\s+{_NUMBER_WORD}\s*[0-9]{{1,4}}[a-zA-Z]?(?![0-9])",
    re.IGNORECASE,
)


_STREET_IF_CAPITALISED = _WORDS["street_if_capitalised"]


def _is_street_name(names: list[str], street: str) -> bool:
    """Whether ``names`` and then ``street`` (already a street word) read as a street's name."""
    if any(name.lower() in _NOT_IN_A_STREET_NAME for name in names):
        return False
    if not _LATIN_LETTER.match(street):
        return True
    if _is_capitalised(street):
        # "4 Mere Road", not "8 Crazy Nights comes close"
        return all(_is_capitalised(name) or not _LATIN_LETTER.match(name) for name in names)
    return street.lower() not in _STREET_IF_CAPITALISED


def _addresses(text: str) -> Iterator[Span]:
    yield from _spans(_ADDRESS)(text)
    for match in _NUMBER_THEN_WORDS.finditer(text):
        start = match.start(1)
        words = [(start + m.start(), start + m.end(), m.group()) for m in re.finditer(r"\S+", match.group(1))]
        number = next(index for index, word in enumerate(words) if any(ch.isdigit() for ch in word[2]))
        names = words[number + 1 :]
        for index, (_, end, word) in enumerate(names[1:], start=1):
            # A postposition may be joined on: "Road-ல", "Road-এ".
            street = re.split(r"[-.,'’]", word, maxsplit=1)[0]
            if street.lower() in _STREET_AFTER:
                if _is_street_name([name[2] for name in names[:index]], street):
                    yield words[0][0], end
                break


# School years 7 to 13 and a form letter or two: "8D", "11F", "10RB". Upper case anywhere; lower
# case only after "in", "class", "form"... Units and times ("10K", "11PM", "9mm") are not classes.
# Lower-case units and times after "in" ("in 10s", "in 9am", "in 7th") are not classes.
_NOT_A_FORM = r"(?!(?:am|pm|k|m|s|h|x|st|nd|rd|th|kg|km|cm|mm|gb|mb|tb|hp|hd|hr|yr|ms|mph)(?![\w]))"
_YEAR_GROUP = r"(?:1[0-3]|[7-9])"
_CLASS_LEAD = (
    r"in|from|of|class|form|tutor\s+group|reg|klasa|klasie|klasy|clasa|clasei|turma|classe|fasalka|fasalka"
    r"|ਕਲਾਸ|ਜਮਾਤ|कक्षा|क्लास|کلاس|جماعت|ক্লাস|শ্রেণী|ધોરણ|વર્ગ|ક્લાસ|வகுப்பு|صف|فصل"
)
_CLASS_CODE = re.compile(
    rf"(?<![\w/£$€]){_YEAR_GROUP}(?!(?:AM|PM|KG|KM|CM|MM|GB|MB|TB|HP|HD|MPH|ST|ND|RD|TH)(?![\w]))"
    r"[A-Z]{1,2}[0-9]?(?![\w])"
)
_LED_CLASS_CODE = re.compile(
    rf"{_START}(?i:{_CLASS_LEAD})\s+(?P<code>(?i:year\s*)?{_YEAR_GROUP}\s?(?i:{_NOT_A_FORM}[a-z]{{1,2}})[0-9]?)(?![\w])"
)

# --- names ----------------------------------------------------------------------------------

# After these, whatever word comes is a name: "my name is jake", "mera naam ali hai", "اسمي ...".
_NAMED_BY_LATIN = (
    r"(?i:my\s+name(?:['’]?s|\s+is|\s+was)?|(?:sur|first\s+|last\s+|full\s+)?name\s*:|i\s+go\s+by|known\s+as"
    r"|(?:his|her|their)\s+name(?:['’]?s|\s+is|\s+was)?|named|nicknamed|name['’]s|name\s+is"
    r"|(?:real|actual|full|proper)\s+name(?:['’]?s|\s+is)?|(?:they|people|everyone|every1|all)\s+call\s+me"
    r"|m[óo]wi[ąa]\s+na\s+mnie|wo[łl]aj[ąa]\s+na\s+mnie|prawdziwe\s+imi[ęe](?:\s+to)?"
    r"|[îi]mi\s+(?:zic|zice|zi[cs]e[țt]i|spun|spune)|mi\s+se\s+spune|numele\s+(?:adev[ăa]rat|real)(?:\s+e|\s+este)?"
    r"|me\s+chamam|chamam-me|nome\s+verdadeiro(?:\s+[ée])?"
    r"|(?:waxay\s+)?i(?:i)?gu\s+yeeraan|ii\s+yeeraan|magaca(?:ygu)?\s+(?:dhabta|saxda)(?:\s+waa)?"
    r"|asli\s+(?:naam|nam)|asal\s+(?:naam|nam)|asl\s+(?:naam|nam)|sahi\s+(?:naam|nam)"
    r"|nazywam\s+si[ęe]|mam\s+na\s+imi[ęe]|moje\s+imi[ęe]\s+to|na\s+imi[ęe]\s+mi|ma\s+na\s+imi[ęe]"
    r"|nazywa\s+si[ęe]|o\s+imieniu|imieniem"
    r"|m[ăa]\s+numesc|numele\s+(?:meu|lui|ei)\s+(?:este|e)|m[ăa]\s+cheam[ăa]|se\s+nume[șs]te|pe\s+nume"
    r"|(?:o\s+)?meu\s+nome\s+(?:é|e)|o\s+nome\s+del[ea]\s+(?:é|e)|me\s+chamo|chamo-me|chama-se|se\s+chama"
    r"|de\s+nome"
    r"|magacaygu(?:na)?(?:\s+waa)?|magacayga(?:\s+waa)?|magaciisu(?:\s+waa)?|magaceedu(?:\s+waa)?"
    r"|waxaa\s+la\s+i\s+(?:yiraahdaa|yidhaahdaa)|waxaa\s+la\s+igu\s+magacaabaa|oo\s+la\s+yiraahdo"
    r"|(?:mera|meraa|mere|mra|uska|us\s+ka|iska|jiska|jis\s+ka|ohda|ohdi|mainu|menu)\s+(?:naam|nam|name|naa|nao|na)"
    r")"
)
_NAMED_BY_SCRIPT = (
    r"असली\s+नाम|اصل\s+نام|اصلی\s+نام|ਅਸਲੀ\s+ਨਾਂ|ਅਸਲੀ\s+ਨਾਮ|સાચું\s+નામ|અસલી\s+નામ|আসল\s+নাম"
    r"|உண்மையான\s+பெயர்|உண்மை\s+பெயர்|اسمي\s+الحقيقي|يناديني|ينادونني|ينادوني|يسمونني|بينادوني"
    r"|मेरा\s+नाम|उसका\s+नाम|जिसका\s+नाम|میرا\s+نام|اس\s+کا\s+نام|جس\s+کا\s+نام|میرا\s+ناں"
    r"|أنا\s+اسمي|انا\s+اسمي|اسمي|إسمي|اسمه|اسمها|يدعى|تدعى"
    r"|আমার\s+নাম|ওর\s+নাম|তার\s+নাম|যার\s+নাম|મારું\s+નામ|મારુ\s+નામ|મારૂં\s+નામ|તેનું\s+નામ|જેનું\s+નામ"
    r"|ਮੇਰਾ\s+ਨਾਮ|ਮੇਰਾ\s+ਨਾਂ|ਮੇਰਾ\s+ਨਾਂਅ|ਉਸਦਾ\s+ਨਾਮ|ਜਿਸਦਾ\s+ਨਾਮ"
    r"|என்\s+பெயர்|என்னுடைய\s+பெயர்|எனது\s+பெயர்|என்\s+பேர்|அவன்\s+பெயர்|அவள்\s+பெயர்|அவர்\s+பெயர்"
)
_NAMED_TAIL = rf"\s*[:\-–]?\s*(?P<name>{_TOKEN}(?:\s+{_TOKEN}){{0,2}})"
_NAMED = re.compile(rf"{_START}(?:{_NAMED_BY_LATIN}|{_NAMED_BY_SCRIPT}){_NAMED_TAIL}")
# The same without the other scripts' phrases, which cannot match an answer in ASCII (most).
_NAMED_ASCII = re.compile(rf"{_START}{_NAMED_BY_LATIN}{_NAMED_TAIL}")
# After these, a capitalised word is a name: "I'm called Aisha", "everyone calls me Jay".
_CALLED = r"(?i:(?:i['’]?m|i\s+am|am|i\s+was|i\s+get|i['’]?ve\s+been)\s+called|(?:call|calls|called)\s+me)"
# After these, a word is a name only when it is a known name, or a capitalised one followed by
# "from" or an age: "I'm Kayleigh", "a lad called Tom Reid", "I'm Priya from Belgrave".
_INTRODUCED_BY = (
    r"(?i:i['’]?m|i\s+am|im|this\s+is|it['’]?s|called|jestem|sunt|eu\s+sou|sou\s+[oa]|waxaan\s+ahay"
    r"|anigu\s+waa|main|mai|mein|mujhe|mujhay|mainu|menu|mennu)"
)
_INTRODUCED = re.compile(
    rf"{_START}(?:(?P<called>{_CALLED})|{_INTRODUCED_BY})\s+(?P<name>{_TOKEN}(?:\s+{_TOKEN}){{0,2}})"
)
# "from" in the languages written in Latin letters: "jestem Zosia z ...", "sunt Ana din ...".
_FROM_OR_AGE = re.compile(
    r"\s*,?\s*(?i:(?:from|z|ze|din|de|da|do)\b|aged?\s*[0-9]|[0-9][0-9]?\b|and\s+i['’]?m\s+[0-9])"
)
# "mujhe Ravi kehte hain": the name sits between "they call me" and the verb.
_ROMAN_CALL_ME = frozenset({"mujhe", "mujhay", "mjhe", "mujhko", "menu", "mainu", "mennu"})
_CALLED_BEFORE = re.compile(
    rf"{_START}(?:मुझे|मुझको|مجھے|ਮੈਨੂੰ|મને|আমাকে|(?i:{_alternation(_ROMAN_CALL_ME)}))\s+"
    r"(?:(?i:sab|sabhi|log|sare|saare)\s+|(?:सब|लोग|سب|لوگ|ਸਭ|ਸਾਰੇ|બધા|সবাই)\s+)?"
    rf"(?P<name>{_TOKEN}(?:\s+{_TOKEN})?)\s+"
    r"(?:कहते|बुलाते|बोलते|کہتے|بلاتے|بولتے|ਕਹਿੰਦੇ|ਬੁਲਾਉਂਦੇ|ਸੱਦਦੇ|કહે|બોલાવે|ডাকে|বলে"
    r"|(?i:kehte|kahte|kehtay|bulate|bulatay|bolte|boltay|kehnde|kende|bulande|sadde))"
    # Tamil: "என்னை X-ன்னு கூப்பிடுவாங்க"
    rf"|என்னை\s+(?P<tamil>[{_W}]+?)(?:-?ன்னு|\s+என்று)"
)
# "Jake Smith is my name", "Zosia to moje imię"
_NAME_IS_MINE = re.compile(
    rf"{_START}(?P<name>{_CAP}(?:\s+{_CAP})?)\s+(?i:is\s+my\s+name|to\s+moje\s+imi[ęe]|e\s+numele\s+meu"
    r"|é\s+o\s+meu\s+nome|waa\s+magacayga)"
)
# "राज नाम का लड़का", "علی نامی", "রাজ নামের": the name comes before the word for "named".
_NAMED_AFTER = re.compile(
    rf"{_START}(?P<name>{_TOKEN}(?:\s+{_TOKEN})?)\s+"
    r"(?:नाम\s+का|नाम\s+की|नाम\s+के|नामक|نامی|نام\s+کا|نام\s+کی|নামের|নামে|નામનો|નામની|નામના|ਨਾਮ\s+ਦਾ|ਨਾਮ\s+ਦੀ"
    rf"|என்ற|என்கிற|என்னும்){_END}"
)
_TITLE = re.compile(rf"{_START}(?i:{_alternation(_WORDS['title'])})\.?\s+(?P<name>{_CAP}(?:\s+{_CAP})?)")
_TITLE_ANY = re.compile(rf"{_START}(?i:{_alternation(_WORDS['title_any'])})\.?\s+(?P<name>{_TOKEN})")
_TITLE_SCRIPT = re.compile(
    rf"{_START}(?:{_alternation(_WORDS['title_script'])})(?:(?<=\.)\s*|\s+)(?P<name>{_TOKEN}(?:\s+{_TOKEN})?)"
)
_TITLE_AFTER = re.compile(
    rf"{_START}(?P<name>{_TOKEN}(?:\s+{_TOKEN})?)\s+(?i:{_alternation(_WORDS['title_after'])}){_END}"
)
_ROLE = (
    rf"(?:(?:form|head|class|youth|social|case|support|key|best|step)\s+)?(?:{_alternation(_WORDS['role'])})"
)
_ROLE_THEN_NAME = re.compile(rf"{_START}(?i:{_ROLE}){_END}(?:\s*,\s*|\s+)(?P<name>{_TOKEN}(?:\s+{_CAP})?)")
_NAME_THEN_ROLE = re.compile(
    rf"{_START}(?P<name>{_CAP}(?:\s+{_CAP})?)\s*,\s*(?i:(?:our|my|the|a|his|her|their|nasz|nasza|mój|moja"
    rf"|meu|minha|nosso|nossa|o)\s+)?(?i:{_ROLE}){_END}"
)
# The second name word is lazy, so that "Tom from 10C" takes "from" as the link, not as a name.
_NAME_THEN_CLASS = re.compile(
    rf"{_START}(?P<name>{_TOKEN}(?:\s+{_TOKEN})??)\s+"
    r"(?:(?i:in|from|of|z|din|da|do|ka|ki|ee|oo\s+fasalka|fasalka|oo)\s+|في\s+صف\s+|في\s+الصف\s+|بصف\s+|صف\s+|\(?)"
    rf"{_YEAR_GROUP}[A-Za-z]{{1,2}}[0-9]?(?![\w])"
)
_CAPITALISED = re.compile(rf"{_START}{_CAP}")
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏ]")


def _is_stop(word: str) -> bool:
    lowered = word.lower()
    return lowered in _STOP or lowered in _PLACE or lowered in _TITLES


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _looks_like_name(word: str) -> bool:
    """A word that can be a name where any word could be: capitalised Latin, or any other script."""
    return (
        not _is_stop(word) and word[:1].isalpha() and (_is_capitalised(word) or not _LATIN_LETTER.match(word))
    )


def _known_name(word: str) -> bool:
    lowered = _key(word)
    if lowered not in _GIVEN and lowered not in _SURNAMES:
        return False
    return _is_capitalised(word) or lowered not in _ORDINARY


def _name_like_or_known(word: str) -> bool:
    return _looks_like_name(word) or _known_name(word)


def _words(match: re.Match[str]) -> list[tuple[int, int, str]]:
    """The words of the match's ``name`` group with their positions in the text."""
    if match.group("name") is None:
        return []
    start = match.start("name")
    return [(start + m.start(), start + m.end(), m.group()) for m in re.finditer(r"\S+", match.group("name"))]


def _leading(words: list[tuple[int, int, str]], accept: Callable[[str], bool]) -> Span | None:
    """The span of the words at the start of ``words`` that ``accept`` takes, if any."""
    taken = list(itertools.takewhile(lambda word: accept(word[2]), words))
    return (taken[0][0], taken[-1][1]) if taken else None


def _trailing(words: list[tuple[int, int, str]], accept: Callable[[str], bool]) -> Span | None:
    """The span of the words at the end of ``words`` that ``accept`` takes, if any."""
    taken = list(itertools.takewhile(lambda word: accept(word[2]), reversed(words)))
    return (taken[-1][0], taken[0][1]) if taken else None


_COPULAS = frozenset(
    {"hai", "he", "h", "hay", "is", "was", "e", "é", "este", "to", "waa", "aa", "है", "ہے", "ਹੈ", "છે", "-", ":"}
)


def _named(text: str) -> Iterator[Span]:
    """Words right after "my name is" and its equivalents, which are a name whatever they look like."""
    for match in (_NAMED_ASCII if text.isascii() else _NAMED).finditer(text):
        words = _words(match)
        if len(words) > 1 and words[0][2].lower() in _COPULAS:
            words = words[1:]  # "mera naam hai Zara", "my name is: Zara"
        first = words[0][2]
        if _is_stop(first):
            continue
        # A capitalised name runs on while the words are capitalised ("Jake Smith Jones"); a
        # lower-case one takes one more word unless it is a function word ("jake smith", "jake and").
        if _is_capitalised(first):
            more = _leading(words[1:3], lambda word: _is_capitalised(word) and not _is_stop(word))
        else:
            # An Arabic word starting with و is "and ..." ("اسمي أحمد ورقمي ...").
            more = _leading(words[1:2], lambda word: not _is_stop(word) and not word.startswith("و"))
        yield words[0][0], (more or words[0])[1]


def _introduced(text: str) -> Iterator[Span]:
    """A name after "I'm", "called", "jestem", "main"... when it is a known or capitalised name."""
    for match in _INTRODUCED.finditer(text):
        words = _words(match)
        capitals = _leading(words, lambda word: _is_capitalised(word) and not _is_stop(word))
        if capitals:
            names = [w for w in words if capitals[0] <= w[0] < capitals[1]]
            # Two capitalised words after "I'm" are a first name and a surname ("im Kai Osei").
            known = len(names) > 1 or any(_known_name(word[2]) for word in names)
            if known or match.group("called") or _FROM_OR_AGE.match(text, capitals[1]):
                yield capitals
        elif _known_name(words[0][2]) and _key(words[0][2]) in _GIVEN:
            surname = len(words) > 1 and _key(words[1][2]) in _SURNAMES
            yield words[0][0], words[1 if surname else 0][1]


def _names_in_groups(
    pattern: re.Pattern[str], accept: Callable[[str], bool], from_end: bool = False
) -> Callable[[str], Iterator[Span]]:
    def find(text: str) -> Iterator[Span]:
        for match in pattern.finditer(text):
            span = (_trailing if from_end else _leading)(_words(match), accept)
            if span:
                yield span

    return find


def _name_pairs(text: str) -> Iterator[Span]:
    """A capitalised given name and another capitalised word ("Tom Reid"), or a capitalised word
    and a listed surname ("Kayden Okafor" no, "Kayden Patel" yes); place words veto both."""
    words = [(m.start(), m.end(), m.group()) for m in _CAPITALISED.finditer(text)]
    for (start, end, word), (next_start, next_end, next_word) in itertools.pairwise(words):
        if not text[end:next_start].isspace() or "\n" in text[end:next_start]:
            continue
        if _is_stop(word) or _is_stop(next_word):
            continue
        given = _key(word) in _GIVEN
        surname = _key(next_word) in _SURNAMES and (given or _key(next_word) not in _ORDINARY)
        if given or surname:
            yield start, next_end


_SCRIPT_WORD = re.compile(rf"[{_W}]+")


# "मैं अमित कुमार हूँ", "আমি তানিয়া রহমান,": a known given name after "I", and the word after it
# when that ends the phrase (a copula, punctuation or the end follows).
_SCRIPT_I_AM = re.compile(
    rf"{_START}(?:मैं|میں|ਮੈਂ|હું|আমি|நான்|أنا|انا)\s+(?P<name>[{_W}]+(?:\s+[{_W}]+(?=\s*(?:हूँ|हूं|ہوں|ਹਾਂ|છું"
    r"|[,.!?،۔।]|$)))?)"
)


def _script_i_am(text: str) -> Iterator[Span]:
    for match in _SCRIPT_I_AM.finditer(text):
        words = _words(match)
        if words[0][2] in _SCRIPT_GIVEN:
            last = words[1] if len(words) > 1 and not _is_stop(words[1][2]) else words[0]
            yield words[0][0], last[1]


def _script_surnames(text: str) -> Iterator[Span]:
    """In the scripts without capitals, a listed surname and the word before it ("अमित कुमार")."""
    if text.isascii():
        return
    words = [(m.start(), m.end(), m.group()) for m in _SCRIPT_WORD.finditer(text)]
    for index, (start, end, word) in enumerate(words):
        if word not in _SCRIPT_SURNAMES:
            continue
        before = words[index - 1] if index else None
        if (
            before
            and text[before[1] : start].isspace()
            and _looks_like_name(before[2])
            and not _LATIN_LETTER.match(before[2])
        ):
            start = before[0]
        yield start, end


def _called_before(text: str) -> Iterator[Span]:
    for match in _CALLED_BEFORE.finditer(text):
        # The verb follows the name directly, so a function word inside means it is no name.
        words = _words(match)
        if words and not any(_is_stop(word[2]) for word in words):
            yield words[0][0], words[-1][1]
    yield from _spans(_CALLED_BEFORE, "tamil")(text)


# --- putting it together ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Clues:
    """Cheap facts about an answer that let a rule skip it: most answers hold no personal data,
    and running every pattern over every short answer would cost more than the rest of the
    pipeline."""

    #: the answer's words in lower case, without punctuation
    words: frozenset[str]
    digits: bool
    at_sign: bool
    other_script: bool
    lowered: str


def _clues(text: str) -> _Clues:
    lowered = text.lower()
    return _Clues(
        words=frozenset(_CLUE_WORD.findall(lowered)),
        digits=any(ch.isdigit() for ch in text),
        at_sign="@" in text,
        other_script=not text.isascii(),
        lowered=lowered,
    )


_CLUE_WORD = re.compile(rf"[{_W}]+")


def _any_word(words: Iterable[str]) -> Callable[[_Clues], bool]:
    # A listed word is found by its first part as the clues split it ("step-dad", "dl.").
    wanted = frozenset(_CLUE_WORD.findall(word.lower())[0] for word in words)
    return lambda clues: not clues.words.isdisjoint(wanted)


_AT_TOKENS = _any_word(
    [
        "at",
        "małpa",
        "malpa",
        "małpka",
        "arroba",
        "rond",
        "arond",
        "ایٹ",
        "एट",
        "ऐट",
        "অ্যাট",
        "এট",
        "એટ",
        "ਐਟ",
        "அட்",
    ]
)
_PLATFORM_WORDS = _any_word(
    [
        "snap",
        "snapchat",
        "sc",
        "insta",
        "instagram",
        "ig",
        "tik",
        "tok",
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
_DOT_INSIDE_WORD = re.compile(r"\w\.\w")


def _always(clues: _Clues) -> bool:
    return True


def _digits(clues: _Clues) -> bool:
    return clues.digits


def _other_script(clues: _Clues) -> bool:
    return clues.other_script


# In priority order: where spans overlap, the first rule's placeholder wins. Each rule runs only
# when its clue is in the answer.
_RULES: tuple[tuple[str, Callable[[_Clues], bool], Callable[[str], Iterable[Span]]], ...] = (
    (EMAIL, lambda c: c.at_sign or "(at)" in c.lowered or "[at]" in c.lowered, _spans(_EMAIL)),
    (EMAIL, lambda c: c.at_sign or _AT_TOKENS(c), _spans(_SPELLED_EMAIL)),
    (
        LINK,
        lambda c: "://" in c.lowered or "www." in c.lowered or bool(_DOT_INSIDE_WORD.search(c.lowered)),
        _spans(_LINK),
    ),
    # Numbers before handles: in "X: 01000 000000" the handle rule takes "01000", and the whole
    # span is a phone number.
    (NHS, _digits, _nhs_numbers),
    (DOB, _digits, _dates_of_birth),
    (PHONE, _digits, _phone_numbers),
    (HANDLE, _PLATFORM_WORDS, _spans(_PLATFORM_HANDLE, "handle")),
    (HANDLE, lambda c: c.at_sign, _spans(_AT_HANDLE)),
    (POSTCODE, _digits, _spans(_POSTCODE)),
    (POSTCODE, _digits, _spans(_SPACED_POSTCODE)),
    (ADDRESS, _digits, _addresses),
    (CLASS, _digits, _spans(_CLASS_CODE)),
    (CLASS, _digits, _spans(_LED_CLASS_CODE, "code")),
    (NAME, _always, _named),
    (NAME, _always, _introduced),
    (NAME, lambda c: c.other_script or not c.words.isdisjoint(_ROMAN_CALL_ME), _called_before),
    (NAME, _other_script, _names_in_groups(_NAMED_AFTER, lambda word: not _is_stop(word), from_end=True)),
    (NAME, _any_word(["name", "imię", "imie", "numele", "nome", "magacayga"]), _spans(_NAME_IS_MINE, "name")),
    (NAME, _any_word(_WORDS["title"]), _spans(_TITLE, "name")),
    (NAME, _any_word(_WORDS["title_any"]), _names_in_groups(_TITLE_ANY, lambda word: not _is_stop(word))),
    (NAME, _other_script, _names_in_groups(_TITLE_SCRIPT, lambda word: not _is_stop(word))),
    (NAME, _any_word(_WORDS["title_after"]), _names_in_groups(_TITLE_AFTER, _looks_like_name, from_end=True)),
    (NAME, _any_word(_WORDS["role"]), _names_in_groups(_ROLE_THEN_NAME, _name_like_or_known)),
    (NAME, _any_word(_WORDS["role"]), _names_in_groups(_NAME_THEN_ROLE, _looks_like_name)),
    (NAME, _digits, _names_in_groups(_NAME_THEN_CLASS, _name_like_or_known, from_end=True)),
    (NAME, _always, _name_pairs),
    (NAME, _other_script, _script_surnames),
    (NAME, _other_script, _script_i_am),
)


def redact(text: str) -> str:
    """Return ``text`` with names, phone numbers, emails, addresses, dates of birth, NHS numbers,
    classes, postcodes, handles and links replaced by placeholders such as ``[phone]``."""
    searched = _digits_to_ascii(text)
    clues = _clues(text)
    found = sorted(
        (start, end, priority, placeholder)
        for priority, (placeholder, applies, find) in enumerate(_RULES)
        if applies(clues)
        for start, end in find(searched)
        if end > start
    )
    merged: list[list] = []
    for start, end, priority, placeholder in found:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            if priority < last[2]:
                last[2:] = [priority, placeholder]
        else:
            merged.append([start, end, priority, placeholder])
    pieces, position = [], 0
    for start, end, _, placeholder in merged:
        pieces += [text[position:start], placeholder]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
