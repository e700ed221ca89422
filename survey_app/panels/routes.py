"""URL rules for panel members: join by invitation, see their rounds, give feedback and votes."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from analysis.text.evaluation import polarity_class
from survey_app.access import log_in, requires
from survey_app.accounts import AccountExists, AccountRefused
from survey_app.coproduction import panels, rounds
from survey_app.coproduction.rounds import RoundClosed, RoundRefused, TooManyVotes
from survey_app.db import db_session
from survey_app.i18n import current_language, theme_text
from survey_app.limits import limiter, password_attempts
from survey_app.models import Panel, Questionnaire, ReviewRound

from .forms import REFLECTS_LABELS, CardForm, JoinForm, ProposalForm, pick

bp = Blueprint("panel", __name__, url_prefix="/panel")
MEMBER = "panel_member"
#: the flash category naming the card just saved
SAVED_CARD = "saved-card"


@bp.get("/")
@requires(MEMBER)
def home():
    db = db_session()
    panel_ids = panels.member_panel_ids(db, current_user.id)
    names = dict(db.execute(select(Panel.id, Panel.name).where(Panel.id.in_(panel_ids))).all())
    surveys = dict(db.execute(select(Questionnaire.id, Questionnaire.slug)).all())
    listed = rounds.rounds_of(db, panel_ids)
    return render_template(
        "panels/home.html", rounds=listed, names=names, surveys=surveys, waves=rounds.round_waves(db, listed)
    )


@bp.route("/join/<token>", methods=["GET", "POST"])
@limiter.limit(password_attempts, methods=["POST"])
def join(token: str):
    db = db_session()
    try:
        invite = panels.usable_invite(db, token)
    except panels.InviteUnusable:
        return render_template("panels/join_refused.html"), 410
    form = JoinForm()
    offered = current_app.config["LANGUAGES_OFFERED"]
    form.language.choices = pick([(code, current_app.config["LANGUAGES"][code]["name"]) for code in offered])
    if not form.is_submitted():
        form.language.data = current_language()
    if form.validate_on_submit():
        try:
            user = panels.join(db, token, form.email.data, form.password.data, form.language.data)
        except AccountExists:
            form.email.errors.append(
                _(
                    "There is already an account for this email address. Log in instead, "
                    "or use another address."
                )
            )
        except AccountRefused:
            # The form has checked the password's length: what is left is an address without an @.
            form.email.errors.append(_("Enter an email address like name@example.org"))
        else:
            log_in(user)
            flash(_("Welcome to the panel. Your account is ready."))
            return redirect(url_for(".home", lang=form.language.data))
    panel = db.get(Panel, invite.panel_id)
    return render_template("panels/join.html", form=form, panel=panel), 422 if form.errors else 200


def _round_or_404(round_id: int) -> ReviewRound:
    review = rounds.member_round(db_session(), current_user.id, round_id)
    if review is None:
        abort(404, description=_("There is no such review round for your panel."))
    return review


def _mood(score: float) -> str:
    return {1: _("Mostly positive"), 0: _("Mixed or neutral"), -1: _("Mostly negative")}[
        polarity_class(score)
    ]


def _card_form(theme_id: str, feedback=None, formdata=None) -> CardForm:
    form = CardForm(formdata=formdata, prefix=theme_id, meta={"csrf": False})
    if formdata is None and feedback is not None:
        form.reflects.data, form.better_name.data = feedback.reflects, feedback.better_name
        form.comment.data, form.votes.data = feedback.comment, feedback.votes
    return form


def _render_round(
    review: ReviewRound,
    failed: tuple[str, CardForm] | None = None,
    proposal: ProposalForm | None = None,
    status: int = 200,
):
    db = db_session()
    cards = rounds.cards(db, review.id)
    mine = rounds.my_feedback(db, review.id, current_user.id)
    forms = {card.theme_id: _card_form(card.theme_id, mine.get(card.theme_id)) for card in cards}
    if failed:
        forms[failed[0]] = failed[1]
    proposal = proposal or ProposalForm(meta={"csrf": False})
    proposal.theme_a.choices = proposal.theme_b.choices = pick(
        [
            ("", _("Choose a theme")),
            *((card.theme_id, theme_text(card.theme_id, "label", card.label)) for card in cards),
        ]
    )
    used = rounds.votes_used(db, review.id, current_user.id)
    saved = get_flashed_messages(category_filter=[SAVED_CARD])
    return render_template(
        "panels/round.html",
        saved=saved[-1] if saved else None,
        review=review,
        cards=cards,
        forms=forms,
        mine=mine,
        proposal=proposal,
        votes_left=review.votes_per_member - used,
        panel=db.get(Panel, review.panel_id),
        reflects_labels=REFLECTS_LABELS,
        mood=_mood,
        failed=failed[0] if failed else None,
        wave=rounds.round_waves(db, [review])[review.id],
    ), status


@bp.get("/rounds/<int:round_id>")
@requires(MEMBER)
def round(round_id: int):
    return _render_round(_round_or_404(round_id))


@bp.post("/rounds/<int:round_id>/cards/<theme_id>")
@requires(MEMBER)
def save_card(round_id: int, theme_id: str):
    review = _round_or_404(round_id)
    form = _card_form(theme_id, formdata=request.form)
    if form.validate():
        try:
            rounds.save_feedback(
                db_session(),
                current_user.id,
                review,
                theme_id,
                form.reflects.data or None,
                form.better_name.data or "",
                form.comment.data or "",
                form.votes.data,
            )
        except LookupError:
            abort(404, description=_("This round has no such theme."))
        except RoundClosed:
            abort(400, description=_("This round is closed, so it can no longer be changed."))
        except TooManyVotes as refused:
            form.votes.errors.append(
                ngettext(
                    "You have only %(num)d vote left to give here. Take votes from another "
                    "theme first, or give fewer.",
                    "You have only %(num)d votes left to give here. Take votes from another "
                    "theme first, or give fewer.",
                    refused.left,
                )
            )
        else:
            # Shown inside the card that was saved, where the member is looking, not at the page top.
            flash(theme_id, SAVED_CARD)
            return redirect(url_for(".round", round_id=review.id, _anchor=f"card-{theme_id}"))
    if db_session().get(rounds.RoundCard, (review.id, theme_id)) is None:
        abort(404, description=_("This round has no such theme."))
    return _render_round(review, failed=(theme_id, form), status=422)


@bp.post("/rounds/<int:round_id>/proposals")
@requires(MEMBER)
def propose(round_id: int):
    review = _round_or_404(round_id)
    form = ProposalForm(meta={"csrf": False})
    form.theme_a.choices = form.theme_b.choices = pick(
        [
            ("", ""),
            *(
                (card.theme_id, theme_text(card.theme_id, "label", card.label))
                for card in rounds.cards(db_session(), review.id)
            ),
        ]
    )
    if form.validate_on_submit():
        try:
            rounds.add_proposal(
                db_session(),
                current_user.id,
                review,
                form.kind.data,
                form.theme_a.data or None,
                form.theme_b.data or None,
                form.text.data or "",
            )
        except RoundClosed:
            abort(400, description=_("This round is closed, so it can no longer be changed."))
        except RoundRefused:
            message = (
                _("Choose two different themes to merge.")
                if form.kind.data == "merge"
                else _("Describe the missing theme in your own words.")
            )
            form.kind.errors.append(message)
        else:
            flash(_("Thank you: your proposal was sent to the team."))
            return redirect(url_for(".round", round_id=review.id, _anchor="propose"))
    return _render_round(review, proposal=form, status=422)
