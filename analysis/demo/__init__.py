"""Realistic made-up responses to any questionnaire, for demos, load tests and analysis development.

Real answers are anonymous and sensitive, so they cannot be copied into a demo site, a notebook or
a benchmark. This package invents respondents instead, and makes them behave like the people the
Violence Reduction Network surveys: a crosstab of the made-up data should tell the same kind of
story as the Strategic Needs Assessment (feeling unsafe rises with deprivation, most young people
never think of carrying a knife, those who do mostly say fear and protection), otherwise a demo
would show charts that teach people the wrong thing.

How it works: every respondent first gets a hidden "true" profile (district, a neighbourhood
deprivation decile, age, gender, language, how worried they are in general, what has happened to
them). Questions are then answered from that profile through a reporting step that skips optional
questions, says "Don't know" or "Prefer not to say" at realistic rates, and respects every rule
the web app enforces (conditions, exclusive choices, ``max_choices``, ranges, lengths). Items of
the two standard questionnaires are recognised by id; any other item gets a plausible generic
answer, and any statement on a standard scale (safety, worry, problem, frequency, agreement,
police rating) is answered from the profile too, so new questions inherit sensible relationships.

Districts are weighted by Census 2021 residents, deprivation comes from the district's IMD 2019
LSOA deciles and language from its Census 2021 main-language mix, all read from the replaceable
files in ``analysis/data/areas/``. Free text comes from the hand-written bank in
``analysis/data/demo_text.yaml``.

The parts: ``questionnaire`` resolves the items once, ``people`` draws the hidden profiles,
``answering`` turns a profile into answers, ``free_text`` writes the text answers, ``draws`` holds
the weighted draws they share, and ``responses`` puts them together (``generate``, ``stream``,
``stream_beside``).
"""

from .free_text import POSTCODE_DISTRICTS
from .people import DISTRICT_CODES
from .responses import DemoResponse, generate, stream, stream_beside

__all__ = ["DISTRICT_CODES", "POSTCODE_DISTRICTS", "DemoResponse", "generate", "stream", "stream_beside"]
