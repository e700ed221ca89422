"""The one call the web app makes per free-text answer (analysis.text.prepare_answer)."""

import dataclasses
import subprocess
import sys

import pytest

from analysis.text import LANGUAGES, TextResult, prepare_answer


def test_english_answer_is_redacted_flagged_detected_and_scored() -> None:
    result = prepare_answer(
        "My name is Jake, text me on 07700 900123. I don't feel safe near LE1 5WW at night 😢", "en"
    )
    assert result.redacted == (
        "My name is [name], text me on [phone]. I don't feel safe near [postcode] at night 😢"
    )
    assert result.safeguarding is False
    assert result.language == "en"
    assert result.sentiment is not None and result.sentiment < -0.05


def test_answer_in_another_language_is_scored_in_that_language() -> None:
    result = prepare_answer("Nie czuję się bezpiecznie w nocy, mój email to jan@wp.pl", "en")
    assert result.redacted == "Nie czuję się bezpiecznie w nocy, mój email to [email]"
    assert result.language == "pl"
    assert result.sentiment is not None and result.sentiment < -0.05


def test_romanised_urdu_in_the_english_survey_is_tagged_and_scored_as_such() -> None:
    result = prepare_answer("raat ko bohat darr lagta hai, koi safe nahi feel karta", "en")
    assert result.language == "ur-Latn"
    assert result.sentiment is not None and result.sentiment < -0.05


def test_any_survey_language_is_accepted_and_honestly_not_scored_without_a_word_list() -> None:
    """A language added to translations/languages.yaml later: the answer is kept, never refused."""
    result = prepare_answer("Je ne me sens pas en sécurité, appelez-moi au 07700 900123", "fr")
    assert result.redacted == "Je ne me sens pas en sécurité, appelez-moi au [phone]"
    assert result.language == "fr"
    assert result.sentiment is None
    assert prepare_answer("The youth club is great", "fr").sentiment > 0.05


def test_an_answer_that_says_nothing_is_not_scored() -> None:
    assert prepare_answer("n/a", "en").sentiment is None
    assert prepare_answer("[email] -", "pl").sentiment is None


def test_english_answer_in_a_translated_survey_is_scored() -> None:
    result = prepare_answer("The youth club is great and the staff really help us", "pt")
    assert result.language == "en"
    assert result.sentiment is not None and result.sentiment > 0.05


def test_short_answer_keeps_the_survey_language() -> None:
    result = prepare_answer("ok", "so")
    assert result.language == "so"
    assert result.sentiment is not None


def test_safeguarding_is_flagged_and_personal_data_still_removed() -> None:
    result = prepare_answer("i'm Chloe from Saffron, my stepdad hits me. snap: chlo_x", "en")
    assert result.safeguarding is True
    assert "Chloe" not in result.redacted
    assert "chlo_x" not in result.redacted


def test_placeholders_do_not_make_an_answer_look_english() -> None:
    result = prepare_answer("jan@wp.pl 07700 900123 LE1 5WW", "pl")
    assert result.language == "pl"


def test_result_is_immutable_plain_data() -> None:
    result = prepare_answer("fine", "en")
    assert isinstance(result, TextResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.redacted = "changed"


def test_every_language_tag_is_accepted() -> None:
    for language in (*LANGUAGES, "fr"):
        assert prepare_answer("", language).language == language


def test_importing_the_text_pipeline_pulls_in_no_web_or_database_code() -> None:
    code = (
        "import sys, analysis.text; analysis.text.prepare_answer('I feel safe', 'en');"
        "bad = sorted(m for m in ('flask', 'sqlalchemy', 'survey_app', 'nltk') if m in sys.modules);"
        "print(','.join(bad))"
    )
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert imported.stdout.strip() == ""
