"""The SNA "Community Insights" report: the page to choose a wave, and the downloads. At 50,000
responses a report takes about as long as gunicorn lets one request run (30 seconds), so each is
made in the background as the slow exports are (``exports.prepared``): the request waits up to
``EXPORT_WAIT_SECONDS`` for it, then goes to a page that waits for it."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from survey_app.access import requires
from survey_app.db import db_session
from survey_app.reports.sna import FORMATS

from ..exports import prepared
from ..exports.routes import prepared_file, waiting_page
from ..routes import bp
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
    state = prepared.prepare(
        db_session(),
        current_user.id,
        None,
        f"{prepared.REPORT}{fmt}",
        wave.key,
        current_app.config["EXPORT_WAIT_SECONDS"],
        compare=compare.key if compare else None,
    )
    if state.status == "ready":
        return prepared_file(None, state.id)
    if state.status == "failed":
        abort(400, description=state.error)
    return redirect(url_for(".sna_prepared", prepared_id=state.id), 303)


@bp.get("/reports/sna/prepared/<int:prepared_id>")
@requires(*ROLES)
def sna_prepared(prepared_id: int):
    return waiting_page(
        None,
        prepared_id,
        (url_for(".sna_report"), _("Community Insights report")),
        url_for(".sna_prepared_download", prepared_id=prepared_id),
    )


@bp.get("/reports/sna/prepared/<int:prepared_id>/download")
@requires(*ROLES)
def sna_prepared_download(prepared_id: int):
    return prepared_file(None, prepared_id)
