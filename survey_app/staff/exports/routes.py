"""Exports for analysts: the page that explains them, and the downloads themselves.

The CSV is sent while it is written, up to ``STREAMED_ROWS`` responses. The other files, and the
CSV of a larger wave, can take longer to make than a web worker may spend on one request (gunicorn
ends a worker silent for 30 seconds, and a worker sending a file is silent), so they are made in
the background (``prepared``): a request waits a little for its file, and when it is not ready by
then, it is sent to a page that waits for it.
"""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from survey_app.access import requires
from survey_app.db import db_session

from ..routes import bp, download, survey_or_404
from . import prepared, service

#: The most responses a CSV is sent for while it is written: 50,000 take about 10 seconds on two
#: shared cores, a third of gunicorn's limit on one request (``benchmarks/scale.py``).
STREAMED_ROWS = 100_000


def _wave_or_400(found, waves) -> service.WaveChoice:
    try:
        return service.chosen_wave(found, waves, request.args.get("wave"))
    except service.UnknownWave as unknown:
        abort(400, description=str(unknown))


def _refused(make):
    try:
        return make()
    except service.UnknownWave as unknown:
        abort(400, description=str(unknown))
    except service.NothingToExport as nothing:
        abort(404, description=str(nothing))
    except service.ExportRefused as refused:
        abort(409, description=str(refused))


def _file(export: service.Export):
    return download(b"".join(export.chunks), export.mimetype, export.filename)


def _prepare(found, kind: str):
    """The file ``kind`` if it is made within ``EXPORT_WAIT_SECONDS``, else the page that waits for it."""
    state = _refused(
        lambda: prepared.prepare(
            db_session(),
            current_user.id,
            found,
            kind,
            request.args.get("wave"),
            current_app.config["EXPORT_WAIT_SECONDS"],
        )
    )
    if state.status == "ready":
        return prepared_file(found, state.id)
    if state.status == "failed":
        abort(409, description=state.error)
    return redirect(url_for(".prepared_export", slug=found.slug, prepared_id=state.id), 303)


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
    if (
        fmt != "csv"
        or _wave_or_400(found, service.wave_choices(db_session(), found)).responses > STREAMED_ROWS
    ):
        return _prepare(found, f"responses.{fmt}")
    export = _refused(
        lambda: service.export_responses(db_session(), current_user.id, found, request.args.get("wave"), fmt)
    )
    streamed = Response(stream_with_context(export.chunks), content_type=export.mimetype)
    streamed.headers.set("Content-Disposition", "attachment", filename=export.filename)
    return streamed


@bp.get("/surveys/<slug>/exports/tables.xlsx")
@requires("analyst")
def export_tables(slug: str):
    return _prepare(survey_or_404(slug), "tables.xlsx")


def prepared_file(survey, prepared_id: int):
    """The file made in the background for this account (``survey`` None: the SNA report), or 404."""
    export = prepared.prepared_file(db_session(), current_user.id, survey, prepared_id)
    if export is None:
        abort(404)
    return _file(export)


def waiting_page(survey, prepared_id: int, back: tuple[str, str], file_url: str) -> str:
    """The page that waits for a file made in the background for this account, with a link
    ``back`` (address, words) to where it was asked for, then to the file; 404 if there is none."""
    state = prepared.prepared(db_session(), current_user.id, survey, prepared_id)
    if state is None:
        abort(404)
    return render_template("staff/export_prepared.html", prepared=state, back=back, file_url=file_url)


@bp.get("/surveys/<slug>/exports/prepared/<int:prepared_id>")
@requires("analyst")
def prepared_export(slug: str, prepared_id: int):
    found = survey_or_404(slug)
    return waiting_page(
        found,
        prepared_id,
        (url_for(".exports", slug=found.slug), _("Exports of %(survey)s", survey=found.slug)),
        url_for(".prepared_download", slug=found.slug, prepared_id=prepared_id),
    )


@bp.get("/surveys/<slug>/exports/prepared/<int:prepared_id>/download")
@requires("analyst")
def prepared_download(slug: str, prepared_id: int):
    return prepared_file(survey_or_404(slug), prepared_id)
