"""Language detection among the survey's 12 languages (analysis.text.language)."""

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
        ("good", "ta"),
        ("😀👍", "so"),
        ("", "ro"),
        ("lol ok then", "ro"),
        ("mujhe raat ko dar lagta hai", "ur"),  # romanised Urdu: no clear signal
        ("نعم", "ur"),  # Arabic script, no letter only one of Urdu/Arabic uses
    ],
)
def test_short_or_ambiguous_answers_keep_the_survey_language(answer: str, survey_language: str) -> None:
    assert detect_language(answer, survey_language) == survey_language


def test_script_decides_even_when_the_survey_language_is_implausible() -> None:
    assert detect_language("نعم", "en") == "ar"
    assert detect_language("நல்லது", "en") == "ta"


def test_mostly_english_with_a_word_of_another_language_is_english() -> None:
    assert detect_language("The park is nice but there is no policja at night", "pl") == "en"


def test_always_answers_one_of_the_twelve_codes() -> None:
    for text in ("hello there friend", "?!?", "12345 678", "Ça va très bien merci"):
        assert detect_language(text, "so") in LANGUAGES
