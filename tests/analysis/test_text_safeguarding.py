"""Safeguarding flag on free-text answers (analysis.text.safeguarding).

Both lists are realistic answers to "What makes you feel unsafe?" / "Anything else?" questions.
Missing a disclosure is the costly error, so the first list is the longer one.
"""

import pytest

from analysis.text.safeguarding import safeguarding_flag

DISCLOSURES = [
    # harm to self
    "I want to kill myself",
    "sometimes i think about ending it all",
    "I self harm when things get bad at home",
    "i've been cutting my arms again",
    "I just want to die tbh",
    "I don't want to be here anymore",
    "i feel like killing myself most days",
    "I think about suicide a lot",
    "Suicide",
    "I have thought about self-harm",
    "kms honestly",
    # harm to others
    "im gonna stab him if he comes near me again",
    "we're gonna get him after school",
    "going to shank that boy from the other estate",
    "I'll get them back for what they did",
    # abuse and neglect
    "my stepdad hits me when he's drunk",
    "he touches me and I don't like it",
    "my mum doesn't feed us, we're not allowed food",
    "I'm scared to go home",
    "dad kicked me out last week",
    "a man keeps asking me to send nudes",
    "my boyfriend threatened to kill me",
    # exploitation
    "the older boys make me hold stuff for them",
    "I owe money to some dealers and they said they'd hurt me",
    "they made me carry a package to another town",
    "I got involved in county lines",
    "they pay me to run drugs to the trap house",
    "I was groomed online",
    "I sell weed to get by",
    # weapons
    "I carry a knife because I don't feel safe",
    "me and my mates carry blades for protection",
    "my brother has a gun",
    "someone in my class brings a knife to school",
    "I keep a blade under my bed just in case",
    # victim of violence, writer or someone close
    "I got stabbed last year",
    "my friend got jumped and robbed near the park",
    "I get bullied every day",
    "i was followed home by a man",
    "they know where I live",
    "please help me",
    # other languages
    "Chcę umrzeć",
    "Quero morrer",
    "میں خودکشی کرنا چاہتا ہوں",
    "मैं आत्महत्या के बारे में सोचता हूँ",
]

OPINIONS = [
    "knife crime is a problem",
    "There should be more police to stop knife crime",
    "People carry knives because they are scared",
    "Young people carry knives for protection, I think there should be more youth clubs",
    "I feel unsafe because people carry knives",
    "We need to stop young people carrying knives",
    "There needs to be more support for young people who self harm",
    "I think bullying is a big problem in schools",
    "Drug dealing in the park is a problem",
    "people sell drugs in my area",
    "Gangs should be tackled by the police",
    "I'm worried about knife crime",
    "There have been knife crimes in the town centre",
    "Someone got stabbed near the shops last year, the area has gone downhill",
    "the park is neglected and full of litter",
    "I love my area, it's safe",
    "The youth club is great",
    "there is nothing to do for young people",
    "More police patrols at night please",
    "hit me up on snap",
    "He beat me at fifa again lol",
    "My mum helps me with homework",
    "The street lights need fixing",
    "I enjoy going to the gym",
]


@pytest.mark.parametrize("answer", DISCLOSURES)
def test_flags_disclosures(answer: str) -> None:
    assert safeguarding_flag(answer)


@pytest.mark.parametrize("answer", OPINIONS)
def test_does_not_flag_general_opinions(answer: str) -> None:
    assert not safeguarding_flag(answer)


def test_flag_survives_case_spacing_and_curly_apostrophes() -> None:
    assert safeguarding_flag("I  DON’T   WANT TO BE HERE ANYMORE")


def test_a_disclosure_anywhere_in_a_long_answer_flags_it() -> None:
    answer = (
        "The park is nice in summer and the youth club is good. There should be more police though. "
        "Also my uncle touches me when mum is at work."
    )
    assert safeguarding_flag(answer)
