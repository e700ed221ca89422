"""Exports for analysts: the page that explains them, and the downloads themselves."""

from __future__ import annotations

import io

from flask import abort, render_template, request, send_file
from flask_login import current_user

from survey_app.access import requires
from survey_app.db import db_session

from . import exports as service
from .routes import bp, survey_or_404


def _wave_or_400(found, waves) -> service.WaveChoice:
    try:
        return service.chosen_wave(found, waves, request.args.get("wave"))
    except service.UnknownWave as unknown:
        abort(400, description=str(unknown))


def _download(make):
    try:
        export = make()
    except service.UnknownWave as unknown:
        abort(400, description=str(unknown))
    except service.NothingToExport as nothing:
        abort(404, description=str(nothing))
    except service.ExportRefused as refused:
        abort(409, description=str(refused))
    return send_file(
        io.BytesIO(export.data), mimetype=export.mimetype, as_attachment=True, download_name=export.filename
    )


@bp.get("/surveys/<slug>/exports")
@requires("analyst")
def exports(slug: str):
    found = survey_or_404(slug)
    waves = service.wave_choices(db_session(), found)
    return render_template("staff/exports.html", survey=found, waves=waves, chosen=_wave_or_400(found, waves))


@bp.get("/surveys/<slug>/exports/responses.<fmt>")
@requires("analyst")
def export_responses(slug: str, fmt: str):
    found = survey_or_404(slug)
    if fmt not in service.FORMATS:
        abort(404)
    return _download(
        lambda: service.export_responses(db_session(), current_user.id, found, request.args.get("wave"), fmt)
    )


@bp.get("/surveys/<slug>/exports/tables.xlsx")
@requires("analyst")
def export_tables(slug: str):
    found = survey_or_404(slug)
    return _download(
        lambda: service.export_tables(db_session(), current_user.id, found, request.args.get("wave"))
    )
