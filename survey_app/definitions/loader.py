"""Read questionnaire YAML files, check them, and build immutable definitions.

Checking happens here, once, at the edge: the JSON Schema catches shape errors, the semantic
checks catch what a schema cannot (unique ids, choice lists that exist, conditions that point
backwards). Every problem carries its file and line so an author can fix it in an editor.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path

import jsonschema

from analysis.item_types import item_type
from analysis.questionnaire import page_screens, screen_id
from analysis.yaml_lines import LineMap, Problem, ProblemsFound, YamlProblem, check_size, load_with_lines

from .model import (
    Choice,
    Condition,
    Item,
    Page,
    Questionnaire,
    Statement,
)

SUFFIXES = (".yaml", ".yml")


class QuestionnaireInvalid(ProblemsFound):
    """The questionnaire cannot be used; ``problems`` lists every reason with its file and line."""


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(resources.files(__package__).joinpath("questionnaire.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def content_hash(data: dict) -> str:
    """A version's identity: the hash of its meaning, so reformatting or comments make no new version."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def questionnaire_files(paths: list[Path]) -> list[Path]:
    """Expand folders to the YAML files in them, sorted, so checks and syncs are repeatable."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in SUFFIXES))
        else:
            files.append(path)
    return files


def load_file(path: Path) -> Questionnaire:
    """Parse and check one file; raise QuestionnaireInvalid listing every problem found."""
    name = str(path)
    try:
        check_size(path.stat().st_size)
        text = path.read_text("utf-8")
    except YamlProblem as problem:
        raise QuestionnaireInvalid([Problem(name, problem.line, problem.message)]) from None
    except FileNotFoundError:
        raise QuestionnaireInvalid([Problem(name, 1, "file not found")]) from None
    except UnicodeDecodeError as error:
        raise QuestionnaireInvalid(
            [Problem(name, 1, f"not UTF-8 text ({error.reason}); save the file as UTF-8")]
        ) from None
    except OSError as error:
        raise QuestionnaireInvalid([Problem(name, 1, f"cannot read the file: {error.strerror}")]) from None
    return parse(text, name)


def parse(text: str, name: str = "<questionnaire>") -> Questionnaire:
    try:
        data, lines = load_with_lines(text)
    except YamlProblem as problem:
        raise QuestionnaireInvalid([Problem(name, problem.line, problem.message)]) from None
    shape_problems = sorted(
        (
            Problem(name, lines.line_of(_error_path(error)), _describe(error))
            for error in _validator().iter_errors(data)
        ),
        key=lambda problem: problem.line,
    )
    if shape_problems:
        raise QuestionnaireInvalid(shape_problems)
    problems = [Problem(name, lines.line_of(path), message) for path, message in _semantic_problems(data)]
    if problems:
        raise QuestionnaireInvalid(problems)
    return build(data)


def _error_path(error: jsonschema.ValidationError) -> tuple:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        if extra:
            return (*path, extra[0])
    return path


def _describe(error: jsonschema.ValidationError) -> str:
    """Turn a schema error into a sentence an author can act on."""
    where = "/".join(str(part) for part in error.absolute_path) or "the file"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        return f"{where}: unknown field(s) {', '.join(extra)}; allowed here: {', '.join(allowed)}"
    if error.validator == "required":
        return f"{where}: {error.message.replace(' is a required property', '')} is required"
    if error.validator == "enum":
        return f"{where}: {error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "pattern":
        return (
            f"{where}: {error.instance!r} is not a valid name; use lower-case letters, digits "
            f"and underscores, starting with a letter (slugs use hyphens)"
        )
    if error.validator == "oneOf" and error.schema.get("description"):
        return f"{where}: {error.schema['description']}"
    if error.validator in ("if", "allOf"):
        best = jsonschema.exceptions.best_match(error.context) if error.context else None
        return _describe(best) if best else f"{where}: {error.message}"
    return f"{where}: {error.message}"


def _choice_values(source: object, lists: dict) -> list[str] | None:
    if isinstance(source, str):
        entries = lists.get(source)
        return None if entries is None else [c["value"] for c in entries]
    return [c["value"] for c in source]


def _semantic_problems(data: dict) -> list[tuple[tuple, str]]:
    problems: list[tuple[tuple, str]] = []
    lists = data.get("choice_lists", {})
    for list_name, entries in lists.items():
        problems += _duplicates([c["value"] for c in entries], ("choice_lists", list_name), "choice value")
    seen_pages: set[str] = set()
    earlier: dict[str, list[str] | None] = {}
    for p_index, page in enumerate(data["pages"]):
        page_path = ("pages", p_index)
        if page["id"] in seen_pages:
            problems.append(
                ((*page_path, "id"), f"page id '{page['id']}' is used twice; page ids must be unique")
            )
        seen_pages.add(page["id"])
        for i_index, item in enumerate(page["items"]):
            path = (*page_path, "items", i_index)
            problems += _item_problems(item, path, lists, earlier)
    return problems


def _item_problems(
    item: dict, path: tuple, lists: dict, earlier: dict[str, list[str] | None]
) -> list[tuple[tuple, str]]:
    problems: list[tuple[tuple, str]] = []
    condition = item.get("show_if")
    if condition:
        target = condition["item"]
        if target not in earlier:
            problems.append(
                (
                    (*path, "show_if", "item"),
                    f"show_if refers to '{target}', which is not an earlier item; a condition "
                    "can only depend on a question asked before it",
                )
            )
        elif earlier[target] is None:
            problems.append(
                (
                    (*path, "show_if", "item"),
                    f"show_if refers to '{target}', which has no choices to compare with",
                )
            )
        else:
            for value in condition["any_of"]:
                if value not in earlier[target]:
                    problems.append(
                        (
                            (*path, "show_if", "any_of"),
                            f"'{value}' is not a choice of '{target}' "
                            f"(its choices: {', '.join(earlier[target])})",
                        )
                    )
    kind = item_type(item["type"])
    source_key = kind.options_key
    values: list[str] | None = None
    if source_key in item:
        values = _choice_values(item[source_key], lists)
        if values is None:
            known = ", ".join(sorted(lists)) or "none are defined"
            problems.append(
                (
                    (*path, source_key),
                    f"choice list '{item[source_key]}' does not exist (choice_lists: {known})",
                )
            )
        elif not isinstance(item[source_key], str):
            problems += _duplicates(values, (*path, source_key), "choice value")
    for value in item.get("exclusive", []):
        if values is not None and value not in values:
            problems.append(
                ((*path, "exclusive"), f"exclusive choice '{value}' is not one of this item's choices")
            )
    if values is not None and item.get("max_choices", 0) > len(values):
        problems.append(
            (
                (*path, "max_choices"),
                f"max_choices is {item['max_choices']} but there are only {len(values)} choices",
            )
        )
    if "min" in item and "max" in item and item["min"] > item["max"]:
        problems.append(((*path, "min"), f"min ({item['min']}) is greater than max ({item['max']})"))
    keys = [(item["id"], (*path, "id"))]
    keys += [(s["id"], (*path, "statements", n, "id")) for n, s in enumerate(item.get("statements", []))]
    for key, key_path in keys:
        if key in earlier:
            problems.append(
                (key_path, f"id '{key}' is used twice; every item and statement id must be unique")
            )
        # What a later show_if may name: each answer key, with the choices it can hold.
        answerable = kind.answer_keys(item["id"], [s["id"] for s in item.get("statements", [])])
        earlier[key] = values if key in answerable else None
    return problems


def _duplicates(values: list[str], path: tuple, what: str) -> list[tuple[tuple, str]]:
    seen: set[str] = set()
    problems = []
    for index, value in enumerate(values):
        if value in seen:
            problems.append(((*path, index, "value"), f"{what} '{value}' is used twice in this list"))
        seen.add(value)
    return problems


def build(data: dict) -> Questionnaire:
    """Build the definition from already-checked data (a file, or a version stored in the database)."""
    lists = data.get("choice_lists", {})

    def choices(source: object) -> tuple[Choice, ...]:
        entries = lists[source] if isinstance(source, str) else source
        return tuple(Choice(c["value"], c["label"]) for c in entries)

    def item(raw: dict) -> Item:
        kind = raw["type"]
        condition = raw.get("show_if")
        return Item(
            id=raw["id"],
            type=kind,
            label=raw["label"],
            help=raw.get("help"),
            optional=raw.get("optional", False),
            sensitive=raw.get("sensitive", False),
            show_if=Condition(condition["item"], tuple(condition["any_of"])) if condition else None,
            choices=choices(raw.get("scale", raw.get("choices", []))),
            exclusive=tuple(raw.get("exclusive", ())),
            max_choices=raw.get("max_choices"),
            statements=tuple(Statement(s["id"], s["label"]) for s in raw.get("statements", ())),
            min=raw.get("min"),
            max=raw.get("max"),
            max_length=raw.get("max_length", item_type(kind).default_max_length),
        )

    # A page of the file is one page on screen, or several when a rating scale is cut over pages.
    pages = tuple(
        Page(
            id=screen_id(p["id"], n),
            title=p["title"],
            intro=p.get("intro") if n == 0 else None,
            items=tuple(item(i) for i in part),
            section=p["id"],
        )
        for p in data["pages"]
        for n, part in enumerate(page_screens(p))
    )
    return Questionnaire(
        slug=data["slug"],
        title=data["title"],
        pages=pages,
        content_hash=content_hash(data),
        intro=data.get("intro"),
        audience=data.get("audience"),
        minutes=data.get("minutes"),
        source=data,
    )


def check_paths(paths: list[Path]) -> list[Problem]:
    """Every problem in the given files and folders, including slugs used by two files."""
    problems: list[Problem] = []
    slugs: dict[str, str] = {}
    files = questionnaire_files(paths)
    if not files:
        return [Problem(str(p), 1, "no .yaml questionnaire files here") for p in paths]
    for path in files:
        try:
            questionnaire = load_file(path)
        except QuestionnaireInvalid as invalid:
            problems += invalid.problems
            continue
        if questionnaire.slug in slugs:
            problems.append(
                Problem(
                    str(path),
                    1,
                    f"slug '{questionnaire.slug}' is already used by {slugs[questionnaire.slug]}",
                )
            )
        slugs[questionnaire.slug] = str(path)
    return problems


__all__ = [
    "LineMap",
    "Problem",
    "QuestionnaireInvalid",
    "build",
    "check_paths",
    "content_hash",
    "load_file",
    "parse",
    "questionnaire_files",
]
