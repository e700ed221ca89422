"""Co-production panels for staff: panels and invitation links, review rounds and their results,
codebook decisions, and the "we did" entries for the public page."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from survey_app.access import requires
from survey_app.accounts import now
from survey_app.coproduction import panels as panel_service
from survey_app.coproduction import rounds, you_said
from survey_app.db import db_session
from survey_app.i18n import SOURCE_LANGUAGE
from survey_app.links import public_url
from survey_app.models import Panel, Questionnaire, ReviewRound, Wave, WaveAction
from survey_app.themes import effective_labels

from ..routes import bp, survey_or_404
from .forms import (
    DECISION_KINDS,
    DecisionForm,
    InviteForm,
    PanelForm,
    RoundForm,
    WaveActionForm,
    pick,
    translation_field,
    translation_form,
)


def _render_panels(form: PanelForm, status: int = 200):
    return render_template(
        "staff/panels.html", rows=panel_service.panel_rows(db_session()), form=form
    ), status


@bp.get("/panels")
@requires("admin")
def panels():
    return _render_panels(PanelForm())


@bp.post("/panels")
@requires("admin")
def add_panel():
    form = PanelForm()
    if form.validate_on_submit():
        try:
            panel = panel_service.create_panel(db_session(), current_user.id, form.name.data)
        except panel_service.PanelRefused as refused:
            form.name.errors.append(str(refused))
        else:
            flash(_("The panel “%(name)s” was created.", name=panel.name))
            return redirect(url_for(".panel", panel_id=panel.id))
    return _render_panels(form, 422)


def _panel_or_404(panel_id: int) -> Panel:
    panel = db_session().get(Panel, panel_id)
    if panel is None:
        abort(404, description=_("There is no such panel."))
    return panel


def _wave_choices() -> list[tuple[str, str]]:
    rows = (
        db_session()
        .execute(
            select(Questionnaire.slug, Wave.key, Wave.label, Wave.synthetic)
            .join(Wave, Wave.questionnaire_id == Questionnaire.id)
            .order_by(Questionnaire.slug, Wave.synthetic, Wave.id.desc())
        )
        .all()
    )
    return [
        (f"{slug}/{key}", f"{slug}: {_('Demo data (synthetic)') if synthetic else label}")
        for slug, key, label, synthetic in rows
    ]


def _render_panel(
    panel: Panel, invite_form=None, round_form=None, new_link: str | None = None, status: int = 200
):
    round_form = round_form or RoundForm()
    round_form.wave.choices = pick(_wave_choices())
    session = db_session()
    surveys = dict(session.execute(select(Questionnaire.id, Questionnaire.slug)).all())
    listed = rounds.rounds_of(session, [panel.id])
    return render_template(
        "staff/panel.html",
        panel=panel,
        members=panel_service.members(session, panel.id),
        invites=panel_service.invites(session, panel.id),
        rounds=listed,
        waves=rounds.round_waves(session, listed),
        surveys=surveys,
        invite_form=invite_form or InviteForm(),
        round_form=round_form,
        new_link=new_link,
        now=now(),
    ), status


@bp.get("/panels/<int:panel_id>")
@requires("admin")
def panel(panel_id: int):
    return _render_panel(_panel_or_404(panel_id))


@bp.post("/panels/<int:panel_id>/invites")
@requires("admin")
def add_invite(panel_id: int):
    found = _panel_or_404(panel_id)
    form = InviteForm()
    if not form.validate_on_submit():
        return _render_panel(found, invite_form=form, status=422)
    token = panel_service.create_invite(db_session(), current_user.id, found, form.note.data or "")
    # Shown on this response only: the database keeps just the token's hash.
    link = public_url("panel.join", token=token)
    return _render_panel(found, new_link=link)


@bp.post("/panels/<int:panel_id>/rounds")
@requires("admin")
def add_round(panel_id: int):
    found = _panel_or_404(panel_id)
    form = RoundForm()
    form.wave.choices = pick(_wave_choices())
    if form.validate_on_submit():
        slug, _sep, wave_key = form.wave.data.partition("/")
        try:
            review = rounds.create_round(
                db_session(), current_user.id, found.id, survey_or_404(slug), wave_key, form.votes.data
            )
        except rounds.RoundRefused as refused:
            form.wave.errors.append(str(refused))
        else:
            flash(_("The review round is open: panel members can see it now."))
            return redirect(url_for(".round", round_id=review.id))
    return _render_panel(found, round_form=form, status=422)


def _round_or_404(round_id: int) -> ReviewRound:
    review = db_session().get(ReviewRound, round_id)
    if review is None:
        abort(404, description=_("There is no such review round."))
    return review


def _render_round(review: ReviewRound, form: DecisionForm | None = None, status: int = 200):
    session = db_session()
    labels = effective_labels(session)
    form = form or DecisionForm()
    form.theme.choices = pick([("", _("Choose a theme")), *labels.items()])
    form.into.choices = pick([("", _("Choose a theme")), *labels.items()])
    survey = session.get(Questionnaire, review.questionnaire_id)
    return render_template(
        "staff/round.html",
        review=review,
        wave=rounds.round_waves(session, [review])[review.id],
        panel=session.get(Panel, review.panel_id),
        survey=survey,
        results=rounds.round_results(session, review),
        proposals=rounds.proposals(session, review.id),
        decisions=rounds.decisions(session, review.id),
        labels=labels,
        form=form,
        decision_kinds=DECISION_KINDS,
    ), status


@bp.get("/rounds/<int:round_id>")
@requires("admin", "analyst")
def round(round_id: int):
    return _render_round(_round_or_404(round_id))


@bp.post("/rounds/<int:round_id>/decisions")
@requires("admin", "analyst")
def record_decision(round_id: int):
    review = _round_or_404(round_id)
    form = DecisionForm()
    form.theme.choices = form.into.choices = pick([("", ""), *effective_labels(db_session()).items()])
    if form.validate_on_submit():
        kind = form.kind.data
        value = form.into.data if kind == "merge" else form.name.data
        try:
            rounds.record_decision(
                db_session(),
                current_user.id,
                review,
                kind,
                form.theme.data or "",
                value or "",
                form.reason.data,
            )
        except rounds.RoundRefused as refused:
            form.kind.errors.append(str(refused))
        else:
            flash(_("The decision was recorded in the codebook’s history."))
            return redirect(url_for(".round", round_id=review.id, _anchor="decisions"))
    return _render_round(review, form, 422)


@bp.post("/rounds/<int:round_id>/close")
@requires("admin", "analyst")
def close_round(round_id: int):
    review = _round_or_404(round_id)
    try:
        rounds.close_round(db_session(), current_user.id, review)
    except rounds.RoundClosed:
        abort(400, description=_("This round is already closed."))
    flash(_("The round is closed: members can still read it but not change it."))
    return redirect(url_for(".round", round_id=review.id))


def _action_choices(form: WaveActionForm, survey: Questionnaire) -> dict[str, Wave]:
    """Fill the form's wave and theme lists; the survey's waves by key."""
    session = db_session()
    waves = session.scalars(
        select(Wave).where(Wave.questionnaire_id == survey.id).order_by(Wave.synthetic, Wave.id.desc())
    ).all()
    form.wave.choices = pick([(w.key, w.label) for w in waves])
    form.theme.choices = pick([("", _("No particular theme")), *effective_labels(session).items()])
    return {w.key: w for w in waves}


def _render_actions(survey: Questionnaire, form: WaveActionForm | None = None, status: int = 200):
    session = db_session()
    form = form or WaveActionForm()
    waves = _action_choices(form, survey)
    return render_template(
        "staff/wave_actions.html",
        survey=survey,
        actions=you_said.wave_actions(session, survey),
        waves=waves,
        labels=effective_labels(session),
        form=form,
    ), status


@bp.get("/surveys/<slug>/actions")
@requires("admin", "analyst")
def wave_actions(slug: str):
    return _render_actions(survey_or_404(slug))


@bp.post("/surveys/<slug>/actions")
@requires("admin", "analyst")
def add_wave_action(slug: str):
    survey = survey_or_404(slug)
    form = WaveActionForm()
    _action_choices(form, survey)
    if form.validate_on_submit():
        try:
            you_said.add_wave_action(
                db_session(),
                current_user.id,
                survey,
                form.wave.data,
                form.theme.data or None,
                form.action.data,
            )
        except you_said.ActionRefused as refused:
            form.action.errors.append(str(refused))
        else:
            flash(_("Saved. It shows on the public “You said, we did” page for that wave."))
            return redirect(url_for(".wave_actions", slug=slug))
    return _render_actions(survey, form, 422)


def _entry_or_404(survey: Questionnaire, entry_id: int) -> WaveAction:
    entry = you_said.wave_action(db_session(), survey, entry_id)
    if entry is None:
        abort(
            404, description=_("There is no such “we did” entry for this survey. It may have been removed.")
        )
    return entry


def _translation_languages() -> dict[str, str]:
    """Every offered language but English, which is the entry's own."""
    names = current_app.config["LANGUAGES"]
    return {
        code: names[code]["name"]
        for code in current_app.config["LANGUAGES_OFFERED"]
        if code != SOURCE_LANGUAGE
    }


def _render_entry(
    survey: Questionnaire,
    entry: WaveAction,
    form: WaveActionForm | None = None,
    translations: FlaskForm | None = None,
    status: int = 200,
):
    session = db_session()
    if form is None:
        form = WaveActionForm(
            data={"wave": entry.wave_key, "theme": entry.theme_id or "", "action": entry.action}
        )
    _action_choices(form, survey)
    languages = _translation_languages()
    if translations is None:
        given = you_said.translations_of(session, entry)
        translations = translation_form(languages, {code: text.action for code, text in given.items()})
    return render_template(
        "staff/wave_action.html",
        survey=survey,
        entry=entry,
        form=form,
        translations=translations,
        languages=languages,
        field_of=translation_field,
    ), status


@bp.get("/surveys/<slug>/actions/<int:entry_id>")
@requires("admin", "analyst")
def wave_action(slug: str, entry_id: int):
    survey = survey_or_404(slug)
    return _render_entry(survey, _entry_or_404(survey, entry_id))


@bp.post("/surveys/<slug>/actions/<int:entry_id>")
@requires("admin", "analyst")
def edit_wave_action(slug: str, entry_id: int):
    survey = survey_or_404(slug)
    entry = _entry_or_404(survey, entry_id)
    form = WaveActionForm()
    _action_choices(form, survey)
    if form.validate_on_submit():
        try:
            you_said.edit_wave_action(
                db_session(),
                current_user.id,
                survey,
                entry,
                form.wave.data,
                form.theme.data or None,
                form.action.data,
            )
        except you_said.ActionRefused as refused:
            form.action.errors.append(str(refused))
        else:
            flash(_("The entry is changed on the public page."))
            return redirect(url_for(".wave_action", slug=slug, entry_id=entry.id))
    return _render_entry(survey, entry, form=form, status=422)


@bp.post("/surveys/<slug>/actions/<int:entry_id>/translations")
@requires("admin", "analyst")
def translate_wave_action(slug: str, entry_id: int):
    survey = survey_or_404(slug)
    entry = _entry_or_404(survey, entry_id)
    languages = _translation_languages()
    form = translation_form(languages, {})
    if form.validate_on_submit():
        you_said.translate_wave_action(
            db_session(),
            current_user.id,
            survey,
            entry,
            {code: form[translation_field(code)].data or "" for code in languages},
        )
        flash(_("The translations are saved. A language left empty shows the English words."))
        return redirect(url_for(".wave_action", slug=slug, entry_id=entry.id, _anchor="translations"))
    return _render_entry(survey, entry, translations=form, status=422)


@bp.post("/surveys/<slug>/actions/<int:entry_id>/remove")
@requires("admin", "analyst")
def remove_wave_action(slug: str, entry_id: int):
    survey = survey_or_404(slug)
    entry = _entry_or_404(survey, entry_id)
    you_said.remove_wave_action(db_session(), current_user.id, survey, entry)
    flash(_("The entry is removed from the public page."))
    return redirect(url_for(".wave_actions", slug=slug))
