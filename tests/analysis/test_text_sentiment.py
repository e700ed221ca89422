"""Sentiment of free-text answers (analysis.text.sentiment)."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textblob import TextBlob

from analysis.text._lexicon import additions, lexicon
from analysis.text.sentiment import is_non_answer, sentiment
from analysis.text.sentiment_lists import WordListInvalid, parse, word_lists

# Hand-written answers to safety-survey questions, with the sign a reader would give them
# (1 positive, -1 negative). Written for this test, not taken from any corpus.
SAFETY_SENTENCES = [
    ("I feel safe walking around my area during the day", 1),
    ("I don't feel safe walking home at night", -1),
    ("Never feel safe near the station after dark", -1),
    ("The park isn't great, there are always fights", -1),
    ("It's well scary round the back of the shops", -1),
    ("Proper dodgy at night, no lighting on the path", -1),
    ("The youth club is sick, staff are really helpful", 1),
    ("there's nothing to do so people just hang about and cause trouble", -1),
    ("Love my area, neighbours are friendly 😀", 1),
    ("I'm scared to go to the bus stop on my own 😢", -1),
    ("Gangs hang around the estate and it feels dangerous", -1),
    ("My friend got stabbed last year and I'm still worried", -1),
    ("The police are helpful and I feel safer since the new cameras", 1),
    ("its dead round here, nothing for young people", -1),
    ("Not bad, it's quite a calm neighbourhood", 1),
    ("The streets are dark and there is no lighting at all", -1),
    ("Coaches at the football club really support us 👍", 1),
    ("Too many people carry knives, it's frightening", -1),
    ("I feel really unsafe on the canal path", -1),
    ("People are kind and look after each other", 1),
    ("It's a nice place to live but the alleyways are scary", -1),
    ("The new community centre is brilliant for kids", 1),
    ("I get harassed on the way to school", -1),
    ("Honestly it's fine, I've never had any problems", 1),
    ("Drug dealers outside the chicken shop every night 😡", -1),
    ("I am not worried about crime where I live", 1),
    ("The mentors at the youth club helped me loads", 1),
    ("People get robbed near the underpass", -1),
    ("It's peaceful and quiet, I like it", 1),
    ("Bare fights after school, it's long", -1),
    ("I'm afraid of the older boys on bikes", -1),
    ("The lights got fixed and it feels so much safer now", 1),
    ("Violence in the town centre has got worse", -1),
    ("Teachers are supportive and school feels safe", 1),
    ("I hate walking past the pub, men shout at you", -1),
    ("Good bus links and a lovely park", 1),
    ("No one helps when something happens, it's terrible", -1),
    ("The area has improved a lot, much cleaner now", 1),
    ("I don't trust the police round here", -1),
    ("Great sports facilities and friendly staff!", 1),
    ("Anti-social behaviour every weekend, really fed up", -1),
    ("Feeling happy with how safe my street is", 1),
]


def _sign(score: float) -> int:
    return (score > 0.05) - (score < -0.05)


def test_sign_accuracy_on_safety_sentences_beats_textblob() -> None:
    ours = sum(_sign(sentiment(text)) == expected for text, expected in SAFETY_SENTENCES)
    textblob = sum(
        _sign(TextBlob(text).sentiment.polarity) == expected for text, expected in SAFETY_SENTENCES
    )
    assert ours > textblob
    assert ours >= 0.9 * len(SAFETY_SENTENCES)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Nie czuję się bezpiecznie w nocy", "pl"),
        ("Nu mă simt în siguranță", "ro"),
        ("Não me sinto segura", "pt"),
        ("Xaafaddu ammaan maaha", "so"),
        ("میں محفوظ محسوس نہیں کرتا", "ur"),
        ("لا أشعر بالأمان", "ar"),
        ("मैं सुरक्षित महसूस नहीं करता", "hi"),
        ("আমি নিরাপদ বোধ করি না", "bn"),
        ("હું સુરક્ષિત અનુભવતો નથી", "gu"),
        ("ਮੈਂ ਸੁਰੱਖਿਅਤ ਮਹਿਸੂਸ ਨਹੀਂ ਕਰਦਾ", "pa"),
        ("நான் பாதுகாப்பாக உணரவில்லை", "ta"),
        ("mujhe yahan safe nahi lagta", "ur-Latn"),
        ("menu ithe surakhit nahi lagda", "pa-Latn"),
    ],
)
def test_every_survey_language_is_scored_and_negation_reads_the_right_way(text: str, language: str) -> None:
    """ "I do not feel safe": the negator comes before the word in some languages, after in others."""
    score = sentiment(text, language)
    assert score is not None and score < -0.05


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Je ne me sens pas en sécurité", "fr"),  # a survey language added later, without a word list
        ("good", "xx"),
    ],
)
def test_a_language_without_a_word_list_is_not_scored(text: str, language: str) -> None:
    assert sentiment(text, language) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("", "en"),
        ("n/a", "en"),
        ("[name] [postcode] [phone] [handle]", "en"),
        ("N/A.", "pt"),
        ("-", "pl"),
        ("  ?? ", "so"),
        ("idk", "en"),
        ("nie wiem", "pl"),
        ("kuch nahi", "ur-Latn"),
        ("لا أعرف", "ar"),
        ("पता नहीं", "hi"),
    ],
)
def test_answers_that_say_nothing_are_not_scored(text: str, language: str) -> None:
    assert sentiment(text, language) is None


def test_english_is_scored_by_default() -> None:
    assert sentiment("I feel safe") == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("weaker", "stronger"),
    [
        ("scary", "really scary"),
        ("scary", "well scary"),
        ("dodgy", "proper dodgy"),
        ("kind of scary", "scary"),
        ("unsafe at night", "UNSAFE at night"),
        ("unsafe", "unsafe!!"),
        ("good", "gooood"),
    ],
)
def test_emphasis_strengthens_and_hedging_weakens(weaker: str, stronger: str) -> None:
    assert abs(sentiment(stronger)) > abs(sentiment(weaker))


@pytest.mark.parametrize(
    "text",
    [
        "I don't feel safe",
        "never safe round here",
        "it isn't great",
        "I don't really feel that safe at night",
        "not a very safe place",
        "less safe than before",
        "the park is nice but it's dark",
        "it's dead round here",
        "that's long",
        "that was peak",
        "I feel sick walking home",
        "😢😡",
        "🔪 everywhere",
        ":(",
    ],
)
def test_negative_readings(text: str) -> None:
    assert sentiment(text) < -0.05


@pytest.mark.parametrize(
    "text",
    [
        "not bad at all",
        "I'm not scared round here",
        "the youth club is sick",
        "that party was lit",
        "dead good",
        "❤️👍",
        ":)",
        "it's dark but I feel safe",
        "there is less crime now",
    ],
)
def test_positive_readings(text: str) -> None:
    assert sentiment(text) > 0.05


@pytest.mark.parametrize(
    "text",
    [
        "I walk to school",
        "Black young people get stopped by police",
    ],
)
def test_neutral_readings(text: str) -> None:
    assert sentiment(text) == pytest.approx(0.0)


@pytest.mark.parametrize(
    "text",
    [
        "we need more police",
        "police never turn up",
        "too many people hanging about",
        "not enough street lights",
        "it would be better if the park had a warden",
    ],
)
def test_a_lack_or_a_wish_for_change_is_mildly_negative(text: str) -> None:
    assert -0.5 < sentiment(text) < -0.05


def test_but_makes_the_second_clause_count_more() -> None:
    assert sentiment("it's a bit dodgy but the youth club is great") > 0.05
    assert sentiment("the youth club is great but it's a bit dodgy") < sentiment("the youth club is great")


@given(st.text(max_size=300))
def test_any_text_scores_within_range_or_is_a_non_answer(text: str) -> None:
    score = sentiment(text)
    assert (score is None) == is_non_answer(text, "en")
    assert score is None or -1.0 <= score <= 1.0


def test_lexicon_starts_from_textblobs_own_averaging() -> None:
    from textblob.en import sentiment as pattern

    assert len(pattern) > 2000  # loads TextBlob's lexicon through its own code
    theirs = dict(dict.items(pattern))
    ours = lexicon()
    changed = set(additions().override) | additions().ignore
    for word, by_pos in theirs.items():
        polarity, _subjectivity, intensity = by_pos[None]
        if word not in changed:
            assert ours.polarity[word] == pytest.approx(polarity), word
        if "RB" in by_pos:
            assert ours.modifier_intensity[word] == pytest.approx(intensity), word
    assert set(ours.modifier_intensity) == {word for word, by_pos in theirs.items() if "RB" in by_pos}


def test_every_word_list_loads_and_scores_its_languages() -> None:
    lists = word_lists()
    assert {
        "pl",
        "ro",
        "pt",
        "so",
        "ar",
        "ur",
        "hi",
        "bn",
        "gu",
        "pa",
        "ta",
        "ur-Latn",
        "hi-Latn",
        "pa-Latn",
    } <= set(lists)
    assert not lists["en"].words, "English words are scored by the TextBlob-based scorer"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[polarity]\nsafe 0.5\n", "pl.txt: a [languages] section must name the language tags it scores"),
        ("[languages]\npl\n[polarity]\nbezpieczny dobrze\n", "pl.txt:4: write a word, stem* or phrase"),
        ("[languages]\npl\n[polarity]\nbezpieczny 2\n", "pl.txt:4: write a word"),
        ("[languages]\npl\n[moods]\nx\n", "pl.txt:3: unknown section [moods]"),
        ("safe 0.5\n", "pl.txt:1: text before the first [section]"),
        ("[languages]\npl\n[settings]\nfold\n", "pl.txt: unknown setting fold"),
    ],
)
def test_a_broken_word_list_names_the_file_and_line(text: str, message: str) -> None:
    with pytest.raises(WordListInvalid, match=re.escape(message)):
        parse("pl.txt", text)


def test_spelling_variants_meet_after_normalisation() -> None:
    assert sentiment("czuje sie zle", "pl") == sentiment("czuję się źle", "pl") < 0
    assert sentiment("خطير جدا", "ar") == sentiment("خطيـــر جدًّا", "ar") < 0  # tatweel, vowel marks
    assert sentiment("bohat achaa hai", "ur-Latn") == sentiment("bohat acha hai", "ur-Latn") > 0
    assert sentiment("ਖ਼ਤਰਾ", "pa") == sentiment("ਖਤਰਾ", "pa") < 0  # with and without nukta
