"""Babel extractors for questionnaire YAML and the theme codebook.

Questionnaires: every label becomes a message in the `questionnaires` domain, with the context
"<slug>.<id>" so one English word can be translated differently in two places, and a translator
comment saying what the text is. The codebook: each theme's label and description become messages
in the `messages` domain with the context "theme.<id>.label" / "theme.<id>.description"."""

from __future__ import annotations

from collections.abc import Iterator

from analysis.item_types import item_type
from analysis.themes.codebook import CodebookInvalid, parse_codebook
from analysis.yaml_lines import load_with_lines

from .loader import QuestionnaireInvalid, parse

Message = tuple[int, str, tuple[str, str], list[str]]


def extract(fileobj, keywords, comment_tags, options) -> Iterator[Message]:
    """Babel's extractor interface; registered as the `questionnaire` method in pyproject.toml."""
    text = fileobj.read().decode("utf-8")
    name = getattr(fileobj, "name", "<questionnaire>")
    try:
        parse(text, name)
    except QuestionnaireInvalid as invalid:
        raise ValueError(f"cannot extract messages from an invalid questionnaire:\n{invalid}") from None
    data, lines = load_with_lines(text)
    slug = data["slug"]
    lists = data.get("choice_lists", {})

    def message(path: tuple, context: str, what: str) -> Message:
        value = data
        for part in path:
            value = value[part]
        return lines.line_of(path), "pgettext", (context, value), [f"i18n: {what}"]

    for key, what in (
        ("title", "survey title"),
        ("audience", "who the survey is for"),
        ("intro", "survey introduction"),
    ):
        if key in data:
            yield message((key,), slug, what)
    for p, page in enumerate(data["pages"]):
        yield message(("pages", p, "title"), f"{slug}.{page['id']}", "page title")
        if "intro" in page:
            yield message(("pages", p, "intro"), f"{slug}.{page['id']}", "page introduction")
        for i, item in enumerate(page["items"]):
            path = ("pages", p, "items", i)
            context = f"{slug}.{item['id']}"
            yield message((*path, "label"), context, "question")
            if "help" in item:
                yield message((*path, "help"), context, "help text under a question")
            source_key = item_type(item["type"]).options_key
            source = item.get(source_key) if source_key else None
            if isinstance(source, str):
                choice_paths = [("choice_lists", source, n) for n in range(len(lists[source]))]
            else:
                choice_paths = [(*path, source_key, n) for n in range(len(source or ()))]
            for choice_path in choice_paths:
                yield message((*choice_path, "label"), context, "answer choice")
            for s, statement in enumerate(item.get("statements", ())):
                yield message(
                    (*path, "statements", s, "label"),
                    f"{slug}.{statement['id']}",
                    "statement rated on the question's scale",
                )


def extract_codebook(fileobj, keywords, comment_tags, options) -> Iterator[Message]:
    """Babel's extractor interface for the theme codebook; registered as the `codebook` method.

    Each theme's label and description become messages in the `messages` domain with the context
    "theme.<id>.label" / "theme.<id>.description", as the codebook loader gives them (the text the
    pages look up), and a translator comment saying what the theme is about."""
    text = fileobj.read().decode("utf-8")
    name = getattr(fileobj, "name", "<codebook>")
    try:
        codebook = parse_codebook(text, name)
    except CodebookInvalid as invalid:
        raise ValueError(f"cannot extract messages from an invalid codebook:\n{invalid}") from None
    _, lines = load_with_lines(text)
    for number, theme in enumerate(codebook):
        yield (
            lines.line_of(("themes", number, "label")),
            "pgettext",
            (f"theme.{theme.id}.label", theme.label),
            [
                f"i18n: name of a theme (something people raised in their answers), shown to community "
                f"panel volunteers and the public. It is about: {theme.description}"
            ],
        )
        yield (
            lines.line_of(("themes", number, "description")),
            "pgettext",
            (f"theme.{theme.id}.description", theme.description),
            [
                f"i18n: plain-language description of the theme \u201c{theme.label}\u201d, shown to "
                "community panel volunteers under its name"
            ],
        )
