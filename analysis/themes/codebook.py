"""Load the versioned theme codebook, check it, and return immutable definitions.

The codebook is data (``analysis/data/codebook.yaml``) so that analysts and the community panel can
change wording and cues without touching Python. It is checked here, once, at the edge: every
problem is reported with its file and line, all at once, so a broken edit is fixed in one go.

Two identities travel with every coded result: ``version`` (what people talk about: "coded with
codebook 1.2.0") and ``content_hash`` (what a machine can trust: the SHA-256 of the codebook's
meaning, so reformatting or comments make no new hash but any changed cue does).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from analysis.themes.cues import cue_key, cue_words, misplaced_star
from analysis.yaml_lines import KeyPath, Problem, ProblemsFound, YamlProblem, load_with_lines

#: How cues are grouped: a language code, or a language written in another script ("ur-Latn" is
#: romanised Urdu). Grouping is for the people who review cues; every cue is tried on every answer.
_CUE_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?$")
MIN_EXAMPLES, MAX_EXAMPLES = 3, 5
_ID = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_TOP_KEYS = {"version", "changelog", "themes"}
_THEME_KEYS = {"id", "label", "description", "examples", "cues"}
_CHANGE_KEYS = {"version", "date", "changes"}


@dataclass(frozen=True, slots=True)
class Cue:
    """A word or phrase that signals a theme, in one of the survey's languages."""

    text: str
    language: str


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme: a stable id, words for people, and cues for the matcher."""

    #: snake_case, never renamed or reused: coded waves refer to it.
    id: str
    #: Plain words for a volunteer panel member.
    label: str
    description: str
    #: Short answers that belong to the theme; each must match the theme's cues (tested).
    examples: tuple[str, ...]
    cues: tuple[Cue, ...]


@dataclass(frozen=True, slots=True)
class ChangelogEntry:
    version: str
    date: str
    changes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Codebook:
    version: str
    themes: tuple[Theme, ...]
    changelog: tuple[ChangelogEntry, ...]
    #: SHA-256 of the codebook's content (not its formatting).
    content_hash: str

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(theme.id for theme in self.themes)

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(f"no theme {theme_id!r} in codebook {self.version}")

    def __hash__(self) -> int:
        # The content hash already says everything; hashing 900 nested cues on every lookup of the
        # compiled matcher would cost more than matching an answer.
        return hash(self.content_hash)

    def __iter__(self) -> Iterator[Theme]:
        return iter(self.themes)

    def __len__(self) -> int:
        return len(self.themes)


class CodebookInvalid(ProblemsFound):
    """The codebook cannot be used; ``problems`` lists every reason with its file and line."""


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and check a codebook file; the one shipped in ``analysis/data`` when ``path`` is None."""
    if path is None:
        source = resources.files("analysis").joinpath("data", "codebook.yaml")
        return parse_codebook(source.read_text(encoding="utf-8"), "analysis/data/codebook.yaml")
    path = Path(path)
    return parse_codebook(path.read_text(encoding="utf-8"), str(path))


def parse_codebook(text: str, source: str = "<codebook>") -> Codebook:
    """Check codebook YAML given as text; ``source`` names it in error messages."""
    try:
        data, lines = load_with_lines(text)
    except YamlProblem as problem:
        raise CodebookInvalid([Problem(source, problem.line, problem.message)]) from None
    problems = [Problem(source, lines.line_of(path), message) for path, message in _problems(data)]
    if problems:
        raise CodebookInvalid(sorted(problems, key=lambda problem: problem.line))
    assert isinstance(data, dict)
    return _build(data)


def content_hash(data: dict) -> str:
    """SHA-256 of the data, not the text: comments and layout do not change it."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _build(data: dict) -> Codebook:
    themes = tuple(
        Theme(
            id=raw["id"],
            label=raw["label"].strip(),
            description=" ".join(raw["description"].split()),
            examples=tuple(raw["examples"]),
            cues=tuple(Cue(cue, language) for language, cues in raw["cues"].items() for cue in cues),
        )
        for raw in data["themes"]
    )
    changelog = tuple(
        ChangelogEntry(
            entry["version"], str(entry["date"]), tuple(" ".join(c.split()) for c in entry["changes"])
        )
        for entry in data["changelog"]
    )
    return Codebook(data["version"], themes, changelog, content_hash(data))


Found = Iterator[tuple[KeyPath, str]]


def _problems(data: object) -> Found:
    """Every problem as (key path, message)."""
    if not isinstance(data, dict):
        yield (), "a codebook is a mapping with version, changelog and themes"
        return
    yield from _unknown_keys(data, _TOP_KEYS, ())
    for key in sorted(_TOP_KEYS - data.keys()):
        yield (), f"missing '{key}'"
    version = data.get("version")
    if "version" in data and not (isinstance(version, str) and _VERSION.match(version)):
        yield (
            ("version",),
            f'version must be a quoted MAJOR.MINOR.PATCH string such as "1.0.0", not {version!r}',
        )
    if "changelog" in data:
        yield from _changelog_problems(data["changelog"], version)
    if "themes" in data:
        yield from _themes_problems(data["themes"])


def _changelog_problems(changelog: object, version: object) -> Found:
    if not isinstance(changelog, list) or not changelog:
        yield ("changelog",), "changelog must be a list with the newest entry first"
        return
    for i, entry in enumerate(changelog):
        path: KeyPath = ("changelog", i)
        if not isinstance(entry, dict):
            yield path, "a changelog entry has version, date and changes"
            continue
        yield from _unknown_keys(entry, _CHANGE_KEYS, path)
        for key in sorted(_CHANGE_KEYS - entry.keys()):
            yield path, f"changelog entry is missing '{key}'"
        changes = entry.get("changes")
        if "changes" in entry and not _strings(changes):
            yield (*path, "changes"), "changes must be a list of sentences"
    newest = changelog[0].get("version") if isinstance(changelog[0], dict) else None
    if isinstance(version, str) and newest != version:
        yield (
            ("changelog", 0, "version"),
            (
                f"the newest changelog entry is for {newest!r} but the codebook is version {version!r}; "
                "add an entry at the top saying what changed"
            ),
        )


def _themes_problems(themes: object) -> Found:
    if not isinstance(themes, list) or not themes:
        yield ("themes",), "themes must be a non-empty list"
        return
    first_line_of_id: dict[str, int] = {}
    for i, theme in enumerate(themes):
        path: KeyPath = ("themes", i)
        if not isinstance(theme, dict):
            yield path, "a theme is a mapping with id, label, description, examples and cues"
            continue
        yield from _unknown_keys(theme, _THEME_KEYS, path)
        for key in sorted(_THEME_KEYS - theme.keys(), key=list(_THEME_KEYS).index):
            yield path, f"theme {theme.get('id', f'number {i + 1}')!r} is missing '{key}'"
        theme_id = theme.get("id")
        if "id" in theme:
            if not (isinstance(theme_id, str) and _ID.match(theme_id)):
                yield (
                    (*path, "id"),
                    f"theme id {theme_id!r} must be snake_case (lower-case letters, digits, _)",
                )
            elif theme_id in first_line_of_id:
                yield (
                    (*path, "id"),
                    f"theme id {theme_id!r} is used twice (theme {first_line_of_id[theme_id]})",
                )
            else:
                first_line_of_id[theme_id] = i + 1
        for key in ("label", "description"):
            if key in theme and not (isinstance(theme[key], str) and theme[key].strip()):
                yield (*path, key), f"{key} must be some text"
        if "examples" in theme:
            examples = theme["examples"]
            if not _strings(examples) or not MIN_EXAMPLES <= len(examples) <= MAX_EXAMPLES:
                yield (
                    (*path, "examples"),
                    (f"examples must be a list of {MIN_EXAMPLES} to {MAX_EXAMPLES} short answers"),
                )
        if "cues" in theme:
            yield from _cue_problems(theme["cues"], (*path, "cues"))


def _cue_problems(cues: object, path: KeyPath) -> Found:
    if not isinstance(cues, dict) or not cues:
        yield path, "cues must map language codes (en, pl, ...) to lists of words or phrases"
        return
    seen: dict[str, str] = {}
    for language, words in cues.items():
        if not (isinstance(language, str) and _CUE_LANGUAGE.match(language)):
            yield (
                (*path, language),
                f"{language!r} is not a language code; use one such as en, pl, or ur-Latn for romanised Urdu",
            )
        if not isinstance(words, list) or not words:
            yield (*path, language), f"cues for {language!r} must be a list of words or phrases"
            continue
        for j, cue in enumerate(words):
            if not isinstance(cue, str):
                yield (*path, language, j), f'cue {cue!r} must be text; put numbers in quotes ("999")'
            elif misplaced_star(cue):
                yield (*path, language, j), f"cue {cue!r}: '*' may only end a word"
            elif not cue_words(cue):
                yield (*path, language, j), f"cue {cue!r} has no words"
            elif cue_key(cue) in seen:
                yield (*path, language, j), f"cue {cue!r} matches the same text as {seen[cue_key(cue)]!r}"
            else:
                seen[cue_key(cue)] = cue


def _unknown_keys(block: dict, allowed: set[str], path: KeyPath) -> Found:
    for key in block:
        if key not in allowed:
            yield (*path, key), f"unknown key '{key}'; expected one of {', '.join(sorted(allowed))}"


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value)
