"""Discovery finds a planted topic the codebook lacks, names it by its words, and redacts quotes."""

import random

import pytest
from themes_discovery_answers import E_SCOOTERS, NOISE

from analysis.themes import discover_themes, load_codebook
from analysis.themes.discovery import MIN_TEXTS

CODEBOOK = load_codebook()


@pytest.fixture(scope="module")
def answers() -> list[str]:
    mixed = E_SCOOTERS + NOISE
    random.Random(7).shuffle(mixed)
    return mixed


@pytest.fixture(scope="module")
def discovered(answers):
    return discover_themes(answers, CODEBOOK)


def test_planted_topic_is_the_largest_cluster_and_nearly_pure(answers, discovered):
    scooters = discovered[0]
    members = [answers[i] for i in scooters.members]
    planted = sum(member in E_SCOOTERS for member in members)
    assert planted >= 25, f"{planted} of {len(E_SCOOTERS)} planted answers found"
    assert planted / len(members) >= 0.9
    assert scooters.size == len(members)
    assert all(other.size < scooters.size / 2 for other in discovered[1:])


def test_cluster_is_named_by_its_top_terms(discovered):
    scooters = discovered[0]
    assert {"scooters", "pavement"} <= set(scooters.top_terms[:3])
    assert scooters.name == " / ".join(scooters.top_terms[:3])
    assert 0 < scooters.cohesion <= 1


def test_quotes_are_distinct_members_nearest_the_centre(answers, discovered):
    scooters = discovered[0]
    assert len(scooters.quotes) == 3 and len(set(scooters.quotes)) == 3
    assert scooters.quotes[0] == answers[scooters.members[0]]
    assert all("scooter" in quote.lower() for quote in scooters.quotes)


def test_answers_the_codebook_covers_are_left_out(answers, discovered):
    covered = {"More police patrols at night", "Drug dealers outside the chip shop"}
    members = {answers[i] for cluster in discovered for i in cluster.members}
    assert not members & covered


def test_same_answers_same_clusters(answers, discovered):
    assert discover_themes(answers, CODEBOOK) == discovered


def test_few_answers_give_no_clusters():
    assert discover_themes(E_SCOOTERS[: MIN_TEXTS - 1]) == []
    assert discover_themes([]) == []
    assert discover_themes(["ok", "no", "idk"] * 10) == [], "one-word answers carry no topic"


def test_quotes_and_terms_come_from_redacted_text():
    with_contacts = [
        f"e-scooters on the pavement outside number {n}, ring me on 07700 900{n:03d}" for n in range(12)
    ]
    cluster = discover_themes(with_contacts + NOISE[10:40])[0]
    assert cluster.quotes_redacted
    assert set(cluster.members) >= set(range(len(with_contacts)))
    assert cluster.quotes and all("[phone]" in quote and "07700" not in quote for quote in cluster.quotes)
    assert not any(char.isdigit() for term in cluster.top_terms for char in term)
