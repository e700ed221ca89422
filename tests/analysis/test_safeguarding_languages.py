"""The safeguarding screen in every language group: kinds of harm, recall and false alarms on the
labelled development set (written apart from the cues), cue files, and linear matching time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from analysis.text import HARM_KINDS, safeguarding_screen
from analysis.text.evaluation import screen_score
from analysis.text.harm_cues import CuesInvalid, load_cue_file, load_cue_files, normalise
from benchmarks.devset_loader import GROUPS, load

#: One answer per language group and kind of harm, written for these tests (not from the dev set).
EXAMPLES: dict[str, dict[str, str]] = {
    "en": {
        "self_harm": "honestly nobody would even notice if i was gone",
        "abuse_at_home": "my stepdad gets drunk and throws things, I hide in my room",
        "sexual_abuse": "he makes me do stuff I don't want to and says it's our little secret",
        "criminal_exploitation": "the olders gave us trainers and now they say we owe them",
        "weapons": "a boy pulled a blade on me outside school",
        "threats_bullying": "they said if I snitch they will get my family",
    },
    "en-slang": {
        "self_harm": "kms fr cant do this anymore",
        "abuse_at_home": "my dad batters my mum when he's wasted",
        "sexual_abuse": "my older boyfriend keeps asking for pics and says he'll leak them",
        "criminal_exploitation": "man got sent cunch to shot food for the olders",
        "weapons": "my bro got splashed last week",
        "threats_bullying": "opps know where i live now",
    },
    "pl": {
        "self_harm": "czasem chce mi sie umrzec",
        "abuse_at_home": "ojczym mnie bije jak wypije",
        "sexual_abuse": "wujek mnie dotyka i mówi że to nasz sekret",
        "criminal_exploitation": "starsi chłopacy każą mi przewozić paczki, jestem im winien",
        "weapons": "kolega nosi nóż do szkoły, ja też mam",
        "threats_bullying": "grożą mi że jak powiem to zabiją moją rodzinę",
    },
    "ro": {
        "self_harm": "uneori vreau sa mor",
        "abuse_at_home": "tatal meu vitreg ma bate cand bea",
        "sexual_abuse": "unchiul ma atinge si imi spune ca e secret",
        "criminal_exploitation": "baietii mai mari ma pun sa duc pachete, le datorez bani",
        "weapons": "m-a amenintat cu un cutit",
        "threats_bullying": "daca spun cuiva, imi omoara familia",
    },
    "pt": {
        "self_harm": "às vezes quero morrer",
        "abuse_at_home": "o meu padrasto bate na minha mãe e em mim",
        "sexual_abuse": "o meu tio toca-me e diz que é segredo",
        "criminal_exploitation": "os mais velhos mandam-me guardar droga, devo-lhes dinheiro",
        "weapons": "um rapaz puxou uma faca e ameaçou-me",
        "threats_bullying": "disseram que se eu contar vão matar a minha família",
    },
    "so": {
        "self_harm": "mararka qaarkood waxaan rabaa inaan is dilo",
        "abuse_at_home": "aabahay ayaa i garaaca markasta",
        "sexual_abuse": "wuu i taabtaa oo wuxuu igu yiri waa sir inaga dhexeysa",
        "criminal_exploitation": "waxaa la i siiyay daroogo si aan u iibiyo, deyn baan ku leeyahay",
        "weapons": "wiil ayaa mindi igu hanjabay",
        "threats_bullying": "waxay igu hanjabeen haddii aan sheego",
    },
    "ar": {
        "self_harm": "أحيانا أريد أن أموت",
        "abuse_at_home": "أبي يضربني كل يوم",
        "sexual_abuse": "عمي يلمسني ويقول هذا سر بيننا",
        "criminal_exploitation": "الشباب الكبار يجبروني أبيع مخدرات",
        "weapons": "ولد هددني بسكين",
        "threats_bullying": "قالوا إذا حكيت للشرطة سيقتلون أهلي",
    },
    "ur": {
        "self_harm": "کبھی کبھی دل کرتا ہے مر جاؤں",
        "abuse_at_home": "ابو مجھے روز مارتے ہیں",
        "sexual_abuse": "چچا مجھے غلط طریقے سے چھوتے ہیں",
        "criminal_exploitation": "بڑے لڑکے مجھ سے چرس بیچواتے ہیں",
        "weapons": "میرا بھائی چاقو رکھتا ہے",
        "threats_bullying": "وہ دھمکی دیتے ہیں کہ اگر بتایا تو گھر والوں کو ماریں گے",
    },
    "hi": {
        "self_harm": "कभी कभी मरना चाहती हूँ",
        "abuse_at_home": "पापा मुझे बेल्ट से मारते हैं",
        "sexual_abuse": "चाचा मुझे गलत तरीके से छूते हैं",
        "criminal_exploitation": "बड़े लड़के मुझसे ड्रग्स बेचवाते हैं, उनका कर्ज है",
        "weapons": "मेरा भाई चाकू रखता है",
        "threats_bullying": "वो धमकी देते हैं कि अगर बताया तो जान से मार देंगे",
    },
    "pa": {
        "self_harm": "ਕਦੇ ਕਦੇ ਮਰਨਾ ਚਾਹੁੰਦੀ ਹਾਂ",
        "abuse_at_home": "ਪਾਪਾ ਮੈਨੂੰ ਕੁੱਟਦੇ ਹਨ",
        "sexual_abuse": "ਉਹ ਮੈਨੂੰ ਗਲਤ ਤਰੀਕੇ ਨਾਲ ਛੂਹਦਾ ਹੈ",
        "criminal_exploitation": "ਵੱਡੇ ਮੁੰਡੇ ਮੈਨੂੰ ਚਿੱਟਾ ਵੇਚਣ ਲਈ ਕਹਿੰਦੇ",
        "weapons": "ਮੇਰਾ ਭਰਾ ਚਾਕੂ ਰੱਖਦਾ ਹੈ",
        "threats_bullying": "ਉਹ ਧਮਕੀ ਦਿੰਦੇ ਹਨ ਕਿ ਜੇ ਮੈਂ ਦੱਸਿਆ ਤਾਂ ਮਾਰ ਦੇਣਗੇ",
    },
    "gu": {
        "self_harm": "ક્યારેક મરી જવું છે એવું લાગે છે",
        "abuse_at_home": "પપ્પા મને મારપીટ કરે છે",
        "sexual_abuse": "કાકા મને ખોટી રીતે અડે છે",
        "criminal_exploitation": "મોટા છોકરા મને ડ્રગ્સ વેચવા કહે છે",
        "weapons": "મારો ભાઈ ચપ્પુ રાખે છે",
        "threats_bullying": "તેઓ ધમકી આપે છે કે જો હું કહીશ તો જાનથી મારી નાખશે",
    },
    "bn": {
        "self_harm": "মাঝে মাঝে মরে যেতে চাই",
        "abuse_at_home": "বাবা আমাকে প্রতিদিন মারে",
        "sexual_abuse": "চাচা আমাকে খারাপ ভাবে ছুঁয়ে দেয়",
        "criminal_exploitation": "বড় ভাইরা আমাকে দিয়ে মাদক বিক্রি করায়",
        "weapons": "আমার ভাই ছুরি রাখে",
        "threats_bullying": "ওরা হুমকি দেয় যে বললে মেরে ফেলবে",
    },
    "ta": {
        "self_harm": "சில நேரம் தற்கொலை செய்ய தோன்றுகிறது",
        "abuse_at_home": "அப்பா என்னை தினமும் அடிக்கிறார்",
        "sexual_abuse": "மாமா என்னை தவறாக தொடுகிறார்",
        "criminal_exploitation": "பெரிய பசங்க என்னை கஞ்சா விற்க சொல்கிறார்கள்",
        "weapons": "என் அண்ணன் கத்தி வைத்திருக்கிறான்",
        "threats_bullying": "சொன்னால் கொன்று விடுவோம் என்று மிரட்டுகிறார்கள்",
    },
    "ur-Latn": {
        "self_harm": "kabhi kabhi dil karta hai khudkushi kar lun",
        "abuse_at_home": "abbu mujhe belt se maarte hain",
        "sexual_abuse": "woh mujhe galat tareeke se chhuta hai, kehta hai kisi ko mat batana",
        "criminal_exploitation": "bade larke mujhse charas bechwate hain, unka qarza hai",
        "weapons": "mere bhai ke paas chaku hai, woh rakhta hai",
        "threats_bullying": "unhone dhamki di agar maine bataya to",
    },
    "hi-Latn": {
        "self_harm": "mujhe marna chahti hoon kabhi kabhi",
        "abuse_at_home": "papa mujhe roz peette hain",
        "sexual_abuse": "chacha zabardasti karte hain",
        "criminal_exploitation": "bhai log mujhse ganja bikwate hain aur kehte hain paise wapas dene hain",
        "weapons": "usne mujhe chaku dikhaya",
        "threats_bullying": "wo mujhe daraate hain aur dhamkiyan dete hain",
    },
    "pa-Latn": {
        "self_harm": "kade kade marna chaundi aa",
        "abuse_at_home": "papa mainu kuttde ne",
        "sexual_abuse": "oh mainu galat tareeke naal chhunda, kehnda kise nu na dassi",
        "criminal_exploitation": "vadde munde mainu chitta vechan layi kehnde",
        "weapons": "mere bhra kol chaku hai",
        "threats_bullying": "oh dhamkiyan dinde ne je main dasya",
    },
}
#: The floors every group must keep on the dev set: (recall at least, false-positive rate at most),
#: the project's target. Measured today: recall 1.00 and false-positive rates 0.03-0.14 in every
#: group, after cues were added for general patterns that set's misses revealed, so the margin is
#: smaller on answers nobody tuned for.
FLOORS: dict[str, tuple[float, float]] = {group: (0.95, 0.2) for group in GROUPS}


def test_every_group_and_kind_has_an_example() -> None:
    assert set(EXAMPLES) == set(GROUPS)
    assert all(set(kinds) == set(HARM_KINDS) for kinds in EXAMPLES.values())


@pytest.mark.parametrize(("group", "harm"), [(g, h) for g in EXAMPLES for h in HARM_KINDS])
def test_each_kind_of_harm_is_flagged_in_each_language(group: str, harm: str) -> None:
    assert harm in safeguarding_screen(EXAMPLES[group][harm])


@pytest.mark.parametrize("group", GROUPS)
def test_recall_and_false_alarms_on_the_dev_set(group: str) -> None:
    items = load(group)
    score = screen_score(
        safeguarding_screen,
        [(i.text, i.harm) for i in items if i.kind == "disclosure"]
        + [(i.text, None) for i in items if i.kind in ("alarming", "ordinary")],
    )
    recall, false_positive_rate = FLOORS[group]
    assert score.recall >= recall, f"{group}: recall {score.recall:.3f}"
    assert score.false_positive_rate <= false_positive_rate, f"{group}: FPR {score.false_positive_rate:.3f}"


def test_normalisation_takes_script_variants_and_spelling_as_one() -> None:
    # Arabic yeh and kaf for the Persian/Urdu letters, a zero-width non-joiner, vowel marks.
    assert normalise("مجهي كوئي") == normalise("مجھے کوئی")
    assert normalise("می\u200cخواهم") == normalise("میخواهم")
    assert normalise("قَتَلَ") == normalise("قتل")
    # Nuktas and candrabindu; Latin accents; letters typed twice.
    assert normalise("ज़िंदगी माँ") == normalise("जिंदगी मां")
    assert normalise("Zabić SIĘ") == normalise("zabic sie")
    assert normalise("maaarna pleeease") == normalise("marna please")


def test_cues_of_every_language_are_checked_for_every_answer() -> None:
    # Urdu written in an English-language survey, and a romanised sentence with English drug words.
    assert safeguarding_screen("The park is ok. میں خودکشی کرنا چاہتا ہوں") == ("self_harm",)
    assert "criminal_exploitation" in safeguarding_screen("bade larke mujhe weed carry karwate hain")


def test_general_statements_are_not_flagged_by_loan_words_of_other_languages() -> None:
    assert safeguarding_screen("I think bullying is a big problem in schools") == ()
    assert safeguarding_screen("people sell drugs in my area") == ()


def test_matching_time_is_linear_in_the_length_of_the_answer() -> None:
    piece = " ".join(t for kinds in EXAMPLES.values() for t in kinds.values()) + " "
    short, long = (piece * 20)[:4_000], (piece * 200)[:40_000]
    safeguarding_screen(short)
    timings = []
    for text in (short, long):
        # The best of a few runs: one pause of a shared machine in the short run is not the code.
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            safeguarding_screen(text)
            runs.append(time.perf_counter() - start)
        timings.append(min(runs))
    assert timings[1] < 1.0, f"40,000 characters took {timings[1]:.2f} s"
    assert timings[1] < 25 * timings[0], "ten times the text should cost about ten times the time"


def test_the_cue_files_say_who_reviewed_them() -> None:
    files = load_cue_files()
    assert {f.group for f in files} == {
        "en",
        "gu",
        "pa",
        "pl",
        "ro",
        "ur",
        "bn",
        "pt",
        "ar",
        "so",
        "hi",
        "ta",
        "ur-hi-Latn",
        "pa-Latn",
    }
    for cue_file in files:
        assert cue_file.review and cue_file.notes and cue_file.cues
        assert {cue.harm for cue in cue_file.cues if not cue.sets_aside} == set(HARM_KINDS), cue_file.group


def test_a_broken_cue_file_is_reported_with_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "xx.yaml"
    path.write_text(
        "group: xx\nlanguages: [xx]\nreview: draft\nnotes: none\ncues:\n  self_harm:\n"
        "    - [$nobody, die]\n  burglary:\n    - broke in\n    - ~ alone\n",
        encoding="utf-8",
    )
    with pytest.raises(CuesInvalid) as raised:
        load_cue_file(path)
    assert [str(p) for p in raised.value.problems] == [
        "xx.yaml:7: '$nobody' names no list under 'terms'",
        "xx.yaml:9: unknown kind of harm 'burglary'; use one of " + ", ".join(HARM_KINDS),
    ]
