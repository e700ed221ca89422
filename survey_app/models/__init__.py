"""Database models, one module per concern; import them from here."""

from .base import Base
from .distribution import CHANNEL_TYPES, DEVICE_MODES, SHARED_DEVICE_TYPES, AccessCode, ActivityCount, Channel
from .drafts import Draft, SentSurvey, WaitingResponse
from .exports import PreparedExport
from .panels import (
    REFLECTS,
    THEME_CHANGES,
    CardFeedback,
    Panel,
    PanelInvite,
    PanelMember,
    ReviewRound,
    RoundCard,
    ThemeChange,
    ThemeProposal,
    WaveAction,
    WaveActionText,
)
from .questionnaires import Choice, Item, Questionnaire, QuestionnaireVersion, Wave
from .responses import HARM_VALUES, MONTH_FORMAT, UNSPECIFIED_HARM, Answer, AnswerChoice, Response, harm_value
from .review import SAFEGUARDING_OUTCOMES, AnswerCoding, Quote, SafeguardingReview
from .staff import ROLES, AuditEvent, StaffSession, StaffUser

__all__ = [
    "CHANNEL_TYPES",
    "DEVICE_MODES",
    "HARM_VALUES",
    "MONTH_FORMAT",
    "REFLECTS",
    "ROLES",
    "SAFEGUARDING_OUTCOMES",
    "SHARED_DEVICE_TYPES",
    "THEME_CHANGES",
    "UNSPECIFIED_HARM",
    "AccessCode",
    "ActivityCount",
    "Answer",
    "AnswerChoice",
    "AnswerCoding",
    "AuditEvent",
    "Base",
    "CardFeedback",
    "Channel",
    "Choice",
    "Draft",
    "Item",
    "Panel",
    "PanelInvite",
    "PanelMember",
    "PreparedExport",
    "Questionnaire",
    "QuestionnaireVersion",
    "Quote",
    "Response",
    "ReviewRound",
    "RoundCard",
    "SafeguardingReview",
    "SentSurvey",
    "StaffSession",
    "StaffUser",
    "ThemeChange",
    "ThemeProposal",
    "WaitingResponse",
    "Wave",
    "WaveAction",
    "WaveActionText",
    "harm_value",
]
