""" "You said, we did": what was done after each wave (entered by staff), and the public page that
puts it beside what people told us and what the panel prioritised."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from survey_app.accounts import now, record
from survey_app.models import Questionnaire, ReviewRound, Wave, WaveAction, WaveActionText
from survey_app.themes import effective_labels, merges

from .rounds import round_results
from .themes_in_wave import ThemeSummary, answering, count_display, summarise

#: themes shown under "what people told us"
TOLD_US = 8


class ActionRefused(ValueError):
    """The entry cannot be saved as asked; the message says why."""


def wave_actions(session: Session, survey: Questionnaire) -> list[WaveAction]:
    return list(
        session.scalars(
            select(WaveAction)
            .where(WaveAction.questionnaire_id == survey.id)
            .order_by(WaveAction.wave_key, WaveAction.id)
        )
    )


def _checked(session: Session, survey: Questionnaire, wave_key: str, theme_id: str | None) -> None:
    if (
        session.scalar(select(Wave.id).where(Wave.questionnaire_id == survey.id, Wave.key == wave_key))
        is None
    ):
        raise ActionRefused(f"'{survey.slug}' has no wave '{wave_key}'")
    if theme_id and theme_id not in effective_labels(session):
        raise ActionRefused(f"there is no theme '{theme_id}'")


def add_wave_action(
    session: Session, actor_id: int, survey: Questionnaire, wave_key: str, theme_id: str | None, action: str
) -> WaveAction:
    _checked(session, survey, wave_key, theme_id)
    entry = WaveAction(
        questionnaire_id=survey.id,
        wave_key=wave_key,
        theme_id=theme_id or None,
        action=action.strip(),
        entered_by=actor_id,
        entered_at=now(),
    )
    session.add(entry)
    session.flush()
    record(
        session,
        actor_id,
        "wave action added",
        survey=survey.slug,
        wave=wave_key,
        theme=theme_id or None,
        entry=entry.id,
    )
    session.commit()
    return entry


def wave_action(session: Session, survey: Questionnaire, entry_id: int) -> WaveAction | None:
    entry = session.get(WaveAction, entry_id)
    return entry if entry is not None and entry.questionnaire_id == survey.id else None


def edit_wave_action(
    session: Session,
    actor_id: int,
    survey: Questionnaire,
    entry: WaveAction,
    wave_key: str,
    theme_id: str | None,
    action: str,
) -> None:
    """Change an entry; the audit log keeps the words it had before."""
    _checked(session, survey, wave_key, theme_id)
    record(
        session,
        actor_id,
        "wave action changed",
        survey=survey.slug,
        entry=entry.id,
        before={"wave": entry.wave_key, "theme": entry.theme_id, "action": entry.action},
        after={"wave": wave_key, "theme": theme_id or None, "action": action.strip()},
    )
    entry.wave_key, entry.theme_id, entry.action = wave_key, theme_id or None, action.strip()
    session.commit()


def remove_wave_action(session: Session, actor_id: int, survey: Questionnaire, entry: WaveAction) -> None:
    """Take an entry (and its translations) off the public page; the audit log keeps its words."""
    record(
        session,
        actor_id,
        "wave action removed",
        survey=survey.slug,
        entry=entry.id,
        wave=entry.wave_key,
        theme=entry.theme_id,
        words=entry.action,
    )
    session.execute(delete(WaveActionText).where(WaveActionText.action_id == entry.id))
    session.delete(entry)
    session.commit()


def translations_of(session: Session, entry: WaveAction) -> dict[str, WaveActionText]:
    return {
        text.language: text
        for text in session.scalars(select(WaveActionText).where(WaveActionText.action_id == entry.id))
    }


def translate_wave_action(
    session: Session, actor_id: int, survey: Questionnaire, entry: WaveAction, texts: dict[str, str]
) -> None:
    """Set the entry's words in each language given; an empty text removes that translation, so the
    public page falls back to the entry's own words."""
    stored = translations_of(session, entry)
    changed = []
    for language, text in texts.items():
        text = text.strip()
        found = stored.get(language)
        if found is not None and not text:
            session.delete(found)
        elif found is not None and found.action != text:
            found.action = text
        elif found is None and text:
            session.add(WaveActionText(action_id=entry.id, language=language, action=text))
        else:
            continue
        changed.append(language)
    if changed:
        record(
            session, actor_id, "wave action translated", survey=survey.slug, entry=entry.id, languages=changed
        )
    session.commit()


@dataclass(frozen=True)
class PublicWave:
    survey: Questionnaire
    wave: Wave


def public_waves(session: Session) -> list[PublicWave]:
    """Waves with a closed panel round or a "we did" entry. Synthetic demo waves only when no real
    wave has anything to show, and the page labels them."""
    rounds = set(
        session.execute(
            select(ReviewRound.questionnaire_id, ReviewRound.wave_key).where(ReviewRound.status == "closed")
        ).all()
    )
    actions = set(session.execute(select(WaveAction.questionnaire_id, WaveAction.wave_key)).all())
    shown = rounds | actions
    found = [
        PublicWave(survey, wave)
        for survey, wave in session.execute(
            select(Questionnaire, Wave)
            .join(Wave, Wave.questionnaire_id == Questionnaire.id)
            .order_by(Questionnaire.slug, Wave.id.desc())
        )
        if (survey.id, wave.key) in shown
    ]
    real = [entry for entry in found if not entry.wave.synthetic]
    return real or found


@dataclass(frozen=True)
class Priority:
    theme_id: str
    label: str
    votes: int


@dataclass(frozen=True)
class ActionShown:
    #: in the reader's language when staff gave it, else the entry's own words
    action: str
    #: the language ``action`` is written in
    language: str
    theme_id: str | None
    #: the theme's name, None for an entry about the wave as a whole
    theme: str | None


@dataclass(frozen=True)
class YouSaid:
    survey: Questionnaire
    wave: Wave
    told_us: list[ThemeSummary]
    #: people who answered a free-text question in the wave: the base of every theme's count
    answered: int
    #: themes the panel voted for in the wave's closed rounds, most votes first
    prioritised: list[Priority]
    #: every vote the panel gave: the base of each theme's votes
    votes: int
    did: list[ActionShown]
    #: a panel has finished reviewing the wave (it may have cast no votes)
    reviewed: bool = False

    @property
    def answered_display(self) -> str:
        """The base as published: a small one is withheld like any small count."""
        return count_display(self.answered)


def you_said_we_did(
    session: Session, slug: str, wave_key: str, language: str, source_language: str
) -> YouSaid | None:
    """The page for one wave, with "we did" in ``language`` where staff translated it; None when
    the wave is not one that has something to show."""
    entry = next((e for e in public_waves(session) if e.survey.slug == slug and e.wave.key == wave_key), None)
    if entry is None:
        return None
    survey, wave = entry.survey, entry.wave
    closed = session.scalars(
        select(ReviewRound)
        .where(
            ReviewRound.questionnaire_id == survey.id,
            ReviewRound.wave_key == wave_key,
            ReviewRound.status == "closed",
        )
        .order_by(ReviewRound.id)
    ).all()
    labels, into = effective_labels(session), merges(session)
    votes: dict[str, int] = {}
    for result in (r for review in closed for r in round_results(session, review) if r.votes):
        theme = into.get(result.card.theme_id, result.card.theme_id)
        votes[theme] = votes.get(theme, 0) + result.votes
    prioritised = [
        Priority(theme, labels.get(theme, theme), count)
        for theme, count in sorted(votes.items(), key=lambda item: -item[1])
    ]
    actions = session.execute(
        select(WaveAction, WaveActionText.action)
        .outerjoin(
            WaveActionText,
            (WaveActionText.action_id == WaveAction.id) & (WaveActionText.language == language),
        )
        .where(WaveAction.questionnaire_id == survey.id, WaveAction.wave_key == wave_key)
        .order_by(WaveAction.id)
    )
    did = []
    for done, translated in actions:
        theme_id = into.get(done.theme_id, done.theme_id) if done.theme_id else None
        did.append(
            ActionShown(
                translated or done.action,
                language if translated else source_language,
                theme_id,
                labels.get(theme_id) if theme_id else None,
            )
        )
    return YouSaid(
        survey,
        wave,
        summarise(session, survey, wave)[:TOLD_US],
        answering(session, survey, wave),
        prioritised,
        sum(votes.values()),
        did,
        bool(closed),
    )
