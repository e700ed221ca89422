"""Redaction in every survey language, every kind of personal data, and in linear time."""

import random
import time

import pytest

from analysis.text.redact import redact
from benchmarks.devset_loader import GROUPS, load

# Leaks (pii substrings surviving) per dev-set group as reached; a change may only lower them.
# The ones left are a writer's "I am <name>" in Bengali, with a name the lists do not hold.
LEAK_CEILINGS = {group: 0 for group in GROUPS} | {"bn": 2}
# Answers without personal data that redaction may alter (a nickname-like word after "they call
# me" in an Urdu disclosure).
CHANGED_CEILING = 1


@pytest.mark.parametrize("group", GROUPS)
def test_dev_set_personal_data_does_not_survive(group: str) -> None:
    leaks, lost = [], []
    for item in load(group):
        if item.kind != "personal_data":
            continue
        redacted = redact(item.text)
        leaks += [(pii, redacted) for pii in item.pii if pii in redacted]
        lost += [(keep, redacted) for keep in item.keep if keep not in redacted]
    assert len(leaks) <= LEAK_CEILINGS[group], leaks
    assert not lost, "area and street names without a house number stay"


def test_dev_set_answers_without_personal_data_are_left_alone() -> None:
    changed = [
        (item.text, redact(item.text))
        for item in load()
        if item.kind != "personal_data" and redact(item.text) != item.text
    ]
    assert len(changed) <= CHANGED_CEILING, changed


# --- one kind at a time, in the languages (examples written for these tests) ------------------

CASES = [
    # names: the writer's, after the language's own "my name is" / "I'm" / "call me"
    ("I'm Kayleigh Burns from Saffron, pls do something", ["Kayleigh", "Burns"], ["Saffron"]),
    ("im Tyler Grant innit, from the ends", ["Tyler", "Grant"], []),
    ("my name is jake smith and i go to Rushey Mead", ["jake", "smith"], ["Rushey Mead"]),
    ("name's Kofi, I live off Hinckley Road", ["Kofi"], ["Hinckley Road"]),
    ("Nazywam się Ola Nowak i boję się wieczorem", ["Ola", "Nowak"], []),
    ("jestem Kuba Wisniak, mieszkam w Braunstone", ["Kuba", "Wisniak"], ["Braunstone"]),
    ("Mă numesc Andrei Popescu și locuiesc în Belgrave", ["Andrei", "Popescu"], ["Belgrave"]),
    ("Chamo-me Inês Costa, moro perto de Highfields", ["Inês", "Costa"], ["Highfields"]),
    ("todos me chamam Zé, tenho medo", ["Zé"], []),
    ("Magacaygu waa Cabdi Faarax, Highfields ayaan ku noolahay", ["Cabdi", "Faarax"], ["Highfields"]),
    ("waxaan ahay Sahra Warsame", ["Sahra", "Warsame"], []),
    ("mera naam Bilal Butt hai aur main Belgrave mein rehta hoon", ["Bilal", "Butt"], ["Belgrave"]),
    ("main Ayesha hoon, 15 saal", ["Ayesha"], []),
    ("mainu sab Sonu kehnde ne", ["Sonu"], []),
    ("mujhe sab Pinky bulate hai", ["Pinky"], []),
    ("میرا نام عائشہ خان ہے", ["عائشہ", "خان"], []),
    ("मेरा नाम रोहन शर्मा है", ["रोहन", "शर्मा"], []),
    ("सब मुझे गुड्डू कहते हैं", ["गुड्डू"], []),
    ("ਮੇਰਾ ਨਾਮ ਹਰਪ੍ਰੀਤ ਕੌਰ ਹੈ", ["ਹਰਪ੍ਰੀਤ", "ਕੌਰ"], []),
    ("મારું નામ નેહા પટેલ છે", ["નેહા", "પટેલ"], []),
    ("আমার নাম তানিয়া রহমান", ["তানিয়া", "রহমান"], []),
    ("என் பெயர் கார்த்திக்", ["கார்த்திக்"], []),
    ("اسمي ليلى وعمري ١٤", ["ليلى"], []),
    ("मैं राहुल वर्मा हूँ", ["राहुल", "वर्मा"], []),
    ("আমি কামাল, রাতে ভয় লাগে", ["কামাল"], []),
    # third parties with a title, a role or a class
    ("Tom Reid in 11F keeps starting fights", ["Tom", "Reid", "11F"], []),
    ("Tom from 10C and Kai in 9X", ["Tom", "10C", "Kai", "9X"], []),
    ("Mrs Khan, our form tutor, never listens", ["Khan"], []),
    ("my mate Jordan Price got jumped near London Road", ["Jordan Price"], ["London Road"]),
    ("mr patel said nothing", ["patel"], []),
    ("Pani Zielińska z 9C nic nie robi", ["Zielińska", "9C"], []),
    ("doamna Ionescu nu ne ascultă", ["Ionescu"], []),
    ("a Sra. Ferreira é a nossa professora", ["Ferreira"], []),
    ("Macallin Xasan ayaa og", ["Xasan"], []),
    ("श्री वर्मा कुछ नहीं करते", ["वर्मा"], []),
    ("جناب اقبال نے کچھ نہیں کیا", ["اقبال"], []),
    ("الأستاذ سمير لا يسمع", ["سمير"], []),
    ("ਅਮਨ ਗਿੱਲ 10B ਵਿੱਚ ਹੈ", ["ਅਮਨ", "ਗਿੱਲ", "10B"], []),
    # phone numbers in every spacing, with a country prefix, and in each script's digits
    ("call +447700 900 782 now", ["7700", "900", "782"], []),
    ("ring 0 7 7 0 0 9 0 0 7 8 2", ["0 7 7 0 0"], []),
    ("zadzwoń +48 512 345 678", ["512 345 678"], []),
    ("childline 0800 1111 helped me", ["0800 1111"], []),
    ("اتصل على ٠٧٧٠٠ ٩٠٠٤٥٦", ["٠٧٧٠٠", "٩٠٠٤٥٦"], []),
    ("میرا نمبر ۰۷۷۰۰ ۹۰۰۴۵۶ ہے", ["۰۷۷۰۰", "۹۰۰۴۵۶"], []),
    ("मेरा नंबर ०७७०० ९००४५६", ["०७७००", "९००४५६"], []),
    ("নম্বর ০৭৭০০ ৯০০৪৫৬", ["০৭৭০০", "৯০০৪৫৬"], []),
    ("નંબર ૦૭૭૦૦ ૯૦૦૪૫૬", ["૦૭૭૦૦", "૯૦૦૪૫૬"], []),
    ("ਨੰਬਰ ੦੭੭੦੦ ੯੦੦੪੫੬", ["੦੭੭੦੦", "੯੦੦੪੫੬"], []),
    ("எண் ௦௭௭௦௦ ௯௦௦௪௫௬", ["௦௭௭௦௦", "௯௦௦௪௫௬"], []),
    # emails, also spelled out in the language's words for "at" and "dot"
    ("sam underscore k at example dot org", ["sam", "example"], []),
    ("jan kropka nowak małpa example kropka pl", ["nowak", "example"], []),
    ("escreve para ana arroba example ponto pt", ["ana", "example"], []),
    ("ravi at the rate example dot com", ["ravi", "example"], []),
    # street addresses with a house number; street and area names alone stay
    ("I live at 4 Mere Road, off London Road", ["4 Mere"], ["London Road"]),
    ("i live at 4 mere rd, 5 hill st", ["4 mere", "5 hill"], []),
    ("we're in flat 3 above the shop on Narborough Road", ["flat 3"], ["Narborough Road"]),
    ("mieszkam na ul. Lipowej 7", ["Lipowej 7"], []),
    ("stau pe strada Florilor nr. 12", ["Florilor nr. 12"], []),
    ("moro na Rua das Flores, 21", ["Flores, 21"], []),
    ("मकान नंबर 12 में रहते हैं", ["12"], []),
    ("میں 14 وکٹوریہ روڈ پر رہتی ہوں", ["14 وکٹوریہ"], []),
    # dates of birth; ages stay
    ("born 12/03/2010, I'm 14", ["12/03/2010"], ["I'm 14"]),
    ("my dob is 3rd March 2010", ["3rd March 2010"], []),
    ("my birthday is the 5th of June", ["5th of June"], []),
    ("urodziłam się 5 maja 2011", ["5 maja 2011"], []),
    ("m-am născut pe 7 iunie 2010", ["7 iunie 2010"], []),
    ("nasci a 2 de junho de 2009", ["2 de junho de 2009"], []),
    ("मेरा जन्म 5 जून 2010 को हुआ", ["5 जून 2010"], []),
    ("আমার জন্ম ৫ জুন ২০১০", ["৫ জুন ২০১০"], []),
    # NHS numbers (valid check digit), in any digits
    ("NHS number 943 476 5919", ["943 476 5919"], []),
    ("एनएचएस ९४३४७६५९१९", ["९४३४७६५९१९"], []),
    # class codes
    ("there's a lad in 8D who carries", ["8D"], []),
    ("he's from 10rb", ["10rb"], []),
    # postcodes whole, squashed and spaced out; the outward code alone stays
    ("LE2 1DF is my postcode, LE2 is rough", ["LE2 1DF"], ["LE2 is"]),
    ("le21df", ["le21df"], []),
    ("postcode L E 2 1 D F", ["L E 2 1 D F"], []),
    ("الرمز LE2 0FH، قريب", ["LE2 0FH"], []),
    # handles and links
    ("add me on snap: jj_2010", ["jj_2010"], []),
    ("mera insta jaz_99 hai", ["jaz_99"], []),
    ("my mate tom got stabbed", ["tom"], []),
    ("me and my bro Deshawn got robbed", ["Deshawn"], []),
    ("mera naam hai Zara", ["Zara"], []),
    ("Jake Smith is my name", ["Jake", "Smith"], []),
    ("sam @ gmail . com", ["sam", "gmail"], []),
    ("Jestem Zosia z klasy 8B", ["Zosia", "8B"], []),
    ("اسمي أحمد ورقمي ٠٧٧٠٠٩٠٠١٢٣", ["أحمد", "٠٧٧٠٠٩٠٠١٢٣"], ["ورقمي"]),
    ("see tiktok.com/@vrn_clips", ["vrn_clips"], []),
]


@pytest.mark.parametrize(("answer", "secrets", "kept"), CASES)
def test_redacts_each_kind_in_each_language(answer: str, secrets: list[str], kept: list[str]) -> None:
    redacted = redact(answer)
    assert not [secret for secret in secrets if secret in redacted], redacted
    assert not [place for place in kept if place not in redacted], redacted
    assert "[" in redacted


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Tom Reid in 11F", "[name] in [class]"),
        ("Mrs Khan, our form tutor", "Mrs [name], our form tutor"),
        ("I live at 4 Mere Road", "I live at [address]"),
        ("born 12/03/2010", "born [dob]"),
        ("NHS 943 476 5919", "NHS [nhs]"),
        ("ring ٠٧٧٠٠ ٩٠٠٤٥٦ now", "ring [phone] now"),
        ("postcode L E 2 1 D F", "postcode [postcode]"),
        ("sam at gmail dot com", "[email]"),
    ],
)
def test_each_kind_has_its_own_placeholder(answer: str, expected: str) -> None:
    assert redact(answer) == expected


@pytest.mark.parametrize(
    "answer",
    [
        "I'm scared to walk through Victoria Park at night",
        "Jordan Road and Eyres Monsell have no lights",
        "Braunstone Frith and New Parks need youth clubs",
        "I'm 14 and in year 9, school finishes at 3pm",
        "In 2023 there were 40 stabbings, 12 more than 2022",
        "the number 14 bus never comes",
        "Boję się wracać do domu wieczorem",
        "Mi-e frică seara în parc",
        "Tenho medo de andar sozinha à noite",
        "Habeenkii waan baqaa",
        "میں بہت پریشان ہوں",
        "मैं बहुत डरा हुआ हूँ",
        "ਮੈਂ ਰਾਤ ਨੂੰ ਡਰਦਾ ਹਾਂ",
        "હું રાત્રે ડરું છું",
        "আমি রাতে ভয় পাই",
        "நான் இரவில் பயப்படுகிறேன்",
        "أخاف أمشي بالليل",
        "main raat ko darti hoon",
        "my big brother looks out for me",
        "the police came to 3 houses on London Road",
        "8 Crazy Nights comes close, my phone dies way faster",
        "main Belgrave se hoon",
        "I'm Jordan's friend",
        "May 5 people got hurt, 9 out of 10 kids are scared",
    ],
)
def test_answers_without_personal_data_are_left_alone(answer: str) -> None:
    assert redact(answer) == answer


# --- linear time ------------------------------------------------------------------------------

_ADVERSARIAL = [
    "07700",
    "900",
    "١٢٣",
    "at",
    "@",
    "dot",
    "Tom",
    "Reid",
    "Mr",
    "in",
    "11F",
    "12",
    "Road",
    "+44",
    "(0)",
    "a.b",
    "x",
    "snap:",
    "my name is",
    "I'm",
    "born",
    "3/4/2010",
    "LE2",
    "1DF",
    "L",
    "E",
    "mera naam",
    "मेरा नाम",
    "-",
    ".",
    "www.",
    "flat",
    "ul.",
    "Jake",
    "Smith",
    "sir",
    "जून",
    "5",
]


def _adversarial(length: int) -> str:
    """Digits, capitalised words, "@" and "at", and every rule's trigger words, at random."""
    words = random.Random(length).choices(_ADVERSARIAL, k=length // 3)
    return " ".join(words)[:length]


def _seconds(text: str) -> float:
    """CPU seconds to redact ``text``, the best of three: wall time on a shared machine measures the
    other processes too."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        redact(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize(
    "text",
    [
        _adversarial(40_000),
        "1 " * 20_000,
        "a." * 20_000,
        "Tom " * 10_000,
        "x dot " * 6_667,
        "@a" * 20_000,
        "a" * 40_000,
    ],
)
def test_a_long_answer_is_redacted_well_under_a_second(text: str) -> None:
    assert _seconds(text) < 0.5


def test_redaction_time_grows_linearly() -> None:
    short, long = _adversarial(10_000), _adversarial(40_000)
    assert _seconds(long) < 6 * _seconds(short)
