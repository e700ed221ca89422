from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request
from sqlalchemy.exc import SQLAlchemyError

from survey_app.db import db_session
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
    return render_template("public/privacy.html")


@bp.get("/healthz")
def healthz():
    """For load balancers and monitoring: 200 only when the database is reachable and migrated."""
    try:
        revisions = database_revisions(db_session().connection())
        database = "ok" if revisions == current_app.extensions["schema_heads"] else "needs insight db upgrade"
    except SQLAlchemyError:
        database = "unavailable"
    healthy = database == "ok"
    body = {"status": "ok" if healthy else "error", "app": "ok", "database": database,
            "database_backend": db_session().get_bind().dialect.name}
    return jsonify(body), 200 if healthy else 503
