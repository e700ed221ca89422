"""URL rules for staff: parse, check the role, call a service, redirect."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask import (
    Response as Sent,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import func, select

from survey_app import accounts
from survey_app.access import log_in, requires
from survey_app.coproduction.panels import member_language
from survey_app.db import db_session
from survey_app.limits import limiter, password_attempts
from survey_app.models import Questionnaire, QuestionnaireVersion, Response, Wave
from survey_app.security import local_path

from . import surveys
from .forms import LoginForm, WaveForm

bp = Blueprint("staff", __name__, url_prefix="/staff")
STAFF = ("admin", "analyst", "safeguarding_lead")


def download(data: bytes, mimetype: str, filename: str) -> Sent:
    """``data`` sent whole as the file ``filename`` of type ``mimetype``."""
    sent = send_file(io.BytesIO(data), as_attachment=True, download_name=filename)
    # The whole type, charset included: given as ``mimetype``, Werkzeug adds a second charset.
    sent.content_type = mimetype
    return sent


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(password_attempts, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db_session(), form.email.data, form.password.data)
        if user is not None:
            log_in(user)
            home = url_for(".home")
            if user.role == "panel_member":
                home = url_for("panel.home", lang=member_language(db_session(), user.id))
            return redirect(local_path(request.args.get("next"), home))
        form.password.errors.append(_("The email address or password is not right."))
    status = 422 if form.errors else 200
    return render_template("staff/login.html", form=form), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        accounts.end_session(db_session(), current_user.session_id)
    logout_user()
    session.clear()
    flash(_("You have logged out."))
    return redirect(url_for(".login"))


@bp.post("/logout-everywhere")
@requires(*STAFF, "panel_member")
def logout_everywhere():
    accounts.end_all_sessions(db_session(), current_user.id)
    logout_user()
    session.clear()
    flash(_("You have logged out on every device."))
    return redirect(url_for(".login"))


@bp.get("/")
@requires(*STAFF)
def home():
    counts = dict(
        db_session()
        .execute(
            select(QuestionnaireVersion.questionnaire_id, func.count(Response.id))
            .join(Response, Response.version_id == QuestionnaireVersion.id)
            .outerjoin(Wave, Wave.id == Response.wave_id)
            .where(func.coalesce(Wave.synthetic, False).is_(False))
            .group_by(QuestionnaireVersion.questionnaire_id)
        )
        .all()
    )
    questionnaires = db_session().scalars(select(Questionnaire).order_by(Questionnaire.slug)).all()
    return render_template("staff/home.html", questionnaires=questionnaires, counts=counts)


def survey_or_404(slug: str):
    survey = surveys.questionnaire(db_session(), slug)
    if survey is None:
        abort(404)
    return survey


@bp.get("/surveys/<slug>")
@requires(*STAFF)
def survey(slug: str):
    found = survey_or_404(slug)
    return render_template(
        "staff/survey.html", survey=found, waves=surveys.waves(db_session(), found), form=WaveForm()
    )


@bp.post("/surveys/<slug>/status")
@requires("admin")
def survey_status(slug: str):
    found = survey_or_404(slug)
    surveys.set_open(
        db_session(),
        current_user.id,
        found,
        request.form.get("open") == "1",
        current_app.config["SECRET_KEY"],
    )
    flash(_("The survey is now open.") if found.is_open else _("The survey is now closed."))
    return redirect(url_for(".survey", slug=slug))


@bp.post("/surveys/<slug>/waves")
@requires("admin")
def add_wave(slug: str):
    found = survey_or_404(slug)
    form = WaveForm()
    if form.validate_on_submit():
        try:
            surveys.add_wave(
                db_session(), current_user.id, found, form.key.data, form.label.data, form.make_current.data
            )
        except surveys.SurveyChangeRefused as refused:
            form.key.errors.append(str(refused))
        else:
            flash(_("The wave was added."))
            return redirect(url_for(".survey", slug=slug))
    return render_template(
        "staff/survey.html", survey=found, waves=surveys.waves(db_session(), found), form=form
    ), 422


@bp.post("/surveys/<slug>/current-wave")
@requires("admin")
def current_wave(slug: str):
    found = survey_or_404(slug)
    try:
        surveys.set_current_wave(db_session(), current_user.id, found, request.form.get("wave") or None)
    except surveys.SurveyChangeRefused as refused:
        abort(400, description=str(refused))
    flash(_("New responses now join the chosen wave."))
    return redirect(url_for(".survey", slug=slug))
