"""Database models, one module per concern; import them from here."""

from .base import Base
from .drafts import Draft
from .questionnaires import Choice, Item, Questionnaire, QuestionnaireVersion, Wave
from .responses import Answer, AnswerChoice, Response
from .staff import ROLES, AuditEvent, StaffUser

__all__ = ["ROLES", "Answer", "AnswerChoice", "AuditEvent", "Base", "Choice", "Draft", "Item",
           "Questionnaire", "QuestionnaireVersion", "Response", "StaffUser", "Wave"]
