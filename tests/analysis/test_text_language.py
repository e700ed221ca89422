"""Language detection among the survey's 12 languages and romanised Urdu, Hindi and Panjabi
(analysis.text.language)."""

import pytest

from analysis.text.language import LANGUAGES, detect_language


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("I feel safe in my area during the day but not at night", "en"),
        ("Nie czuję się bezpiecznie w nocy w parku", "pl"),
        ("nie czuje sie bezpiecznie w nocy bo jest ciemno", "pl"),
        ("Nu mă simt în siguranță noaptea în cartier", "ro"),
        ("nu ma simt sigura in cartier noaptea", "ro"),
        ("Não me sinto segura no bairro à noite", "pt"),
        ("nao me sinto seguro quando esta escuro", "pt"),
        ("Waxaan dareemaa nabad xaafadda habeenkii", "so"),
        ("Magaaladu waa ammaan laakiin habeenkii cabsi ayaa jirta", "so"),
        ("میں رات کو اپنے علاقے میں محفوظ محسوس نہیں کرتا", "ur"),
        ("لا أشعر بالأمان في الحي ليلا", "ar"),
        ("मैं रात को सुरक्षित महसूस नहीं करता", "hi"),
        ("আমি রাতে নিরাপদ বোধ করি না", "bn"),
        ("હું રાત્રે સુરક્ષિત અનુભવતો નથી", "gu"),
        ("ਮੈਂ ਰਾਤ ਨੂੰ ਸੁਰੱਖਿਅਤ ਮਹਿਸੂਸ ਨਹੀਂ ਕਰਦਾ", "pa"),
        ("நான் இரவில் பாதுகாப்பாக உணரவில்லை", "ta"),
    ],
)
def test_detects_each_language_whatever_the_survey_language(answer: str, expected: str) -> None:
    for survey_language in ("en", "pl", "ur"):
        assert detect_language(answer, survey_language) == expected


@pytest.mark.parametrize(
    ("answer", "survey_language"),
    [
        ("ok", "pl"),
        ("Nie wiem", "en"),  # fewer than three words
        ("😀👍", "so"),
        ("", "ro"),
        ("lol ok then", "ro"),
        ("نعم", "ur"),  # Arabic script, no letter only one of Urdu/Arabic uses
        ("Je me sens en sécurité ici", "fr"),  # a survey language added later
        ("Ça va très bien merci", "fr"),  # diacritics alone do not make it Portuguese
    ],
)
def test_short_or_ambiguous_answers_keep_the_survey_language(answer: str, survey_language: str) -> None:
    assert detect_language(answer, survey_language) == survey_language


@pytest.mark.parametrize(
    ("answer", "survey_language", "expected"),
    [
        ("good", "ta", "ta-Latn"),
        ("ok", "ur", "ur-Latn"),
        ("mujhe raat ko dar lagta hai", "ur", "ur-Latn"),
        ("mujhe raat ko dar lagta hai", "hi", "hi-Latn"),
        ("mujhe raat ko dar lagta hai", "en", "ur-Latn"),
        ("mujhe raat ko bahar jana surakshit nahi lagta", "en", "hi-Latn"),  # Sanskrit vocabulary
        ("menu raat nu bahar jana changa nahi lagda", "en", "pa-Latn"),
        ("sanu ithe koi dar ni", "ur", "pa-Latn"),
    ],
)
def test_latin_letters_for_a_language_with_its_own_script_get_a_latn_tag(
    answer: str, survey_language: str, expected: str
) -> None:
    assert detect_language(answer, survey_language) == expected


@pytest.mark.parametrize(
    "answer",
    [
        "bohat unsafe hai yaar, police kuch nahi karti",
        "honestly the area is bad at night, log bohat rude hain",
        "I don't feel safe at all, mujhe bahut darr lagta hai when I walk home from the bus stop",
        "shukriya",
        "ghar ka phone",
        "menu lagda ae ki park ch koi safe nahi",
        "knife crime bahut zyada ho gaya hai",
    ],
)
def test_romanised_urdu_hindi_and_panjabi_are_never_english(answer: str) -> None:
    for survey_language in ("en", "ur", "hi", "pa", "pl"):
        assert detect_language(answer, survey_language) in ("ur-Latn", "hi-Latn", "pa-Latn")


@pytest.mark.parametrize(
    "answer",
    [
        "Jo and I walk home together, we feel safe",
        "the park is nice in the day but at night there are gangs",
        "Sab, Ali and me go to the youth club on Fridays",
        "ok",
    ],
)
def test_english_with_a_word_that_looks_romanised_stays_english(answer: str) -> None:
    assert detect_language(answer, "en") == "en"


def test_script_decides_even_when_the_survey_language_is_implausible() -> None:
    assert detect_language("نعم", "en") == "ar"
    assert detect_language("நல்லது", "en") == "ta"


def test_mostly_english_with_a_word_of_another_language_is_english() -> None:
    assert detect_language("The park is nice but there is no policja at night", "pl") == "en"


def test_always_answers_a_tag_it_knows_or_the_survey_language() -> None:
    for text in ("hello there friend", "?!?", "12345 678", "Ça va très bien merci", "mera ghar"):
        assert detect_language(text, "so") in LANGUAGES
        assert detect_language(text, "fr") in (*LANGUAGES, "fr")
