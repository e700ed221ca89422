"""Review rounds: a panel's look at one wave, one card per theme; members' feedback and priority
votes; what staff make of it and decide.

A round's cards are fixed when it opens, so every member reviews the same figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.accounts import now, record
from survey_app.models import (
    REFLECTS,
    CardFeedback,
    PanelMember,
    Questionnaire,
    ReviewRound,
    RoundCard,
    ThemeChange,
    ThemeProposal,
    Wave,
)
from survey_app.themes import effective_labels, new_theme_id

from .themes_in_wave import answering, count_display, summarise

MAX_VOTES = 20


class RoundRefused(ValueError):
    """The round, feedback or decision cannot be made as asked; the message says why."""


class RoundClosed(RoundRefused):
    """A closed round is read-only."""


class TooManyVotes(RoundRefused):
    """More votes than the member has left; ``left`` is how many they could still give here."""

    def __init__(self, message: str, left: int):
        super().__init__(message)
        self.left = left


def create_round(
    session: Session,
    actor_id: int,
    panel_id: int,
    survey: Questionnaire,
    wave_key: str,
    votes_per_member: int,
) -> ReviewRound:
    wave = session.scalar(select(Wave).where(Wave.questionnaire_id == survey.id, Wave.key == wave_key))
    if wave is None:
        raise RoundRefused(f"'{survey.slug}' has no wave '{wave_key}'")
    if not 1 <= votes_per_member <= MAX_VOTES:
        raise RoundRefused(f"give each member from 1 to {MAX_VOTES} votes")
    if (
        session.scalar(
            select(ReviewRound.id).where(
                ReviewRound.panel_id == panel_id,
                ReviewRound.questionnaire_id == survey.id,
                ReviewRound.wave_key == wave_key,
            )
        )
        is not None
    ):
        raise RoundRefused("this panel already has a round for that wave")
    summaries = summarise(session, survey, wave)
    if not summaries:
        raise RoundRefused(
            "no free-text answer in that wave raises a theme yet, so there is nothing to review"
        )
    review = ReviewRound(
        panel_id=panel_id,
        questionnaire_id=survey.id,
        wave_key=wave_key,
        votes_per_member=votes_per_member,
        status="open",
        answered_display=count_display(answering(session, survey, wave)),
        created_by=actor_id,
        created_at=now(),
    )
    session.add(review)
    session.flush()
    for position, theme in enumerate(summaries):
        session.add(
            RoundCard(
                round_id=review.id,
                theme_id=theme.theme_id,
                position=position,
                label=theme.label,
                description=theme.description,
                count_display=theme.count_display,
                trend=theme.trend,
                sentiment=theme.sentiment,
                sentiment_coverage=theme.sentiment_coverage(),
                quotes=theme.quotes,
            )
        )
    record(
        session,
        actor_id,
        "review round opened",
        panel=panel_id,
        survey=survey.slug,
        wave=wave_key,
        cards=len(summaries),
        votes_per_member=votes_per_member,
    )
    session.commit()
    return review


def rounds_of(session: Session, panel_ids: list[int], status: str | None = None) -> list[ReviewRound]:
    query = select(ReviewRound).where(ReviewRound.panel_id.in_(panel_ids))
    if status:
        query = query.where(ReviewRound.status == status)
    return list(session.scalars(query.order_by(ReviewRound.created_at.desc(), ReviewRound.id.desc())))


def round_waves(session: Session, reviews: list[ReviewRound]) -> dict[int, Wave]:
    """Each round's wave, by round id."""
    return dict(
        session.execute(
            select(ReviewRound.id, Wave)
            .join(
                Wave,
                (Wave.questionnaire_id == ReviewRound.questionnaire_id) & (Wave.key == ReviewRound.wave_key),
            )
            .where(ReviewRound.id.in_([review.id for review in reviews]))
        ).all()
    )


def cards(session: Session, round_id: int) -> list[RoundCard]:
    return list(
        session.scalars(select(RoundCard).where(RoundCard.round_id == round_id).order_by(RoundCard.position))
    )


def member_round(session: Session, user_id: int, round_id: int) -> ReviewRound | None:
    """The round, if it belongs to one of the member's panels."""
    return session.scalar(
        select(ReviewRound)
        .join(PanelMember, PanelMember.panel_id == ReviewRound.panel_id)
        .where(ReviewRound.id == round_id, PanelMember.user_id == user_id)
    )


def my_feedback(session: Session, round_id: int, user_id: int) -> dict[str, CardFeedback]:
    return {
        f.theme_id: f
        for f in session.scalars(
            select(CardFeedback).where(CardFeedback.round_id == round_id, CardFeedback.member_id == user_id)
        )
    }


def votes_used(session: Session, round_id: int, user_id: int, except_theme: str | None = None) -> int:
    query = select(func.coalesce(func.sum(CardFeedback.votes), 0)).where(
        CardFeedback.round_id == round_id, CardFeedback.member_id == user_id
    )
    if except_theme is not None:
        query = query.where(CardFeedback.theme_id != except_theme)
    return int(session.scalar(query))


def _open(review: ReviewRound) -> None:
    if review.status != "open":
        raise RoundClosed("this round is closed, so it can no longer be changed")


def save_feedback(
    session: Session,
    user_id: int,
    review: ReviewRound,
    theme_id: str,
    reflects: str | None,
    better_name: str,
    comment: str,
    votes: int,
) -> CardFeedback:
    """Save one member's view of one card; refused when it would spend more votes than the round
    gives each member."""
    _open(review)
    if session.get(RoundCard, (review.id, theme_id)) is None:
        raise LookupError(theme_id)
    if reflects is not None and reflects not in REFLECTS:
        raise RoundRefused(f"unknown answer '{reflects}'")
    left = review.votes_per_member - votes_used(session, review.id, user_id, except_theme=theme_id)
    if votes < 0 or votes > left:
        raise TooManyVotes(f"you have {left} votes left to give here", left)
    feedback = session.get(CardFeedback, (review.id, theme_id, user_id))
    if feedback is None:
        feedback = CardFeedback(round_id=review.id, theme_id=theme_id, member_id=user_id)
        session.add(feedback)
    feedback.reflects, feedback.better_name = reflects, better_name.strip()
    feedback.comment, feedback.votes, feedback.updated_at = comment.strip(), votes, now()
    record(session, user_id, "panel feedback saved", round=review.id, theme=theme_id, votes=votes)
    session.commit()
    return feedback


def add_proposal(
    session: Session,
    user_id: int,
    review: ReviewRound,
    kind: str,
    theme_a: str | None,
    theme_b: str | None,
    text: str,
) -> ThemeProposal:
    _open(review)
    on_cards = {card.theme_id for card in cards(session, review.id)}
    text = text.strip()
    if kind == "merge":
        if theme_a not in on_cards or theme_b not in on_cards or theme_a == theme_b:
            raise RoundRefused("choose two different themes from this round to merge")
    elif kind == "add":
        if not text:
            raise RoundRefused("describe the missing theme in your own words")
        theme_a = theme_b = None
    else:
        raise RoundRefused(f"unknown kind of proposal '{kind}'")
    proposal = ThemeProposal(
        round_id=review.id,
        member_id=user_id,
        kind=kind,
        theme_a=theme_a,
        theme_b=theme_b,
        text=text,
        created_at=now(),
    )
    session.add(proposal)
    record(session, user_id, "panel proposal made", round=review.id, kind=kind)
    session.commit()
    return proposal


@dataclass
class CardResult:
    card: RoundCard
    reflects: Counter = field(default_factory=Counter)
    better_names: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    votes: int = 0
    rank: int = 0

    @property
    def answered(self) -> int:
        return sum(self.reflects.values())

    @property
    def agreement(self) -> float | None:
        """Share of members with a view (not "not sure") who said it reflects their community
        fully or partly; None when nobody has a view yet."""
        with_view = self.reflects["yes"] + self.reflects["partly"] + self.reflects["no"]
        return (self.reflects["yes"] + self.reflects["partly"]) / with_view if with_view else None


def round_results(session: Session, review: ReviewRound) -> list[CardResult]:
    """Each card with the panel's views, in priority order (most votes first); cards with equal
    votes share a rank."""
    results = {card.theme_id: CardResult(card) for card in cards(session, review.id)}
    for feedback in session.scalars(
        select(CardFeedback).where(CardFeedback.round_id == review.id).order_by(CardFeedback.updated_at)
    ):
        result = results[feedback.theme_id]
        if feedback.reflects:
            result.reflects[feedback.reflects] += 1
        if feedback.better_name:
            result.better_names.append(feedback.better_name)
        if feedback.comment:
            result.comments.append(feedback.comment)
        result.votes += feedback.votes
    ranked = sorted(results.values(), key=lambda r: (-r.votes, r.card.position))
    for result in ranked:
        result.rank = 1 + sum(1 for other in ranked if other.votes > result.votes)
    return ranked


def proposals(session: Session, round_id: int) -> list[ThemeProposal]:
    return list(
        session.scalars(
            select(ThemeProposal)
            .where(ThemeProposal.round_id == round_id)
            .order_by(ThemeProposal.created_at, ThemeProposal.id)
        )
    )


def decisions(session: Session, round_id: int) -> list[ThemeChange]:
    return list(
        session.scalars(select(ThemeChange).where(ThemeChange.round_id == round_id).order_by(ThemeChange.id))
    )


def record_decision(
    session: Session, actor_id: int, review: ReviewRound, kind: str, theme_id: str, value: str, reason: str
) -> ThemeChange:
    """A change to the codebook decided after the round: rename a theme, merge it into another,
    or add one."""
    labels = effective_labels(session)
    value, reason = value.strip(), reason.strip()
    if not reason:
        raise RoundRefused("say why, so the codebook's history explains itself")
    if kind == "rename":
        if theme_id not in labels:
            raise RoundRefused("choose a theme to rename")
        if not value:
            raise RoundRefused("enter the new name")
    elif kind == "merge":
        if theme_id not in labels or value not in labels or theme_id == value:
            raise RoundRefused("choose two different themes: the one to merge and the one it joins")
    elif kind == "add":
        if not value:
            raise RoundRefused("enter the new theme's name")
        theme_id = new_theme_id(session, value)
    else:
        raise RoundRefused(f"unknown kind of decision '{kind}'")
    change = ThemeChange(
        kind=kind,
        theme_id=theme_id,
        value=value,
        round_id=review.id,
        reason=reason,
        decided_by=actor_id,
        decided_at=now(),
    )
    session.add(change)
    record(
        session,
        actor_id,
        "theme change decided",
        round=review.id,
        kind=kind,
        theme=theme_id,
        value=value,
        reason=reason,
    )
    session.commit()
    return change


def close_round(session: Session, actor_id: int, review: ReviewRound) -> None:
    _open(review)
    review.status = "closed"
    record(session, actor_id, "review round closed", round=review.id)
    session.commit()
