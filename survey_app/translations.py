"""The translation workflow behind `insight translations`: Babel does the work, this wires it up.

Two domains: `messages` (the interface, from Python and Jinja) and `questionnaires` (from the YAML
files, by our Babel extractor). Catalogs are standard .po files in translations/<lang>/LC_MESSAGES/,
so translators can use Poedit or Weblate; .mo files are compiled at install time, never committed.
Each catalog's header comment carries a "Review state:" line that `status` reports, so the VRN
knows which catalogs a fluent speaker still has to check.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from survey_app.config import PROJECT_ROOT
from survey_app.i18n import SOURCE_LANGUAGE, load_languages

DOMAINS = ("messages", "questionnaires")
REVIEW_STATE = re.compile(r"^#?\s*Review state:\s*(?P<state>.+?)\s*$", re.MULTILINE | re.IGNORECASE)
DEFAULT_REVIEW_STATE = "not yet translated"


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def template(directory: Path, domain: str) -> Path:
    return directory / f"{domain}.pot"


def catalog_path(directory: Path, language: str, domain: str) -> Path:
    return directory / language / "LC_MESSAGES" / f"{domain}.po"


def extract(directory: Path, root: Path = PROJECT_ROOT) -> None:
    """Write messages.pot and questionnaires.pot from the source code and the questionnaires."""
    directory = directory.resolve()
    # Run from the project root so source locations in the templates read "survey_app/...".
    with contextlib.chdir(root):
        for domain in DOMAINS:
            _pybabel(
                "extract",
                "-F",
                str(directory / f"babel-{domain}.cfg"),
                "-o",
                str(template(directory, domain)),
                "-k",
                "_l",
                "-c",
                "i18n:",
                "--sort-by-file",
                "--project",
                "Community Insight",
                "--copyright-holder",
                "Community Insight contributors",
                ".",
            )


def update(directory: Path, languages: list[str] | None = None) -> list[str]:
    """Bring every catalog up to date with the templates; create missing ones. Returns what was created."""
    created = []
    for language in languages or translated_languages(directory):
        for domain in DOMAINS:
            pot = str(template(directory, domain))
            if catalog_path(directory, language, domain).exists():
                _pybabel(
                    "update",
                    "-i",
                    pot,
                    "-d",
                    str(directory),
                    "-D",
                    domain,
                    "-l",
                    language,
                    "--ignore-obsolete",
                )
            else:
                _pybabel("init", "-i", pot, "-d", str(directory), "-D", domain, "-l", language)
                created.append(f"{language}/{domain}")
    return created


def compile_all(directory: Path) -> None:
    for domain in DOMAINS:
        if any(directory.glob(f"*/LC_MESSAGES/{domain}.po")):
            _pybabel("compile", "-d", str(directory), "-D", domain)


def translated_languages(directory: Path) -> list[str]:
    return [code for code in load_languages(directory) if code != SOURCE_LANGUAGE]


@dataclass(frozen=True)
class Coverage:
    translated: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.translated / self.total


@dataclass(frozen=True)
class LanguageStatus:
    code: str
    name: str
    coverage: dict[str, Coverage]
    review_state: str

    @property
    def complete(self) -> bool:
        return all(c.translated == c.total for c in self.coverage.values())


def _template_ids(directory: Path, domain: str) -> set[tuple[str | None, str]]:
    with template(directory, domain).open("rb") as handle:
        return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id}


def status(directory: Path) -> list[LanguageStatus]:
    """Coverage of every template message in each language (fuzzy counts as untranslated)."""
    languages = load_languages(directory)
    wanted = {domain: _template_ids(directory, domain) for domain in DOMAINS}
    result = [
        LanguageStatus(
            SOURCE_LANGUAGE,
            languages[SOURCE_LANGUAGE]["name"],
            {d: Coverage(len(ids), len(ids)) for d, ids in wanted.items()},
            "source language",
        )
    ]
    for code in translated_languages(directory):
        coverage = {}
        review_states = []
        for domain in DOMAINS:
            path = catalog_path(directory, code, domain)
            done: set = set()
            if path.exists():
                with path.open("rb") as handle:
                    catalog = read_po(handle)
                done = {
                    (m.context, m.id if isinstance(m.id, str) else m.id[0])
                    for m in catalog
                    if m.id and not m.fuzzy and _is_translated(m.string)
                }
                match = REVIEW_STATE.search(catalog.header_comment or "")
                review_states.append(match.group("state") if match else "review state not recorded")
            coverage[domain] = Coverage(len(wanted[domain] & done), len(wanted[domain]))
        state = "; ".join(sorted(set(review_states))) or DEFAULT_REVIEW_STATE
        result.append(LanguageStatus(code, languages[code]["name"], coverage, state))
    return result


def _is_translated(string) -> bool:
    if isinstance(string, tuple | list):
        return all(part.strip() for part in string)
    return bool(string and string.strip())
