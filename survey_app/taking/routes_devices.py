"""URL rules for shared devices (stop, hand over, still here) and for resume codes on personal
devices (save and finish later, carry on with a code)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from survey_app.db import db_session, retry_if_connection_lost
from survey_app.limits import access_code_attempts, limiter
from survey_app.links import public_url
from survey_app.surveys.service import survey_version

from . import devices, resume, service
from .routes import _draft_or_restart, _link_channel, _now, _set_token, _survey_or_404, _token, bp

bp.app_context_processor(devices.template_values)


@bp.post("/s/<slug>/hand-over")
@retry_if_connection_lost
def hand_over(slug: str):
    """ "Stop and clear my answers", "Finished: hand the device on", or the countdown running out."""
    return devices.hand_over(slug, idle=request.form.get("reason") == "idle")


@bp.get("/s/<slug>/next")
@retry_if_connection_lost
def handed_over(slug: str):
    survey = _survey_or_404(slug)
    return render_template("taking/hand_over.html", survey=survey.definition)


@bp.post("/s/<slug>/still-here")
@retry_if_connection_lost
def still_here(slug: str):
    """The countdown's note that someone is using the page: opening the draft keeps it longer.
    410 once the draft is gone, so the page moves on to the hand-over."""
    try:
        draft = service.open_draft(db_session(), _token(slug), _now())
    except service.DraftIdle:
        return devices.forget(current_app.make_response(("", 410)), idle=True)
    except (service.DraftGone, service.DraftExpired):
        draft = None
    return ("", 204) if draft is not None else ("", 410)


@bp.post("/s/<slug>/later")
@retry_if_connection_lost
def save_for_later(slug: str):
    """The page's "Save and finish later", after the page's answers are saved: a new code, shown
    in this reply only. The browser forgets the draft: the code is the way back, here too, so a
    phone left lying about does not open the answers."""
    draft, survey, restart = _draft_or_restart(slug)
    if restart:
        return restart
    try:
        code = resume.save_for_later(db_session(), draft)
    except resume.ResumeRefused:
        abort(400, description=_("Codes to carry on later are not used on a shared device."))
    except service.DraftGone:
        return redirect(url_for(".start", slug=slug))
    _set_token(slug, None)
    shown = resume.display_code(code)
    hours = max(1, int((draft.expires_at - _now()).total_seconds() // 3600))
    return render_template(
        "taking/later.html",
        survey=survey.definition,
        code=shown,
        hours=hours,
        link=public_url("taking.resume_form", slug=slug, code=shown),
    )


def _refuse_on_shared_device(slug: str) -> None:
    if devices.idle_for(_link_channel(slug)) is not None:
        abort(403, description=_("Codes to carry on later are not used on a shared device."))


@bp.get("/s/<slug>/resume")
@retry_if_connection_lost
def resume_form(slug: str):
    survey = _survey_or_404(slug)
    _refuse_on_shared_device(slug)
    return render_template(
        "taking/resume.html",
        survey=survey.definition,
        error=None,
        typed_code=request.args.get("code", "")[:40],
    )


@bp.post("/s/<slug>/resume")
@limiter.limit(access_code_attempts, methods=["POST"])
@retry_if_connection_lost
def resume_draft(slug: str):
    survey = _survey_or_404(slug)
    _refuse_on_shared_device(slug)
    draft = resume.find(db_session(), request.form.get("code"), _now())
    answered = survey_version(db_session(), draft.version_id) if draft is not None else None
    if answered is not None and answered.slug == slug:
        try:
            token = resume.take(db_session(), draft)
        except service.DraftGone:
            token = None
        if token is not None:
            service.discard_draft(db_session(), _token(slug))
            _set_token(slug, token)
            flash(_("Your answers are back. The code you used will not work again."))
            return redirect(url_for(".start", slug=slug))
    db_session().rollback()
    error = _(
        "That code is not right, or it has been used or is more than a day old. "
        "Check it, or start the survey again."
    )
    return render_template(
        "taking/resume.html",
        survey=survey.definition,
        error=error,
        typed_code=request.form.get("code", "")[:40],
    ), 422
