"""Redaction of personal data from free-text answers (analysis.text.redact)."""

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.text.redact import redact


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (
            "If anyone wants to talk email me at jess.w_2009@hotmail.co.uk",
            "If anyone wants to talk email me at [email]",
        ),
        ("contact jo (at) gmail (dot) com", "contact [email]"),
        ("my email is jo dot smith at gmail dot com thanks", "my email is [email] thanks"),
        ("Text me on 07700 900123 if you see anything", "Text me on [phone] if you see anything"),
        ("ring +44 7700 900 123 pls", "ring [phone] pls"),
        ("Office: (0116) 496 0000.", "Office: [phone]."),
        ("call 0116-496-0000 or 020 7946 0000", "call [phone] or [phone]"),
        ("+44 (0)20 7946 0000 / 0044 7700900123", "[phone] / [phone]"),
        ("I live at LE1 5WW near the park", "I live at [postcode] near the park"),
        ("postcode le15ww", "postcode [postcode]"),
        ("Near SW1A 1AA and EC1A 1BB", "Near [postcode] and [postcode]"),
        ("add me on snap: jj_2010", "add me on snap: [handle]"),
        ("my snap is bigmike07 x", "my snap is [handle] x"),
        ("insta @jaz.ldn", "insta [handle]"),
        ("shoutout @leicester_youth for the football", "shoutout [handle] for the football"),
        ("see tiktok.com/@vrn_clips", "see [link]"),
        ("more info at https://example.org/help?x=1.", "more info at [link]."),
        ("check www.example.co.uk", "check [link]"),
        ("My name is Jake Smith and I go to Rushey Mead", "My name is [name] and I go to Rushey Mead"),
        ("my name's jake", "my name's [name]"),
        ("I'm called Aisha", "I'm called [name]"),
        ("everyone calls me Jay", "everyone calls me [name]"),
        ("I am Priya from Belgrave, 14", "I am [name] from Belgrave, 14"),
        ("Nazywam się Kasia", "Nazywam się [name]"),
        ("Mă numesc Ana", "Mă numesc [name]"),
        ("Meu nome é João", "Meu nome é [name]"),
        ("Magacaygu waa Axmed", "Magacaygu waa [name]"),
        ("میرا نام علی ہے", "میرا نام [name] ہے"),
        ("मेरा नाम राज है", "मेरा नाम [name] है"),
    ],
)
def test_redacts_personal_data(answer: str, expected: str) -> None:
    assert redact(answer) == expected


@pytest.mark.parametrize(
    "answer",
    [
        "I am scared to walk home through the park",
        "I'm called names at school because of my hijab",
        "my name is not important",
        "It's bad round LE4 and LE2, especially at 3am",
        "In 2023 there were 40 stabbings in the city",
        "I saw it on snap yesterday",
        "my snapchat got hacked",
        "Call me when the youth club opens again",
        "Meet @ the bus station at 5",
        "The 2024-2025 school year was better",
    ],
)
def test_leaves_ordinary_answers_alone(answer: str) -> None:
    assert redact(answer) == answer


def test_redacts_everything_in_one_answer() -> None:
    answer = "Hi I'm Tom from Braunstone, ring 07700 900123 or tom@x.com, I live LE3 1AB, snap: tommy_b"
    redacted = redact(answer)
    for secret in ("Tom ", "07700", "tom@x.com", "LE3 1AB", "tommy_b"):
        assert secret not in redacted
    assert "Braunstone" in redacted  # the area is allowed


# --- properties: generated personal data embedded in random text is always removed -----------

_filler_word = st.text(alphabet=string.ascii_letters + "éłșã", min_size=1, max_size=10)
_filler = st.lists(_filler_word, max_size=8).map(" ".join)
_separator = st.sampled_from([" ", ", ", ": ", "\n", " (", ") ", " - ", "! "])


def _embedded(secret: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, str]]:
    """(secret, text containing it between random letter-only words)."""
    return st.tuples(secret, _filler, _separator, _filler, _separator).map(
        lambda parts: (parts[0], f"{parts[1]}{parts[2]}{parts[0]}{parts[4]}{parts[3]}")
    )


_email = st.builds(
    lambda local, domain, tld: f"{local}@{domain}.{tld}",
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,15}", fullmatch=True),
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True),
    st.sampled_from(["com", "co.uk", "org", "net", "ac.uk", "io"]),
)


@st.composite
def _uk_phone(draw: st.DrawFn) -> str:
    """A UK number in one of the ways people write them."""
    first = draw(st.sampled_from("12378"))
    rest = draw(st.text(alphabet=string.digits, min_size=9, max_size=9))
    national = first + rest  # 10 digits after the trunk 0
    group_sizes = draw(st.sampled_from([(4, 6), (3, 3, 4), (2, 4, 4), (4, 3, 3), (10,), (5, 5)]))
    groups, start = [], 0
    for size in group_sizes:
        groups.append(national[start : start + size])
        start += size
    separator = draw(st.sampled_from([" ", "-", ".", "", " - "]))
    body = separator.join(groups)
    style = draw(st.sampled_from(["0", "+44 ", "+44", "0044 ", "+44 (0)", "(0)", "(+44) "]))
    if style == "(0)":
        return f"(0{groups[0]}) " + separator.join(groups[1:]) if len(groups) > 1 else "0" + body
    return style + body


_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_postcode = st.builds(
    lambda outward, space, digit, unit: f"{outward}{space}{digit}{unit}",
    st.from_regex(
        r"(?:[A-PR-UWYZ][0-9]|[A-PR-UWYZ][0-9]{2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
        r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])",
        fullmatch=True,
    ),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(string.digits),
    st.text(alphabet=_INWARD_LETTERS, min_size=2, max_size=2),
).flatmap(lambda code: st.sampled_from([code, code.lower()]))


@settings(max_examples=300)
@given(_embedded(_email))
def test_property_every_email_is_removed(case: tuple[str, str]) -> None:
    email, text = case
    redacted = redact(text)
    assert email not in redacted
    assert "@" not in redacted
    assert "[email]" in redacted


@settings(max_examples=300)
@given(_embedded(_uk_phone()))
def test_property_every_uk_phone_number_is_removed(case: tuple[str, str]) -> None:
    phone, text = case
    redacted = redact(text)
    assert not re.search(r"\d", redacted), (phone, redacted)
    assert "[phone]" in redacted


@settings(max_examples=300)
@given(_embedded(_postcode))
def test_property_every_full_postcode_is_removed(case: tuple[str, str]) -> None:
    postcode, text = case
    redacted = redact(text)
    assert not re.search(r"\d", redacted), (postcode, redacted)
    # After a platform name ("YOUTUBE A00AA") a postcode-shaped word is taken for a handle: gone either way.
    assert "[postcode]" in redacted or "[handle]" in redacted
