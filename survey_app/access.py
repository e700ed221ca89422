"""Who may see what: Flask-Login sessions that "log out everywhere" can end, and role checks, for
the staff area and the panel area alike (panel members are accounts with their own role).

Every staff and panel route declares its roles with @requires(...): an anonymous visitor is sent to the
login page, a signed-in person without the role gets 403.
"""

from __future__ import annotations

import functools

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user

from survey_app.db import db_session
from survey_app.models import StaffUser

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = _l("Log in to use the staff area.")


class SignedIn(UserMixin):
    """The session's view of an account: its id and the epoch the session was started in."""

    def __init__(self, user: StaffUser):
        self.id = user.id
        self.email = user.email
        self.role = user.role
        self.epoch = user.session_epoch

    def get_id(self) -> str:
        return f"{self.id}:{self.epoch}"


@login_manager.user_loader
def _load(session_id: str) -> SignedIn | None:
    user_id, _, epoch = session_id.partition(":")
    if not (user_id.isdigit() and epoch.isdigit()):
        return None
    user = db_session().get(StaffUser, int(user_id))
    if user is None or not user.active or user.session_epoch != int(epoch):
        return None
    return SignedIn(user)


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
