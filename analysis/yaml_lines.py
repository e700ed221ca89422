"""Load YAML into plain Python data while remembering the line of every value.

Checks report problems by path (("pages", 2, "items", 0, "id")); the person editing the file needs
"young-people.yaml:57". Composing the node tree ourselves keeps both. Questionnaires (in the web
app) and the theme codebook (here) share it, so it lives in the pure library.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

KeyPath = tuple[str | int, ...]


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


def load_with_lines(text: str) -> tuple[object, LineMap]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
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


def _convert(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], loader: yaml.SafeLoader) -> object:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise YamlProblem(key_node.start_mark.line + 1, "every key must be a plain name")
            if key in result:
                raise YamlProblem(key_node.start_mark.line + 1,
                                  f"'{key}' appears twice in the same block; keep one")
            result[key] = _convert(value_node, (*path, key), lines, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, (*path, index), lines, loader) for index, child in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
