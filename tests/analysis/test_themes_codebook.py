"""The shipped codebook loads and is well formed; broken codebooks fail with file and line."""

import textwrap

import pytest

from analysis.themes import CodebookInvalid, load_codebook, parse_codebook
from analysis.themes.codebook import MAX_EXAMPLES, MIN_EXAMPLES

SEEDED = {
    "fear_and_protection",
    "peer_pressure",
    "money_problems",
    "media_and_social_media",
    "nothing_to_do",
    "discrimination",
    "drugs_and_dealing",
    "gangs_and_exploitation",
    "policing_and_trust",
    "lighting_and_environment",
    "transport_and_journeys",
    "family_and_home",
    "mental_health",
    "education_and_awareness",
    "jobs_and_opportunities",
    "safe_spaces",
    "tougher_justice",
    "mentoring_and_role_models",
}

VALID = """\
version: "1.1.0"
changelog:
  - version: "1.1.0"
    date: "2026-12-01"
    changes: [Added cues for buses.]
  - version: "1.0.0"
    date: "2026-11-24"
    changes: [First codebook.]
themes:
  - id: transport
    label: Buses
    description: Getting about.
    examples: [the bus is late, no buses at night, scared at the bus stop]
    cues:
      en: [bus, bus stop]
      pl: [autobus*]
"""


def broken(text: str) -> list[str]:
    with pytest.raises(CodebookInvalid) as raised:
        parse_codebook(textwrap.dedent(text), "broken.yaml")
    return [str(problem) for problem in raised.value.problems]


def test_shipped_codebook_has_the_seeded_themes_in_full():
    codebook = load_codebook()
    assert set(codebook.ids) == SEEDED
    assert codebook.version == codebook.changelog[0].version
    for theme in codebook:
        assert theme.label and theme.description
        assert MIN_EXAMPLES <= len(theme.examples) <= MAX_EXAMPLES
        assert {cue.language for cue in theme.cues} >= {"en"}
    languages = {cue.language for theme in codebook for cue in theme.cues}
    assert len(languages) >= 10, "cues in most of the survey's languages"


def test_codebook_is_immutable_and_hashed_by_content():
    codebook = parse_codebook(VALID)
    with pytest.raises(AttributeError):
        codebook.version = "2.0.0"  # type: ignore[misc]
    reformatted = VALID.replace(
        "cues:\n      en: [bus, bus stop]", "cues:\n      en:\n        - bus\n        - bus stop"
    )
    assert parse_codebook("# a comment\n" + reformatted).content_hash == codebook.content_hash
    assert parse_codebook(VALID.replace("bus stop]", "bus station]")).content_hash != codebook.content_hash
    assert len(codebook.content_hash) == 64


def test_loads_from_a_path_and_names_the_file_in_errors(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(VALID, encoding="utf-8")
    assert load_codebook(path).theme("transport").label == "Buses"
    path.write_text(VALID.replace("id: transport", "id: Transport"), encoding="utf-8")
    with pytest.raises(CodebookInvalid, match=rf"{path}:10: theme id 'Transport' must be snake_case"):
        load_codebook(path)


def test_every_problem_is_reported_at_once_in_file_order():
    problems = broken(
        """\
        version: "1.1.0"
        changelog:
          - version: "1.0.0"
            date: "2026-11-24"
            changes: [First codebook.]
        themes:
          - id: buses
            label: Buses
            examples: [one, two]
            cues:
              en: [bus, "999", 101]
              English: [word]
          - id: buses
            label: ""
            description: Again.
            examples: [a, b, c]
            cues: {en: [bus*stop, ex-offender, ex offender]}
            colour: red
        """
    )
    assert problems == [
        "broken.yaml:3: the newest changelog entry is for '1.0.0' but the codebook is version '1.1.0'; "
        "add an entry at the top saying what changed",
        "broken.yaml:7: theme 'buses' is missing 'description'",
        "broken.yaml:9: examples must be a list of 3 to 5 short answers",
        'broken.yaml:11: cue 101 must be text; put numbers in quotes ("999")',
        "broken.yaml:12: 'English' is not a language code; use one such as en, pl, or ur-Latn for "
        "romanised Urdu",
        "broken.yaml:13: theme id 'buses' is used twice (theme 1)",
        "broken.yaml:14: label must be some text",
        "broken.yaml:17: cue 'bus*stop': '*' may only end a word",
        "broken.yaml:17: cue 'ex offender' matches the same text as 'ex-offender'",
        "broken.yaml:18: unknown key 'colour'; expected one of cues, description, examples, id, label",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\n", "broken.yaml:1: version must be a quoted MAJOR.MINOR.PATCH string"),
        ("themes: [\n", "broken.yaml:2: not valid YAML"),
        ("- a list\n", "broken.yaml:1: a codebook is a mapping with version, changelog and themes"),
        ('version: "1.0.0"\nversion: "1.0.1"\n', "broken.yaml:2: 'version' appears twice"),
    ],
)
def test_malformed_files_fail_clearly(text, message):
    assert any(problem.startswith(message) for problem in broken(text))


def test_every_theme_has_cues_in_every_survey_language_and_romanised_urdu_and_panjabi():
    from analysis.text import LANGUAGES as SURVEY_LANGUAGES

    for theme in load_codebook():
        languages = {cue.language for cue in theme.cues}
        assert languages >= {*SURVEY_LANGUAGES, "ur-Latn", "pa-Latn"}, theme.id
