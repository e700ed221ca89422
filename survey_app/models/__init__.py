"""Database models, one module per concern; import them from here."""

from .base import Base
from .distribution import CHANNEL_TYPES, AccessCode, ActivityCount, Channel
from .drafts import Draft
from .questionnaires import Choice, Item, Questionnaire, QuestionnaireVersion, Wave
from .responses import Answer, AnswerChoice, Response
from .review import SAFEGUARDING_OUTCOMES, AnswerCoding, Quote, SafeguardingReview
from .staff import ROLES, AuditEvent, StaffUser

__all__ = ["CHANNEL_TYPES", "ROLES", "SAFEGUARDING_OUTCOMES", "AccessCode", "ActivityCount", "Answer",
           "AnswerChoice", "AnswerCoding", "AuditEvent", "Base", "Channel", "Choice", "Draft", "Item",
           "Questionnaire", "QuestionnaireVersion", "Quote", "Response", "SafeguardingReview",
           "StaffUser", "Wave"]
