"""URL rules for staff: parse, check the role, call a service, redirect."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from survey_app.db import db_session
from survey_app.limits import limiter
from survey_app.models import Questionnaire, QuestionnaireVersion, Response, StaffUser, Wave

from . import accounts
from .access import SignedIn, requires
from .forms import LoginForm

bp = Blueprint("staff", __name__, url_prefix="/staff")
STAFF = ("admin", "analyst", "safeguarding_lead")


def _local(target: str | None) -> str:
    """Only a path on this site, so the login page cannot send anyone elsewhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for(".home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per minute;30 per hour", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db_session(), form.email.data, form.password.data)
        if user is not None:
            session.clear()  # a fresh session at every login: nothing carried over from before
            login_user(SignedIn(user))
            session.permanent = True
            return redirect(_local(request.args.get("next")))
        form.password.errors.append(_("The email address or password is not right."))
    status = 422 if form.errors else 200
    return render_template("staff/login.html", form=form), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        accounts.record(db_session(), current_user.id, "logged out")
        db_session().commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."))
    return redirect(url_for(".login"))


@bp.post("/logout-everywhere")
@requires(*STAFF, "panel_member")
def logout_everywhere():
    accounts.end_all_sessions(db_session(), db_session().get(StaffUser, current_user.id))
    logout_user()
    session.clear()
    flash(_("You have logged out on every device."))
    return redirect(url_for(".login"))


@bp.get("/")
@requires(*STAFF)
def home():
    counts = dict(db_session().execute(
        select(QuestionnaireVersion.questionnaire_id, func.count(Response.id))
        .join(Response, Response.version_id == QuestionnaireVersion.id)
        .outerjoin(Wave, Wave.id == Response.wave_id)
        .where(func.coalesce(Wave.synthetic, False).is_(False))
        .group_by(QuestionnaireVersion.questionnaire_id)).all())
    questionnaires = db_session().scalars(select(Questionnaire).order_by(Questionnaire.slug)).all()
    return render_template("staff/home.html", questionnaires=questionnaires, counts=counts)
