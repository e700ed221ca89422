"""URL rules for links that work without a signal (see offline.py): the survey in one page, the
service worker that keeps it on the device, and the door that completed surveys come in by."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from sqlalchemy import select

from survey_app.db import db_session, retry_if_connection_lost
from survey_app.i18n import with_language
from survey_app.limits import limiter, queued_survey_sends
from survey_app.models import Channel, Questionnaire
from survey_app.surveys.service import open_survey, survey_version

from . import devices, offline, service
from .forms import client_rules
from .routes import _now, _survey_or_404, bp

#: The files every offline page uses, kept by the service worker beside the pages.
ASSETS = ("site.css", "site.js", "offline.js")


@bp.get("/s/<slug>/offline")
@retry_if_connection_lost
def offline_page(slug: str):
    survey = _survey_or_404(slug)
    channel = offline.offline_channel(db_session(), slug, request.args.get("via"))
    if channel is None:
        abort(404, description=_("This link does not work without a signal. Use the link you were given."))
    definition = survey.definition
    rules = {key: rule for item in definition.items for key, rule in client_rules(slug, item).items()}
    idle = devices.idle_for(channel)
    return render_template(
        "taking/offline.html",
        survey=definition,
        version_id=survey.version_id,
        seal_key=offline.public_key(current_app.config["SECRET_KEY"]),
        channel=channel,
        rules=rules,
        queue_limit=offline.QUEUE_LIMIT,
        idle=int(idle.total_seconds()) if idle else None,
        idle_text=format_timedelta(idle, threshold=1) if idle else None,
    )


@bp.get("/offline-worker.js")
def offline_worker():
    """The service worker for one link, with the addresses it keeps (the link's page and the help
    page in every offered language, and the site's files) and where the site's files live. At the
    site's root, so that it can answer for the help page as well as the survey."""
    key = request.args.get("via")
    slug = db_session().scalar(
        select(Questionnaire.slug)
        .join(Channel, Channel.questionnaire_id == Questionnaire.id)
        .where(Channel.key == key, Channel.active, Channel.offline)
    )
    if not key or slug is None:
        abort(404)
    page = url_for("taking.offline_page", slug=slug, via=key)
    languages = current_app.config["LANGUAGES_OFFERED"]
    asset_url = current_app.jinja_env.globals["asset_url"]
    keep = (
        [with_language(page, code) for code in languages]
        + [with_language(url_for("public.get_help"), code) for code in languages]
        + [asset_url(name) for name in ASSETS]
    )
    script = Path(current_app.static_folder, "offline-worker.js").read_text(encoding="utf-8")
    static = url_for("static", filename="")
    return Response(
        f"const KEEP = {json.dumps(keep)};\nconst STATIC = {json.dumps(static)};\n{script}",
        mimetype="text/javascript",
    )


@bp.post("/s/<slug>/queued")
@limiter.limit(queued_survey_sends)
@retry_if_connection_lost
def receive_queued(slug: str):
    """A survey completed on a device, sent from its queue: 201 when stored, 200 when it was stored
    before, 4xx with {"error": ...} when it cannot be stored as it is (the device keeps it), 429
    when this address has sent too many (the device tries again later)."""
    if not request.is_json:
        return {"error": "send the survey as JSON, with Content-Type: application/json"}, 415
    try:
        sent = offline.parse(
            request.get_json(silent=True),
            current_app.config["LANGUAGES_OFFERED"],
            current_app.config["SECRET_KEY"],
        )
    except offline.SentRefused as refused:
        return {"error": str(refused)}, 400
    session = db_session()
    channel = offline.offline_channel(session, slug, sent.via)
    if channel is None:
        return {
            "error": _(
                "The link these answers were given through is closed or no longer works without a signal."
            )
        }, 404
    survey = survey_version(session, sent.version_id)
    if survey is None or survey.slug != slug or open_survey(session, slug) is None:
        return {"error": _("This survey has closed. Thank you for your interest.")}, 410
    try:
        stored = offline.store_sent(
            session,
            sent,
            survey.definition,
            channel,
            wave_id=service.current_wave_id(session, sent.version_id),
            now=_now(),
            secret=current_app.config["SECRET_KEY"],
            batch=current_app.config["RESPONSE_BATCH"],
        )
    except offline.SentRefused as refused:
        return {"error": str(refused)}, 422
    return {"stored": True}, 201 if stored else 200
