"""The dashboard: activity counters and filtered figures for one survey, in one bookmarkable GET."""

from __future__ import annotations

from flask import abort, current_app, render_template, request

from survey_app.access import requires
from survey_app.db import db_session
from survey_app.responses.waiting import waiting_for
from survey_app.results import AnalysisRefused

from ..routes import STAFF, bp, survey_or_404
from . import service as dashboard


@bp.get("/surveys/<slug>/dashboard", endpoint="dashboard")
@requires(*STAFF)
def dashboard_page(slug: str):
    survey = survey_or_404(slug)
    session = db_session()
    try:
        source = dashboard.load(session, survey, dashboard.secret(current_app))
    except AnalysisRefused as refused:
        abort(409, description=str(refused))
    names = {code: entry["name"] for code, entry in current_app.config["LANGUAGES"].items()}
    offered = dashboard.choices(session, source, names)
    filters, ignored = dashboard.parse(request.args, source, offered)
    return render_template(
        "staff/dashboard.html",
        survey=survey,
        offered=offered,
        filters=filters,
        ignored=ignored,
        answers=dashboard.answers(source.merged, filters.question) if filters.question else (),
        counters=dashboard.counters(session, source, filters),
        flagged=dashboard.flagged_by_kind(session, source, filters),
        figures=dashboard.figures(session, source, filters, offered),
        rules=dashboard.RULES,
        synthetic=filters.wave in offered.synthetic_waves,
        waiting=waiting_for(
            session, current_app.config["SECRET_KEY"], [version.id for version in survey.versions]
        ),
        batch=current_app.config["RESPONSE_BATCH"],
    )
