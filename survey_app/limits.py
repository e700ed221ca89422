"""Rate limits on the doors that take a secret (staff login, joining a panel, a survey's access
code), and on the one that takes whole surveys from devices' queues. In memory by default; several
workers share Redis through RATELIMIT_STORAGE_URI=redis://host:6379."""

import logging

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)
# Flask-Limiter logs every refusal with the client's address at INFO: a respondent's address
# beside the moment they tried a code. Only its warnings are let through.
logging.getLogger("flask-limiter").setLevel(logging.WARNING)


def password_attempts() -> str:
    """The limit for one address, read per request from the app's LOGIN_RATE_LIMIT setting."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def access_code_attempts() -> str:
    """The limit for one address, read per request from the app's ACCESS_CODE_RATE_LIMIT setting."""
    return current_app.config["ACCESS_CODE_RATE_LIMIT"]


def no_access_code() -> bool:
    """Starting a survey without typing a code (an open link, Start again) is never limited."""
    return "code" not in request.form


def queued_survey_sends() -> str:
    """The limit for one address sending queued surveys, from QUEUED_SURVEY_RATE_LIMIT."""
    return current_app.config["QUEUED_SURVEY_RATE_LIMIT"]
