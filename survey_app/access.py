"""Who may see what: Flask-Login sessions that end on the server at log out, and role checks, for
the staff area and the panel area alike (panel members are accounts with their own role).

Every staff and panel route declares its roles with @requires(...): an anonymous visitor is sent to the
login page, a signed-in person without the role gets 403.
"""

from __future__ import annotations

import functools

from flask import Flask, abort, current_app, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user, login_user

from survey_app import accounts
from survey_app.db import db_session
from survey_app.models import StaffUser

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = _l("Log in to use the staff area.")


class SignedIn(UserMixin):
    """The session's view of an account: its id, role and the id of the live session."""

    def __init__(self, user: StaffUser, session_id: str):
        self.id = user.id
        self.email = user.email
        self.role = user.role
        self.session_id = session_id

    def get_id(self) -> str:
        return self.session_id


def log_in(user: StaffUser) -> None:
    """Start a fresh session for `user`, nothing carried over from before, live on the server."""
    session.clear()
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    login_user(SignedIn(user, accounts.start_session(db_session(), user, lifetime)))
    session.permanent = True


@login_manager.user_loader
def _load(session_id: str) -> SignedIn | None:
    user = accounts.session_user(db_session(), session_id, current_app.config["PERMANENT_SESSION_LIFETIME"])
    return SignedIn(user, session_id) if user is not None else None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)


def requires(*roles: str):
    def decorate(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        guarded.roles = roles
        return guarded

    return decorate
