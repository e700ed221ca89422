"""Load YAML into plain Python data while remembering the line of every value.

Checks report problems by path (("pages", 2, "items", 0, "id")); the person editing the file needs
"young-people.yaml:57". Composing the node tree ourselves keeps both. Questionnaires (in the web
app) and the theme codebook (here) share it, so it lives in the pure library.

The files come from people, so hostile ones are refused before anything is built: no anchors or
aliases (a "billion laughs" file expands 355 bytes into gigabytes; questionnaires never need them),
at most MAX_DEPTH levels of nesting and MAX_BYTES bytes, each as a problem with its line.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

KeyPath = tuple[str | int, ...]
#: libyaml's parser where PyYAML was built with it (its wheels are): the same events and nodes, with
#: their lines, ten times faster than the pure-Python one.
_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Questionnaires nest about six levels deep; 10,000 levels would exhaust the stack.
MAX_DEPTH = 20
#: The largest questionnaire is about 30 KB.
MAX_BYTES = 1_000_000


@dataclass
class LineMap:
    lines: dict[KeyPath, int]

    def line_of(self, path: KeyPath) -> int:
        """The line of the closest enclosing value that has one (1-based)."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, as an editor wants it: "file:line: message"."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ProblemsFound(ValueError):
    """A file cannot be used; ``problems`` lists every reason, each with its file and line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def check_size(size: int) -> None:
    """Refuse a file of `size` bytes before reading it when it is larger than any real one."""
    if size > MAX_BYTES:
        raise YamlProblem(
            1,
            f"the file has {size:,} bytes, more than the {MAX_BYTES:,} allowed; "
            "split it, or remove what is not needed",
        )


def load_with_lines(text: str) -> tuple[object, LineMap]:
    check_size(len(text) if len(text) > MAX_BYTES else len(text.encode("utf-8", "surrogatepass")))
    try:
        return _load(text, _FAST)
    except YamlProblem:
        if _FAST is yaml.SafeLoader:
            raise
    # The pure-Python parser names the problem of a file libyaml refuses (and counts its nesting
    # before libyaml's own limit), in the words every other problem is given in.
    return _load(text, yaml.SafeLoader)


def _load(text: str, parser: type) -> tuple[object, LineMap]:
    try:
        _check_structure(text, parser)
        node = yaml.compose(text, Loader=parser)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlProblem(line, f"not valid YAML: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise YamlProblem(1, f"not valid YAML: {error}") from None
    lines: dict[KeyPath, int] = {}
    if node is None:
        return None, LineMap(lines)
    return _convert(node, (), lines, yaml.SafeLoader("")), LineMap(lines)


def _check_structure(text: str, parser: type) -> None:
    """Refuse anchors, aliases, unknown tags and deep nesting while parsing, before any tree is built."""
    depth = 0
    for event in yaml.parse(text, Loader=parser):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(
                line,
                f"the alias *{event.anchor} repeats a block written elsewhere; aliases "
                "are not allowed, so write the value out in full",
            )
        if getattr(event, "anchor", None):
            raise YamlProblem(
                line,
                f"the anchor &{event.anchor} is not allowed; remove it and write repeated values out in full",
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in yaml.SafeLoader.yaml_constructors:
            raise YamlProblem(line, f"the tag {tag} is not allowed; remove it (plain YAML needs no tags)")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(
                    line,
                    f"blocks are nested more than {MAX_DEPTH} levels deep here; "
                    "a questionnaire needs far fewer, so check the indentation",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _convert(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], loader: yaml.SafeLoader) -> object:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise YamlProblem(key_node.start_mark.line + 1, "every key must be a plain name")
            if key in result:
                raise YamlProblem(
                    key_node.start_mark.line + 1, f"'{key}' appears twice in the same block; keep one"
                )
            result[key] = _convert(value_node, (*path, key), lines, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, (*path, index), lines, loader) for index, child in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as error:
        # An unknown tag (!python/object), or a value such as the date 2026-02-30 that cannot be read.
        problem = error.problem if isinstance(error, yaml.MarkedYAMLError) else str(error)
        raise YamlProblem(
            node.start_mark.line + 1,
            f"cannot read the value {node.value!r:.60}: {problem}; write it as plain text in quotes",
        ) from None
