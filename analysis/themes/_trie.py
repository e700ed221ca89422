"""Build one regular expression from many cue patterns, shaped as a prefix trie.

Python's ``re`` tries the branches of an alternation one after another, so 900 cues in a flat
alternation cost 900 attempts at every word of every answer (about 700 answers a second).
Sharing literal prefixes ("polic" for police, policja, policji) turns that into a walk down a tree
that stops at the first letter no cue continues with, which is most words: the same cues then
match tens of thousands of answers a second. Branches are ordered longest cue first so that a
phrase wins over a word it starts with ("police station" over "police").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    #: Cues whose literal head ends here: (length, group name, tail regex).
    leaves: list[tuple[int, str, str]] = field(default_factory=list)
    #: Length of the longest cue at or below this node, to order branches.
    longest: int = 0


def trie_regex(entries: Iterable[tuple[str, str, str, int]]) -> str:
    """One alternation for ``(head, tail, group, length)`` entries: ``head`` is literal text,
    ``tail`` a regex, ``group`` the name of the group that captures the tail (so ``lastgroup``
    tells which entry matched) and ``length`` orders the branches, longest first."""
    root = _Node()
    for head, tail, group, length in entries:
        node = root
        node.longest = max(node.longest, length)
        for char in head:
            node = node.children.setdefault(char, _Node())
            node.longest = max(node.longest, length)
        node.leaves.append((length, group, tail))
    return _emit(root)


def _emit(node: _Node) -> str:
    branches = [(child.longest, re.escape(char) + _emit(child)) for char, child in node.children.items()]
    branches += [(length, f"(?P<{group}>{tail})") for length, group, tail in node.leaves]
    branches.sort(key=lambda branch: -branch[0])
    if len(branches) == 1:
        return branches[0][1]
    return "(?:" + "|".join(regex for _, regex in branches) + ")"
