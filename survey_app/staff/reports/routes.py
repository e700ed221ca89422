"""The SNA "Community Insights" report: the page to choose a wave, and the downloads."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from survey_app.access import requires
from survey_app.db import db_session
from survey_app.reports.render import RendererUnavailable
from survey_app.reports.sna import FORMATS
from survey_app.results import AnalysisRefused

from ..routes import bp, download
from . import service

ROLES = ("admin", "analyst")


def _chosen(options):
    try:
        return service.chosen(options, request.args.get("wave") or None, request.args.get("compare") or None)
    except service.ReportRefused as refused:
        abort(400, description=str(refused))


@bp.get("/reports/sna")
@requires(*ROLES)
def sna_report():
    options = service.wave_options(db_session())
    wave, compare = _chosen(options)
    return render_template(
        "staff/sna_report.html", options=options, wave=wave, compare=compare, formats=FORMATS
    )


@bp.get("/reports/sna/community-insights.<fmt>")
@requires(*ROLES)
def sna_download(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    wave, compare = _chosen(service.wave_options(db_session()))
    if wave is None:
        abort(400, description=_("Choose the wave to report on the report page, then download it."))
    try:
        made = service.download(
            db_session(), current_user.id, wave.key, compare.key if compare else None, fmt
        )
    except (AnalysisRefused, RendererUnavailable) as error:
        abort(400, description=str(error))
    return download(made.data, made.mimetype, made.filename)
