"""Read the sectioned word lists in ``analysis/data/*.txt``.

Word lists live in data files rather than code so that people who know a language or the slang
can edit them without touching Python. Format: a ``[section]`` line, then words separated by
spaces or new lines; ``#`` starts a comment line.
"""

from __future__ import annotations

from importlib import resources


def load_word_sets(filename: str) -> dict[str, frozenset[str]]:
    """Return ``{section: words}`` for ``analysis/data/<filename>``."""
    text = resources.files("analysis").joinpath("data", filename).read_text(encoding="utf-8")
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        elif current is None:
            raise ValueError(f"{filename}: words before the first [section]: {line!r}")
        else:
            current.update(line.split())
    return {name: frozenset(words) for name, words in sections.items()}
