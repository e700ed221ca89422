"""Free-text answers: redaction, safeguarding screen, language detection and sentiment.

``prepare_answer`` is what the web app calls before storing an answer; the single-purpose
functions are exported too for analysis and tests.
"""

from analysis.text.language import LANGUAGES, detect_language
from analysis.text.pipeline import TextResult, prepare_answer
from analysis.text.redact import redact
from analysis.text.safeguarding import HARM_KINDS, safeguarding_flag, safeguarding_screen
from analysis.text.sentiment import SentimentCoverage, scored_answers, sentiment

__all__ = [
    "HARM_KINDS",
    "LANGUAGES",
    "SentimentCoverage",
    "TextResult",
    "detect_language",
    "prepare_answer",
    "redact",
    "safeguarding_flag",
    "safeguarding_screen",
    "scored_answers",
    "sentiment",
]
