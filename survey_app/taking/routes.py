"""URL rules for respondents: parse, validate, call the service, redirect."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError

from survey_app.db import db_session, retry_if_connection_lost
from survey_app.i18n import current_language
from survey_app.limits import access_code_attempts, limiter, no_access_code
from survey_app.responses.read import stored_response
from survey_app.surveys.channels import CodeRefused, describe_channel, link_channel, use_code
from survey_app.surveys.service import SurveyVersion, open_survey, survey_version

from . import devices, markup, service
from .forms import page_form

bp = Blueprint("taking", __name__)
bp.add_app_template_global(markup.question)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _survey_or_404(slug: str) -> SurveyVersion:
    survey = open_survey(db_session(), slug)
    if survey is None:
        abort(
            404,
            description=_(
                "There is no open survey at this address. It may have closed, or the link may be mistyped."
            ),
        )
    return survey


def _token(slug: str) -> str | None:
    return session.get("drafts", {}).get(slug)


def _set_token(slug: str, token: str | None) -> None:
    drafts = dict(session.get("drafts", {}))
    if token is None:
        drafts.pop(slug, None)
    else:
        drafts[slug] = token
    session["drafts"] = drafts
    session.permanent = True


def _draft_or_restart(slug: str):
    """The respondent's draft and its version, or the page to show instead: the survey's first
    page, or the thank-you page when another request (a second press of Send) sent the draft."""
    try:
        draft = service.open_draft(db_session(), _token(slug), _now())
    except service.DraftGone:
        return None, None, _already_sent(slug, _survey_or_404(slug).definition)
    except service.DraftIdle:
        return None, None, devices.hand_over(slug, idle=True)
    except service.DraftExpired:
        flash(_("Your earlier answers were cleared after 24 hours. You can start again."))
        draft = None
    if draft is None:
        if _token(slug):
            _set_token(slug, None)
        return None, None, redirect(url_for(".start", slug=slug))
    devices.note_draft(draft)
    survey = survey_version(db_session(), draft.version_id)
    if survey is None or survey.slug != slug or not draft.survey_open:
        abort(404, description=_("This survey has closed. Thank you for your interest."))
    return draft, survey, None


def _link_channel(slug: str):
    """The channel of the distribution link this browser arrived by, until its draft starts.

    It is kept in the session (only the link's key) so that switching language keeps it."""
    return link_channel(db_session(), slug, session.get("via", {}).get(slug))


def _render_start(survey: SurveyVersion, code_error: str | None = None):
    draft = service.find_draft(db_session(), _token(survey.slug), _now())
    channel = _link_channel(survey.slug)
    asks_code = draft is None and channel is not None and channel.requires_code
    progress = service.progress(survey.definition, draft) if draft is not None else None
    # A link that works without a signal: with JavaScript, offline.js takes the survey over there.
    offline_link = channel is not None and channel.offline and not channel.requires_code and draft is None
    return render_template(
        "taking/start.html",
        survey=survey.definition,
        progress=progress,
        asks_code=asks_code,
        code_error=code_error,
        via_link=channel is not None,
        offline_link=channel.key if offline_link else None,
        typed_code=request.form.get("code", ""),
    ), 422 if code_error else 200


@bp.get("/s/<slug>/")
@retry_if_connection_lost
def start(slug: str):
    survey = _survey_or_404(slug)
    key = request.args.get("via")
    if key and link_channel(db_session(), slug, key) is not None:
        session["via"] = {**session.get("via", {}), slug: key}
    channel = _link_channel(slug)
    devices.note_link(channel)
    return devices.fresh_start(slug, _token(slug), channel, _now()) or _render_start(survey)


CODE_ERRORS = {
    "missing": lambda: _("Enter the access code you were given."),
    # Unknown and used codes get one answer, so trying codes tells nobody which ones exist.
    "refused": lambda: _("That access code is not right. Check it with the person who gave it to you."),
}


@bp.post("/s/<slug>/start")
@limiter.limit(access_code_attempts, methods=["POST"], exempt_when=no_access_code)
@retry_if_connection_lost
def begin(slug: str):
    survey = _survey_or_404(slug)
    if request.form.get("restart") or service.find_draft(db_session(), _token(slug), _now()) is None:
        channel = _link_channel(slug)
        if channel is not None and channel.requires_code:
            try:
                use_code(db_session(), channel, request.form.get("code"))
            except CodeRefused as refused:
                db_session().rollback()
                return _render_start(survey, CODE_ERRORS[refused.reason]())
            # Spent in a transaction of its own, before the draft exists: no row or transaction
            # ever holds the code beside the draft.
            db_session().commit()
        service.discard_draft(db_session(), _token(slug))
        token = service.start_draft(
            db_session(),
            survey.version_id,
            current_app.config["DRAFT_LIFETIME"],
            _now(),
            channel_id=channel.id if channel else None,
            idle=devices.idle_for(channel),
        )
        _set_token(slug, token)
        session["via"] = {key: value for key, value in session.get("via", {}).items() if key != slug}
        devices.keep_link(slug, channel)
    return _carry_on(slug)


def _carry_on(slug: str):
    """To the first page not yet done, or to "Check your answers" once every page is."""
    draft, survey, restart = _draft_or_restart(slug)
    if restart:
        return restart
    resume = service.progress(survey.definition, draft).resume
    return redirect(url_for(".page", slug=slug, step=resume) if resume else url_for(".check", slug=slug))


@bp.get("/s/<slug>/start-again")
@retry_if_connection_lost
def start_again(slug: str):
    """Asks before answers are thrown away; the confirming form posts to `begin` with `restart`."""
    survey = _survey_or_404(slug)
    if service.find_draft(db_session(), _token(slug), _now()) is None:
        return redirect(url_for(".start", slug=slug))
    return render_template("taking/start_again.html", survey=survey.definition)


@bp.route("/s/<slug>/<int:step>", methods=["GET", "POST"])
@retry_if_connection_lost
def page(slug: str, step: int):
    draft, survey, restart = _draft_or_restart(slug)
    if restart:
        return restart
    definition = survey.definition
    # Reached from "Check your answers": Continue and Back return there.
    changing = request.args.get("change") == "1"
    pages = definition.visible_pages(service.applicable_answers(definition, draft.answers))
    if not 1 <= step <= len(pages):
        return redirect(url_for(".page", slug=slug, step=min(max(step, 1), len(pages))))
    current = pages[step - 1]
    shown = service.shown_items(current, draft.answers)
    posting = request.method == "POST"
    # Shown with nothing answered, every question on the page is blank: no form is needed to say so.
    answered = any(key in draft.answers for item in shown for key in item.answer_keys)
    form = (
        page_form(slug, shown, draft.answers, formdata=request.form if posting else None)
        if posting or answered
        else None
    )
    errors: dict[str, list[str]] = {}
    if posting:
        valid, errors = service.checked_page(current, form, draft.answers)
        action = request.form.get("action")
        if action == "language":
            # The new language came in the button's ?lang=; what was typed is kept, and nothing is
            # checked, as the respondent has not asked to move on.
            service.save_page(db_session(), draft, current, valid, now=_now())
            if not any(_typed(form[key]) for key in errors):
                return redirect(url_for(".page", slug=slug, step=step, change=1 if changing else None))
            # Something typed cannot be kept in the draft until it is valid: show it back as typed.
            errors = {}
        elif action in ("back", "later") or not errors:
            going_back = action in ("back", "later")
            service.save_page(db_session(), draft, current, valid, completed=not going_back, now=_now())
            if action == "later":
                # The same form, posted on to the page that gives the code in its reply.
                return redirect(url_for(".save_for_later", slug=slug), 307)
            if changing and (not going_back or step == 1):
                return redirect(url_for(".check", slug=slug))
            if going_back:
                return redirect(
                    url_for(".page", slug=slug, step=step - 1, change=1 if changing else None)
                    if step > 1
                    else url_for(".start", slug=slug)
                )
            return _next(slug, draft, survey, current)
    return markup.page(
        definition, current, shown, form, errors, step=step, steps=len(pages), changing=changing
    ), 422 if errors else 200


def _typed(field) -> bool:
    """Something was entered in this field (an invalid entry, when it has errors)."""
    return any(str(value).strip() for value in field.raw_data or ())


def _next(slug: str, draft, survey: SurveyVersion, current):
    """After a page is saved: the next page that applies, or "Check your answers" after the last one."""
    pages = survey.definition.visible_pages(service.applicable_answers(survey.definition, draft.answers))
    position = next(n for n, p in enumerate(pages, 1) if p.id == current.id)
    if position < len(pages):
        return redirect(url_for(".page", slug=slug, step=position + 1))
    return redirect(url_for(".check", slug=slug))


@bp.get("/s/<slug>/check")
@retry_if_connection_lost
def check(slug: str):
    """Every answer by page, each with a way to change it; answers are sent from here."""
    draft, survey, restart = _draft_or_restart(slug)
    if restart:
        return restart
    definition = survey.definition
    resume = service.progress(definition, draft).resume
    if resume:
        # A page not done yet (a changed answer can make one apply): answer it, then come back here.
        return redirect(url_for(".page", slug=slug, step=resume, change=1))
    return render_template(
        "taking/check.html", survey=definition, summary=service.summary(definition, draft.answers)
    )


@bp.post("/s/<slug>/send")
@retry_if_connection_lost
def send(slug: str):
    draft, survey, restart = _draft_or_restart(slug)
    if restart:
        return restart
    # Sent from a check page left open while a page became due (in another tab, say): that page first.
    if service.progress(survey.definition, draft).resume:
        return redirect(url_for(".check", slug=slug))
    return _finish(slug, draft, survey)


def _finish(slug: str, draft, survey: SurveyVersion):
    definition = survey.definition
    try:
        rows = service.submit(
            db_session(),
            draft,
            definition,
            current_language(),
            _now(),
            secret=current_app.config["SECRET_KEY"],
            batch=current_app.config["RESPONSE_BATCH"],
        )
    except service.DraftGone:
        return _already_sent(slug, definition)
    except service.SubmissionRefused:
        abort(
            400,
            description=_(
                "Your answers could not be saved because one of them is not valid "
                "for this survey. Nothing was stored. Start again from the first page."
            ),
        )
    _set_token(slug, None)
    devices.sent()
    try:
        service.count_submission(db_session(), draft, _now())
        stored = stored_response(db_session(), rows, definition)
    except DBAPIError:
        # The response is committed; only the connection was lost after. Say it was sent.
        current_app.logger.warning("database connection lost after a response was stored")
        return _already_sent(slug, definition)
    # Shown in reply to the POST rather than after a redirect, so the response's id never has to be
    # kept in the browser's cookie, even for a moment.
    channel = describe_channel(stored.channel_type, stored.channel_area) if stored.channel_type else None
    return render_template("taking/thanks.html", survey=definition, stored=stored, channel=channel)


def _already_sent(slug: str, definition):
    """The thank-you page, without "what we stored", for a draft another request has just sent."""
    _set_token(slug, None)
    return render_template("taking/thanks.html", survey=definition, stored=None)


@bp.get("/s/<slug>/send")
def reload_sent(slug: str):
    """The thank-you page is the reply to sending; where it was written in place by the page's script
    its address is this one, so reloading it asks for this: the thank-you page, without the answers."""
    _survey_or_404(slug)
    return redirect(url_for(".done", slug=slug))


@bp.get("/s/<slug>/done")
@retry_if_connection_lost
def done(slug: str):
    survey = _survey_or_404(slug)
    return render_template("taking/thanks.html", survey=survey.definition, stored=None)


@bp.post("/exit")
@retry_if_connection_lost
def quick_exit():
    """Called by the quick-exit script as it leaves: forget this browser's drafts and cookie."""
    for token in session.get("drafts", {}).values():
        service.discard_draft(db_session(), token)
    session.clear()
    return devices.without_language(current_app.make_response(("", 204)))
