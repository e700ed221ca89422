"""Themes in free-text answers: a versioned codebook, cue matching, discovery and learning.

- ``load_codebook`` reads and checks ``analysis/data/codebook.yaml`` (or another file);
- ``assign_themes`` finds each answer's themes by their cues, with the evidence;
- ``discover_themes`` clusters answers no theme covers, for a person to name;
- ``train_theme_model``, ``suggest`` and ``cross_validate_themes`` learn from analysts' coding,
  suggest themes for uncoded answers (never overriding a person's coding) and say how well.

Matching needs only the standard library, so the web app can assign themes per answer cheaply;
the scikit-learn and pandas parts are imported on first use of their names here.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from analysis.themes.codebook import (
    Codebook,
    CodebookInvalid,
    Cue,
    Theme,
    load_codebook,
    parse_codebook,
)
from analysis.themes.matching import CueHit, CueMatcher, ThemeMatch, assign_themes

if TYPE_CHECKING:
    from analysis.themes.discovery import EmergingTheme, discover_themes
    from analysis.themes.evaluation import ThemeEvaluation, cross_validate_themes
    from analysis.themes.frames import assign_themes_frame, theme_indicators
    from analysis.themes.learning import ThemeModel, train_theme_model
    from analysis.themes.stratify import iterative_stratified_folds
    from analysis.themes.suggestions import Suggestion, ThemeSuggestion, suggest

_LAZY = {
    "EmergingTheme": "discovery",
    "discover_themes": "discovery",
    "ThemeEvaluation": "evaluation",
    "cross_validate_themes": "evaluation",
    "assign_themes_frame": "frames",
    "theme_indicators": "frames",
    "ThemeModel": "learning",
    "train_theme_model": "learning",
    "iterative_stratified_folds": "stratify",
    "Suggestion": "suggestions",
    "ThemeSuggestion": "suggestions",
    "suggest": "suggestions",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(import_module(f"analysis.themes.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'analysis.themes' has no attribute {name!r}")


__all__ = [
    "Codebook",
    "CodebookInvalid",
    "Cue",
    "CueHit",
    "CueMatcher",
    "EmergingTheme",
    "Suggestion",
    "Theme",
    "ThemeEvaluation",
    "ThemeMatch",
    "ThemeModel",
    "ThemeSuggestion",
    "assign_themes",
    "assign_themes_frame",
    "cross_validate_themes",
    "discover_themes",
    "iterative_stratified_folds",
    "load_codebook",
    "parse_codebook",
    "suggest",
    "theme_indicators",
    "train_theme_model",
]
