from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from flask_babel import format_timedelta
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from survey_app.coproduction import you_said
from survey_app.db import db_session
from survey_app.i18n import SOURCE_LANGUAGE, current_language
from survey_app.migrate import database_revisions
from survey_app.security import local_path
from survey_app.surveys.service import open_surveys

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    return render_template("public/home.html", surveys=[s.definition for s in open_surveys(db_session())])


@bp.get("/language")
def language():
    """Every language, each named in itself; a choice returns to the page the person came from."""
    return render_template("public/language.html", target=local_path(request.args.get("next"), "/"))


@bp.get("/help")
def get_help():
    return render_template("public/help.html")


@bp.get("/privacy")
def privacy():
    idle = format_timedelta(current_app.config["SHARED_DEVICE_IDLE"], threshold=1)
    return render_template("public/privacy.html", shared_idle=idle)


@bp.get("/healthz")
def healthz():
    """For load balancers and monitoring: 200 only when the database is reachable and migrated."""
    try:
        revisions = database_revisions(db_session().connection())
        database = "ok" if revisions == current_app.extensions["schema_heads"] else "needs insight db upgrade"
    except SQLAlchemyError:
        database = "unavailable"
    healthy = database == "ok"
    body = {
        "status": "ok" if healthy else "error",
        "app": "ok",
        "database": database,
        "database_backend": db_session().get_bind().dialect.name,
    }
    return jsonify(body), 200 if healthy else 503


@bp.get("/you-said-we-did/")
def you_said_we_did_index():
    return render_template("public/you_said_index.html", waves=you_said.public_waves(db_session()))


@bp.get("/you-said-we-did/<slug>/<wave_key>")
def you_said_we_did(slug: str, wave_key: str):
    page = you_said.you_said_we_did(db_session(), slug, wave_key, current_language(), SOURCE_LANGUAGE)
    if page is None:
        abort(404, description=_("There is no “You said, we did” page for that survey and wave yet."))
    return render_template("public/you_said.html", page=page)
