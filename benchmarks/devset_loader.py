"""Load the labelled development set for the free-text features (``benchmarks/devset/``).

One YAML file per language group holds fictional survey answers, each labelled by its writer as a
safeguarding disclosure (with its kind of harm), an alarming answer that is not a disclosure,
an answer carrying personal data (with the substrings redaction must remove and those it must
keep), or an ordinary answer (with its sentiment and codebook themes). See
``benchmarks/devset/README.md``. Every problem in a file is reported at once, each naming the file,
line, item number and field.

    from benchmarks.devset_loader import load
    disclosures = [item for item in load("ur-Latn") if item.kind == "disclosure"]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analysis.text import LANGUAGES
from analysis.themes.codebook import load_codebook
from analysis.yaml_lines import KeyPath, LineMap, Problem, ProblemsFound, YamlProblem, load_with_lines

DEVSET_DIR = Path(__file__).resolve().parent / "devset"

#: The language groups, one file each, with the language and script every file of the group
#: declares: the survey's languages, UK youth slang, and the romanised Urdu, Hindi and Panjabi that
#: respondents type on phones.
GROUP_LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("en", "Latn"),
    "en-slang": ("en", "Latn"),
    "gu": ("gu", "Gujr"),
    "pa": ("pa", "Guru"),
    "pl": ("pl", "Latn"),
    "ro": ("ro", "Latn"),
    "ur": ("ur", "Arab"),
    "bn": ("bn", "Beng"),
    "pt": ("pt", "Latn"),
    "ar": ("ar", "Arab"),
    "so": ("so", "Latn"),
    "hi": ("hi", "Deva"),
    "ta": ("ta", "Taml"),
    "ur-Latn": ("ur", "Latn"),
    "hi-Latn": ("hi", "Latn"),
    "pa-Latn": ("pa", "Latn"),
}
GROUPS = tuple(GROUP_LANGUAGES)
SCRIPTS = ("Latn", "Arab", "Deva", "Guru", "Gujr", "Beng", "Taml")
KINDS = ("disclosure", "alarming", "personal_data", "ordinary")
HARMS = ("self_harm", "abuse_at_home", "sexual_abuse", "criminal_exploitation", "weapons", "threats_bullying")
#: The keys an item of each kind has (beyond ``text`` and ``kind``), required and optional.
_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "disclosure": (frozenset({"harm"}), frozenset()),
    "alarming": (frozenset(), frozenset()),
    "personal_data": (frozenset({"pii"}), frozenset({"keep"})),
    "ordinary": (frozenset({"sentiment", "themes"}), frozenset()),
}
_TOP_KEYS = frozenset({"group", "language", "script", "items"})
SENTIMENT_STEP = 0.25


@dataclass(frozen=True, slots=True)
class Item:
    """One labelled answer."""

    group: str
    language: str
    script: str
    text: str
    kind: str
    #: For disclosures: one of ``HARMS``.
    harm: str | None = None
    #: For personal data: substrings of ``text`` that must not survive redaction.
    pii: tuple[str, ...] = ()
    #: For personal data: substrings of ``text`` (place names) that redaction must leave alone.
    keep: tuple[str, ...] = ()
    #: For ordinary answers: the writer's feeling, -1 to 1 in steps of 0.25.
    sentiment: float | None = None
    #: For ordinary answers: codebook theme ids (possibly none).
    themes: tuple[str, ...] = ()


class DevsetInvalid(ProblemsFound):
    """A dev-set file cannot be used; ``problems`` lists every reason with file, line and item."""


def load(group: str | None = None, directory: Path = DEVSET_DIR) -> list[Item]:
    """The items of one group, or of every group in ``GROUPS`` order when ``group`` is None.

    A missing group file is an error, never a smaller set measured without notice.
    """
    if group is not None:
        if group not in GROUPS:
            raise ValueError(f"unknown dev-set group {group!r}; choose one of {', '.join(GROUPS)}")
        return parse(directory / f"{group}.yaml")
    unknown = sorted(path.name for path in directory.glob("*.yaml") if path.stem not in GROUPS)
    if unknown:
        raise DevsetInvalid(
            [
                Problem(
                    str(directory / name),
                    1,
                    f"'{Path(name).stem}' is not a dev-set group; name the file after "
                    f"one of {', '.join(GROUPS)}",
                )
                for name in unknown
            ]
        )
    return [item for name in GROUPS for item in parse(directory / f"{name}.yaml")]


def parse(path: Path) -> list[Item]:
    """Read and check one group's file."""
    source = str(path)
    try:
        data, lines = load_with_lines(path.read_text(encoding="utf-8"))
    except YamlProblem as problem:
        raise DevsetInvalid([Problem(source, problem.line, problem.message)]) from None
    except OSError as error:
        raise DevsetInvalid([Problem(source, 1, f"cannot read the file: {error.strerror}")]) from None
    check = _Checker(source, path.stem, lines)
    items = check.file(data)
    if check.problems:
        raise DevsetInvalid(sorted(check.problems, key=lambda problem: problem.line))
    return items


class _Checker:
    def __init__(self, source: str, stem: str, lines: LineMap):
        self.source, self.stem, self.lines = source, stem, lines
        self.problems: list[Problem] = []

    def fail(self, path: KeyPath, message: str) -> None:
        if len(path) >= 2 and path[0] == "items":
            where = f"item {path[1] + 1}" + (f", '{path[2]}'" if len(path) > 2 else "")
            message = f"{where}: {message}"
        elif path:
            message = f"'{path[0]}': {message}"
        self.problems.append(Problem(self.source, self.lines.line_of(path), message))

    def file(self, data: object) -> list[Item]:
        if not isinstance(data, dict):
            self.fail((), "expected a mapping with group, language, script and items")
            return []
        for key in sorted(set(data) - _TOP_KEYS):
            self.fail((key,), "unknown key; a file has only group, language, script and items")
        for key in sorted(_TOP_KEYS - set(data)):
            self.fail((), f"'{key}' is missing")
        group, language, script = data.get("group"), data.get("language"), data.get("script")
        if "group" in data and group != self.stem:
            self.fail(("group",), f"is {group!r} but the file is named {self.stem}.yaml; make them agree")
        expected_language, expected_script = GROUP_LANGUAGES.get(self.stem, (None, None))
        if "language" in data and language not in LANGUAGES:
            self.fail(("language",), f"{language!r} is not one of {', '.join(LANGUAGES)}")
        elif "language" in data and expected_language and language != expected_language:
            self.fail(("language",), f"is {language!r} but group {self.stem} is {expected_language!r}")
        if "script" in data and script not in SCRIPTS:
            self.fail(("script",), f"{script!r} is not one of {', '.join(SCRIPTS)}")
        elif "script" in data and expected_script and script != expected_script:
            self.fail(("script",), f"is {script!r} but group {self.stem} is written in {expected_script!r}")
        items = data.get("items")
        if "items" in data and (not isinstance(items, list) or not items):
            self.fail(("items",), "expected a non-empty list of items")
            return []
        result, seen = [], {}
        for index, raw in enumerate(items or []):
            item = self.item(index, raw, (str(group), str(language), str(script)))
            if item is None:
                continue
            if item.text in seen:
                self.fail(("items", index, "text"), f"repeats item {seen[item.text] + 1}; keep one")
            seen.setdefault(item.text, index)
            result.append(item)
        return result

    def item(self, index: int, raw: object, header: tuple[str, str, str]) -> Item | None:
        path: KeyPath = ("items", index)
        if not isinstance(raw, dict):
            self.fail(path, "expected a mapping with text and kind")
            return None
        text, kind = raw.get("text"), raw.get("kind")
        if not isinstance(text, str) or not text.strip():
            self.fail((*path, "text"), "expected the answer as a non-empty string")
            return None
        if kind not in _FIELDS:
            self.fail((*path, "kind"), f"{kind!r} is not one of {', '.join(KINDS)}")
            return None
        required, optional = _FIELDS[kind]
        for key in sorted(set(raw) - {"text", "kind"} - required - optional):
            self.fail(
                (*path, key),
                f"{kind} items have no '{key}'; they take "
                f"{', '.join(sorted(required | optional)) or 'only text and kind'}",
            )
        for key in sorted(required - set(raw)):
            self.fail(path, f"{kind} items need '{key}'")
        harm = raw.get("harm")
        if "harm" in raw and harm not in HARMS:
            self.fail((*path, "harm"), f"{harm!r} is not one of {', '.join(HARMS)}")
        pii = self.substrings(raw, path, "pii", text)
        keep = self.substrings(raw, path, "keep", text)
        for kept in keep:
            for removed in pii:
                if kept in removed or removed in kept:
                    self.fail(
                        (*path, "keep"),
                        f"{kept!r} overlaps {removed!r} in pii: nothing can both "
                        "survive redaction and disappear",
                    )
        sentiment = raw.get("sentiment")
        if "sentiment" in raw and not self.valid_sentiment(sentiment):
            self.fail(
                (*path, "sentiment"),
                f"{sentiment!r} is not a number from -1 to 1 in steps of {SENTIMENT_STEP}",
            )
        themes = self.themes(raw, path)
        return Item(
            *header,
            text=text,
            kind=kind,
            harm=harm if isinstance(harm, str) else None,
            pii=pii,
            keep=keep,
            sentiment=float(sentiment) if self.valid_sentiment(sentiment) else None,
            themes=themes,
        )

    def substrings(self, raw: dict, path: KeyPath, key: str, text: str) -> tuple[str, ...]:
        if key not in raw:
            return ()
        values = raw[key]
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
            self.fail((*path, key), "expected a non-empty list of non-empty strings")
            return ()
        for position, value in enumerate(values):
            if value not in text:
                self.fail((*path, key, position), f"{value!r} does not occur in the text; copy it exactly")
        return tuple(values)

    @staticmethod
    def valid_sentiment(value: object) -> bool:
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and -1 <= value <= 1
            and (value / SENTIMENT_STEP).is_integer()
        )

    def themes(self, raw: dict, path: KeyPath) -> tuple[str, ...]:
        if "themes" not in raw:
            return ()
        themes = raw["themes"]
        if not isinstance(themes, list) or not all(isinstance(theme, str) for theme in themes):
            self.fail((*path, "themes"), "expected a list of codebook theme ids ([] when none fits)")
            return ()
        for position, theme in enumerate(themes):
            if theme not in _theme_ids():
                self.fail(
                    (*path, "themes", position), f"{theme!r} is not a theme id in analysis/data/codebook.yaml"
                )
            elif theme in themes[:position]:
                self.fail((*path, "themes", position), f"{theme!r} is listed twice")
        return tuple(themes)


@cache
def _theme_ids() -> frozenset[str]:
    return frozenset(load_codebook().ids)
