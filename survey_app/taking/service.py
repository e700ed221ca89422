"""Drafts and submissions. No request, session or cookie in here: plain values in and out.

A draft lives server-side under the hash of a random token, sealed with a key derived from that
token (see models/drafts.py). Submitting deletes the draft and adds the response in one
transaction (to the response tables, or sealed to wait for its batch: responses/waiting.py), so a
draft becomes at most one response; the activity counters are written in
transactions of their own, so no counter's week or channel is ever written beside a response or a
draft.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Row, bindparam, delete, select, update
from sqlalchemy.orm import Session

from analysis.text.redact import redact
from survey_app.definitions import Item, Page
from survey_app.definitions import Questionnaire as Definition
from survey_app.models import MONTH_FORMAT, Channel, Draft, Questionnaire, QuestionnaireVersion
from survey_app.responses.store import InvalidAnswer, Rows, prepare_response
from survey_app.responses.waiting import add_sent
from survey_app.surveys import activity


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _key(token: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"insight draft").derive(token.encode())


def _next_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def current_wave_id(session: Session, version_id: int) -> int | None:
    return session.scalar(
        select(Questionnaire.current_wave_id)
        .join(QuestionnaireVersion.questionnaire)
        .where(QuestionnaireVersion.id == version_id)
    )


@dataclass
class OpenDraft:
    """A draft as its respondent's token opens it."""

    token: str
    version_id: int
    #: rounded up to the hour, so it does not record when someone was answering
    expires_at: datetime
    #: {answer key: value} as the form produced them, free text already redacted
    answers: dict = field(default_factory=dict)
    #: the distribution link the survey was opened from
    channel_id: int | None = None
    #: pages completed (moved on from with Continue): counted once in the aggregate page counters,
    #: and passed over when the respondent carries on where they left off
    pages_counted: list[str] = field(default_factory=list)
    #: on a shared device: seconds without a request after which the draft is deleted
    idle_seconds: int | None = None
    #: on a shared device: when it is deleted unless it is opened before (sealed like the rest)
    idle_until: datetime | None = None
    #: its survey is open (and has a current version) as the draft is opened; not sealed, not stored
    survey_open: bool = True

    @property
    def shared(self) -> bool:
        return self.idle_seconds is not None

    def seal(self) -> bytes:
        content = json.dumps(
            {
                "answers": self.answers,
                "channel_id": self.channel_id,
                "pages_counted": self.pages_counted,
                "expires_at": self.expires_at.isoformat(),
                "idle_seconds": self.idle_seconds,
                "idle_until": self.idle_until and self.idle_until.isoformat(),
            }
        ).encode()
        nonce = os.urandom(12)
        return nonce + AESGCM(_key(self.token)).encrypt(nonce, content, str(self.version_id).encode())

    @classmethod
    def unseal(cls, token: str, row: Row) -> OpenDraft | None:
        """The draft in a row read by `open_draft`; None when `token` does not open it."""
        try:
            content = json.loads(
                AESGCM(_key(token)).decrypt(row.sealed[:12], row.sealed[12:], str(row.version_id).encode())
            )
        except InvalidTag:
            return None
        idle_until = content.get("idle_until")
        return cls(
            token=token,
            version_id=row.version_id,
            expires_at=datetime.fromisoformat(content["expires_at"]),
            answers=content["answers"],
            channel_id=content["channel_id"],
            pages_counted=content["pages_counted"],
            idle_seconds=content.get("idle_seconds"),
            idle_until=datetime.fromisoformat(idle_until) if idle_until else None,
            survey_open=bool(row.survey_open),
        )


def _count(session: Session, draft: OpenDraft, event: str, now: datetime) -> None:
    """Count an event in a transaction of its own (see the module's docstring)."""
    activity.count(
        session,
        version_id=draft.version_id,
        wave_id=current_wave_id(session, draft.version_id),
        channel_id=draft.channel_id,
        event=event,
        now=now,
    )
    session.commit()


def start_draft(
    session: Session,
    version_id: int,
    lifetime: timedelta,
    now: datetime,
    *,
    channel_id: int | None = None,
    idle: timedelta | None = None,
) -> str:
    """Create an empty draft and return the token the browser keeps; also sweeps drafts whose
    month is over (a draft past its hour is unreadable to its respondent already). With ``idle``
    (a shared device), the draft is deleted once it goes that long without being opened."""
    session.execute(delete(Draft).where(Draft.sweep_month < now.strftime("%Y-%m")))
    expires_at = _next_hour(now + lifetime)
    draft = OpenDraft(
        token=secrets.token_urlsafe(32),
        version_id=version_id,
        expires_at=expires_at,
        channel_id=channel_id,
        idle_seconds=int(idle.total_seconds()) if idle else None,
        idle_until=now + idle if idle else None,
    )
    session.add(
        Draft(
            token_hash=_hash(draft.token),
            version_id=version_id,
            sealed=draft.seal(),
            sweep_month=expires_at.strftime("%Y-%m"),
        )
    )
    session.commit()
    _count(session, draft, activity.STARTED, now)
    return draft.token


class DraftGone(Exception):
    """No draft has this token any more: it was sent (or removed) by another request."""


class DraftExpired(Exception):
    """The draft outlived its lifetime; it has been deleted."""


class DraftIdle(DraftExpired):
    """A shared device's draft went unused for its idle time; it has been deleted."""


def find_draft(session: Session, token: str | None, now: datetime) -> OpenDraft | None:
    """The draft this token opens, or None (no token, no such draft, or expired: see open_draft)."""
    try:
        return open_draft(session, token, now)
    except (DraftGone, DraftExpired):
        return None


#: What opening a draft reads, in one query run on the session's connection (no ORM objects to build,
#: and always the row as stored now): the sealed row, and whether its survey is open.
_SURVEY_OPEN = Questionnaire.is_open & Questionnaire.current_version_id.is_not(None)
_SEALED = (
    select(Draft.version_id, Draft.sealed, _SURVEY_OPEN.label("survey_open"))
    .join(QuestionnaireVersion, QuestionnaireVersion.id == Draft.version_id)
    .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
    .where(Draft.token_hash == bindparam("token_hash"))
)


def open_draft(session: Session, token: str | None, now: datetime) -> OpenDraft | None:
    """The draft this token opens; None without a token. DraftGone when no row has the token (it
    was sent, or removed by quick exit or restarting), DraftExpired when it was past its hour,
    DraftIdle when a shared device left it unused too long. Opening a shared device's draft is
    using it: it is kept for its idle time from now."""
    if not token:
        return None
    row = session.connection().execute(_SEALED, {"token_hash": _hash(token)}).first()
    draft = OpenDraft.unseal(token, row) if row is not None else None
    if draft is None:
        raise DraftGone
    if draft.expires_at <= now:
        discard_draft(session, token)
        raise DraftExpired
    if draft.shared:
        if draft.idle_until is None or draft.idle_until <= now:
            discard_draft(session, token)
            raise DraftIdle
        draft.idle_until = now + timedelta(seconds=draft.idle_seconds)
        reseal(session, draft)
    return draft


def reseal(session: Session, draft: OpenDraft) -> None:
    """Write the draft back, sealed afresh (a new nonce every time)."""
    session.execute(update(Draft).where(Draft.token_hash == _hash(draft.token)).values(sealed=draft.seal()))
    session.commit()


def rekey(session: Session, draft: OpenDraft, token: str) -> None:
    """Move the draft under a new token, sealed afresh: the old token opens nothing any more.
    DraftGone if another request sent or removed it meanwhile."""
    old = draft.token
    if session.execute(delete(Draft).where(Draft.token_hash == _hash(old))).rowcount != 1:
        session.rollback()
        raise DraftGone
    draft.token = token
    session.add(
        Draft(
            token_hash=_hash(token),
            version_id=draft.version_id,
            sealed=draft.seal(),
            sweep_month=draft.expires_at.strftime("%Y-%m"),
        )
    )
    session.commit()


def discard_draft(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(Draft).where(Draft.token_hash == _hash(token)))
        session.commit()


def shown_items(page: Page, answers: dict) -> list[Item]:
    """Items to put on the page: conditions on earlier pages are decided now; conditions on this
    page are left to the browser (and to `answered_items` once the page is posted)."""
    on_page = {key for item in page.items for key in item.answer_keys}
    return [
        item
        for item in page.items
        if item.show_if is None or item.show_if.item in on_page or item.visible(answers)
    ]


def answered_items(page: Page, answers: dict) -> list[Item]:
    """Items that apply once this page's answers are known; the rest are neither checked nor kept."""
    return [item for item in page.items if item.visible(answers)]


def clean(item: Item, value: object) -> object:
    """Normalise a validated value for storage; free text loses personal data here, before storage."""
    if value in (None, "", []):
        return None
    if item.kind.free_text:
        return redact(value) or None
    return value


def checked_page(page: Page, form, answers: dict) -> tuple[dict, dict[str, list[str]]]:
    """A posted page's form, validated: (valid values, {answer key: errors}) for the questions that
    apply given the answers so far and the page's own. Questions hidden by an answer on the same
    page are neither checked nor kept."""
    posted = {**answers, **{key: field.data for key, field in form._fields.items()}}
    applicable = {key for item in answered_items(page, posted) for key in item.answer_keys}
    form.validate()
    errors = {key: field.errors for key, field in form._fields.items() if field.errors and key in applicable}
    valid = {key: field.data for key, field in form._fields.items() if key in applicable and not field.errors}
    return valid, errors


def with_page(answers: dict, page: Page, values: dict) -> dict:
    """`answers` with this page's answers replaced by `values`, cleaned (free text redacted), for
    the questions that apply."""
    kept = {
        key: value
        for key, value in answers.items()
        if key not in {k for item in page.items for k in item.answer_keys}
    }
    merged = {**kept, **values}
    for item in answered_items(page, merged):
        for key in item.answer_keys:
            value = clean(item, values.get(key))
            if value is not None:
                kept[key] = value
    return kept


def save_page(
    session: Session,
    draft: OpenDraft,
    page: Page,
    values: dict,
    *,
    completed: bool = False,
    now: datetime | None = None,
) -> None:
    """Record a page's answers; answers to items that no longer apply are dropped. A page completed
    (moved on from, not back) counts once per draft in the aggregate page counters."""
    draft.answers = with_page(draft.answers, page, values)
    counts = completed and page.id not in draft.pages_counted
    if counts:
        draft.pages_counted = [*draft.pages_counted, page.id]
    reseal(session, draft)
    if counts:
        _count(session, draft, activity.page_event(page.id), now)


def applicable_answers(definition: Definition, answers: dict) -> dict:
    """Answers to items that apply, in questionnaire order (a changed early answer can hide later items)."""
    kept: dict = {}
    for item in definition.items:
        if item.visible(kept):
            kept.update({key: answers[key] for key in item.answer_keys if key in answers})
    return kept


def _lacks_an_answer(page: Page, kept: dict) -> bool:
    return any(
        not item.optional and any(key not in kept for key in item.answer_keys)
        for item in answered_items(page, kept)
    )


def first_incomplete_page(definition: Definition, answers: dict) -> Page | None:
    kept = applicable_answers(definition, answers)
    return next((page for page in definition.visible_pages(kept) if _lacks_an_answer(page, kept)), None)


@dataclass(frozen=True)
class Progress:
    """How far a draft has come, over the pages that apply to its answers."""

    pages: list[Page]
    #: pages completed and still fully answered
    done: int
    #: the 1-based step of the first page not yet done; None when every page is done
    resume: int | None


def progress(definition: Definition, draft: OpenDraft) -> Progress:
    """A page is done once it was completed and nothing it requires is missing since (an earlier
    answer changed can make a new page apply, or a question on a done page)."""
    kept = applicable_answers(definition, draft.answers)
    pages = definition.visible_pages(kept)
    finished = [page.id in draft.pages_counted and not _lacks_an_answer(page, kept) for page in pages]
    resume = next((step for step, done in enumerate(finished, 1) if not done), None)
    return Progress(pages=pages, done=sum(finished), resume=resume)


@dataclass(frozen=True)
class SummaryRow:
    """One answer as "Check your answers" lists it, as English source text plus gettext contexts."""

    #: the answer key: an item's id, or a statement's id for a rating scale
    key: str
    question: str
    context: str
    #: choice labels, or the number or text typed; empty when the question was skipped
    values: tuple[str, ...]
    #: the context of the choice labels in `values`; None when they are a number or typed text
    choice_context: str | None


def summary(definition: Definition, answers: dict) -> list[tuple[Page, list[SummaryRow]]]:
    """Every question that applies, page by page, with the draft's answer to it."""
    kept = applicable_answers(definition, answers)
    pages = []
    for page in definition.visible_pages(kept):
        rows = []
        for item in answered_items(page, kept):
            questions = [(statement.id, statement.label) for statement in item.statements] or [
                (item.id, item.label)
            ]
            for key, label in questions:
                value = kept.get(key)
                if item.choices:
                    chosen = value if isinstance(value, list) else [value]
                    values = tuple(c.label for c in item.choices if c.value in chosen)
                    rows.append(
                        SummaryRow(
                            key, label, f"{definition.slug}.{key}", values, f"{definition.slug}.{item.id}"
                        )
                    )
                else:
                    values = (str(value),) if value is not None else ()
                    rows.append(SummaryRow(key, label, f"{definition.slug}.{key}", values, None))
        pages.append((page, rows))
    return pages


class SubmissionRefused(Exception):
    """The draft cannot become a response; nothing was stored."""


def submit(
    session: Session,
    draft: OpenDraft,
    definition: Definition,
    language: str,
    now: datetime,
    *,
    secret: str,
    batch: int,
) -> Rows:
    """Delete the draft and add the response with every applicable answer, in one transaction; the
    rows that store it. The draft is deleted first: of several requests sending one draft at once,
    only the one that deleted it adds a response; the others get DraftGone. The response may wait
    to join the response tables in a shuffled batch of ``batch`` (see responses/waiting.py)."""
    answers = applicable_answers(definition, draft.answers)
    if first_incomplete_page(definition, answers) is not None:
        raise SubmissionRefused("some required questions have no answer")
    if session.execute(delete(Draft).where(Draft.token_hash == _hash(draft.token))).rowcount != 1:
        session.rollback()
        raise DraftGone
    channel = session.get(Channel, draft.channel_id) if draft.channel_id else None
    try:
        rows = prepare_response(
            session,
            version_id=draft.version_id,
            definition=definition,
            answers=answers,
            language=language,
            month=now.strftime(MONTH_FORMAT),
            wave_id=current_wave_id(session, draft.version_id),
            channel=(channel.type, channel.area) if channel else None,
        )
    except InvalidAnswer as error:
        session.rollback()
        raise SubmissionRefused(str(error)) from error
    add_sent(session, rows, secret=secret, batch=batch)
    session.commit()
    return rows


def count_submission(session: Session, draft: OpenDraft, now: datetime) -> None:
    """Count a stored response in the weekly counters, after (and apart from) storing it."""
    _count(session, draft, activity.SUBMITTED, now)
