"""Questionnaire definitions: YAML files checked against a schema and semantic rules."""

from .loader import Problem, QuestionnaireInvalid, build, check_paths, load_file, parse, questionnaire_files
from .model import Choice, Condition, Item, Page, Questionnaire, Statement

__all__ = [
    "Choice",
    "Condition",
    "Item",
    "Page",
    "Problem",
    "Questionnaire",
    "QuestionnaireInvalid",
    "Statement",
    "build",
    "check_paths",
    "load_file",
    "parse",
    "questionnaire_files",
]
