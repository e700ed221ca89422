"""Load YAML into plain data while remembering the line of every value.

Codebook errors must say "codebook.yaml:212" to the analyst who edits the file, not a path of keys.
``survey_app.definitions`` does the same for questionnaires, but ``analysis`` may not import the web
app, so this is the small equivalent for the analysis library.
"""

from __future__ import annotations

import yaml

KeyPath = tuple[str | int, ...]


class YamlProblem(Exception):
    """The text is not YAML we can read; ``line`` is 1-based."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def load_with_lines(text: str) -> tuple[object, dict[KeyPath, int]]:
    """Return the data and ``{key path: line}`` for every mapping value and list item."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlProblem(mark.line + 1 if mark else 1, f"not valid YAML: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise YamlProblem(1, f"not valid YAML: {error}") from None
    lines: dict[KeyPath, int] = {}
    if node is None:
        return None, lines
    return _convert(node, (), lines, yaml.SafeLoader("")), lines


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int:
    """The line of ``path``, or of the closest enclosing value when it is missing."""
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path, 1)


def _convert(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], loader: yaml.SafeLoader) -> object:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise YamlProblem(key_node.start_mark.line + 1, "every key must be a plain name")
            if key in result:
                raise YamlProblem(key_node.start_mark.line + 1, f"'{key}' appears twice in the same block")
            result[key] = _convert(value_node, (*path, key), lines, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, (*path, i), lines, loader) for i, child in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
