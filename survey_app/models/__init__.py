"""Database models, one module per concern; import them from here."""

from .base import Base
from .drafts import Draft
from .questionnaires import Choice, Item, Questionnaire, QuestionnaireVersion, Wave
from .responses import Answer, AnswerChoice, Response

__all__ = ["Answer", "AnswerChoice", "Base", "Choice", "Draft", "Item", "Questionnaire",
           "QuestionnaireVersion", "Response", "Wave"]
