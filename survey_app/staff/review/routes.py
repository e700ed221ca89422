"""Free-text review: analysts code answers and compare their coding; the safeguarding queue."""

from __future__ import annotations

import uuid
from typing import NoReturn

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from survey_app.access import requires
from survey_app.db import db_session
from survey_app.security import local_path

from ..routes import bp, survey_or_404
from . import coding, safeguarding
from .forms import OUTCOME_LABELS, SafeguardingForm


def _unknown_filter() -> NoReturn:
    abort(
        400, description=_("This survey has no such question or wave. Choose one from the lists on the page.")
    )


@bp.get("/surveys/<slug>/answers")
@requires("analyst")
def answers(slug: str):
    found = survey_or_404(slug)
    try:
        chosen = coding.filters(
            db_session(),
            found,
            request.args.get("question"),
            request.args.get("wave"),
            request.args.get("uncoded") == "1",
            request.args.get("page", 1, type=int),
        )
    except coding.UnknownFilter:
        _unknown_filter()

    def page_url(page: int) -> str:
        return url_for(
            ".answers",
            slug=slug,
            question=chosen.question.key,
            wave=chosen.wave,
            uncoded="1" if chosen.uncoded_only else None,
            page=page,
        )

    result = coding.answer_page(db_session(), found, current_user.id, chosen)
    if chosen.page > result.pages:
        return redirect(page_url(result.pages))
    themes = coding.codebook().themes
    return render_template(
        "staff/answers.html",
        survey=found,
        chosen=chosen,
        result=result,
        questions=coding.text_questions(found),
        waves=coding.waves(db_session(), found),
        themes=themes,
        theme_labels={theme.id: theme.label for theme in themes},
        page_url=page_url,
        here=page_url(chosen.page),
        per_page=coding.PER_PAGE,
        all_real=coding.ALL_REAL,
        min_examples=coding.MIN_POSITIVES,
    )


@bp.post("/surveys/<slug>/answers/<uuid:response_id>/<int:item_id>")
@requires("analyst")
def code_answer(slug: str, response_id: uuid.UUID, item_id: int):
    found = survey_or_404(slug)
    quote = request.form.get("quote") == "1"
    try:
        saved = coding.code_answer(
            db_session(), current_user.id, found, response_id, item_id, request.form.getlist("theme"), quote
        )
    except coding.AnswerNotFound:
        abort(404)
    except coding.UnknownTheme as unknown:
        abort(
            400,
            description=_(
                "“%(theme)s” is not a theme in the codebook. Reload the page and tick themes from its list.",
                theme=unknown.theme[:60],
            ),
        )
    except coding.QuoteRefused:
        abort(
            422,
            description=_(
                "This answer is flagged for safeguarding, so it cannot be published as a "
                "quote. Go back, untick “Publishable quote” and save again."
            ),
        )
    messages = [_("Your coding was saved.")]
    if quote:
        messages.append(_("The answer is marked as a publishable quote."))
    if request.accept_mimetypes.best == "application/json":
        # coding.js saves without reloading the page and shows this inside the answer's box.
        labels = {theme.id: theme.label for theme in coding.codebook().themes}
        return jsonify(message=" ".join(messages), themes=[labels[theme] for theme in saved])
    for message in messages:
        flash(message)
    back = local_path(request.form.get("next"), url_for(".answers", slug=slug)).split("#")[0]
    return redirect(f"{back}#{coding.anchor(response_id, item_id)}")


@bp.get("/surveys/<slug>/agreement")
@requires("analyst")
def agreement(slug: str):
    found = survey_or_404(slug)
    try:
        wave, synthetic = coding.wave_filter(db_session(), found, request.args.get("wave"))
    except coding.UnknownFilter:
        _unknown_filter()
    return render_template(
        "staff/agreement.html",
        survey=found,
        wave=wave,
        synthetic=synthetic,
        waves=coding.waves(db_session(), found),
        questions=coding.agreement(db_session(), found, wave),
        all_real=coding.ALL_REAL,
        discuss_below=coding.DISCUSS_BELOW,
    )


def _queue_page(
    groups: list[tuple[str, list[safeguarding.FlaggedAnswer]]],
    form: SafeguardingForm,
    failed: str | None = None,
):
    entries = [entry for _kind, group in groups for entry in group]
    return render_template(
        "staff/safeguarding.html",
        groups=groups,
        entries=entries,
        form=form,
        failed=failed,
        outcome_labels=OUTCOME_LABELS,
        harm_labels=safeguarding.HARM_LABELS,
    )


@bp.get("/safeguarding", endpoint="safeguarding")
@requires("safeguarding_lead")
def safeguarding_queue():
    return _queue_page(safeguarding.queue(db_session()), SafeguardingForm())


@bp.post("/safeguarding/<uuid:response_id>/<int:item_id>")
@requires("safeguarding_lead")
def record_safeguarding(response_id: uuid.UUID, item_id: int):
    form = SafeguardingForm()
    anchor = safeguarding.anchor(response_id, item_id)
    if not form.validate_on_submit():
        groups = safeguarding.queue(db_session())
        if not any(entry.anchor == anchor for _kind, group in groups for entry in group):
            abort(404)
        return _queue_page(groups, form, failed=anchor), 422
    try:
        safeguarding.record_action(
            db_session(), current_user.id, response_id, item_id, form.outcome.data, form.action.data
        )
    except safeguarding.NotFlagged:
        abort(404)
    flash(_("What was done is recorded."))
    return redirect(f"{url_for('.safeguarding')}#{anchor}")
