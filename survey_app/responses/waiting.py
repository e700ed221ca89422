"""Add sent responses to the response tables in shuffled batches, so that nothing the database
keeps tells the order they were sent in.

A row records the transaction that wrote it: PostgreSQL stamps it (``xmin``) and appends it to the
table, its write-ahead log (and any archive of it) holds the commit's time, and those transaction
numbers can be lined up with other timed writes. A response written as it is sent can therefore be
placed in the day's order, and often near its time, by anyone with the database files, a backup or
the log archive: a teacher who saw who finished first could then find their answers.

So a sent response waits, sealed (AES-GCM under a key from SECRET_KEY, with all its rows inside), in
``waiting_response``. Once ``RESPONSE_BATCH`` are waiting, the send that completes the batch adds
them all to the response tables in one transaction, in a random order: every one of them has the
same transaction and commit time, and their places in the table follow no order. The waiting rows
are deleted; their dead copies hold only sealed bytes, under random ids unrelated to the
responses'. A response whose free text is flagged for safeguarding is not held back: it is added at
once, with every response waiting beside it. ``insight db release-responses`` (which the nightly
``insight db shuffle-responses`` runs first) adds whatever is waiting, and so does closing a survey.

``RESPONSE_BATCH`` of 1 (the default outside ``deploy/run.sh``) adds each response as it is sent.
The batches' order stays visible until the nightly shuffle, so a response is hidden among the
others of its batch, not among the whole month, until then.
"""

from __future__ import annotations

import json
import os
import secrets
import uuid
from collections.abc import Collection, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from survey_app.models import WaitingResponse

from .store import Rows, write_rows

#: The columns of the sealed rows that hold a response's random id.
_ID_COLUMNS = ("id", "response_id")


class SealedForAnotherKey(Exception):
    """Waiting responses were sealed under another SECRET_KEY: they cannot be added until it is back."""


def _key(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"insight waiting response").derive(
        secret.encode()
    )


def seal(secret: str, rows: Rows) -> bytes:
    content = json.dumps(
        {
            table: [{k: str(v) if k in _ID_COLUMNS else v for k, v in row.items()} for row in values]
            for table, values in (
                ("responses", rows.responses),
                ("answers", rows.answers),
                ("choices", rows.choices),
            )
        }
    ).encode()
    nonce = os.urandom(12)
    return nonce + AESGCM(_key(secret)).encrypt(nonce, content, b"waiting response")


def unseal(secret: str, sealed: bytes) -> Rows:
    try:
        content = json.loads(AESGCM(_key(secret)).decrypt(sealed[:12], sealed[12:], b"waiting response"))
    except InvalidTag:
        raise SealedForAnotherKey(
            "a waiting response was sealed under another SECRET_KEY: set SECRET_KEY back to the one "
            "in use when it was sent, then run `insight db release-responses`"
        ) from None
    return Rows(
        *(
            [{k: uuid.UUID(v) if k in _ID_COLUMNS else v for k, v in row.items()} for row in content[table]]
            for table in ("responses", "answers", "choices")
        )
    )


def add_sent(session: Session, rows: Rows, *, secret: str, batch: int) -> None:
    """Add one sent response (its rows, checked and screened) without committing: at once when
    ``batch`` is 1 or an answer is flagged for safeguarding, otherwise sealed to wait until
    ``batch`` are waiting, and then all of them in a random order."""
    if batch <= 1:
        write_rows(session, rows)
        return
    session.execute(insert(WaitingResponse), {"id": uuid.uuid4(), "sealed": seal(secret, rows)})
    waiting = _lock_waiting(session)
    if len(waiting) >= batch or any(answer["safeguarding"] for answer in rows.answers):
        _release(session, secret, waiting)


def release_waiting(session: Session, secret: str) -> int:
    """Add every waiting response to the response tables in a random order, and commit; how many."""
    waiting = _lock_waiting(session)
    _release(session, secret, waiting)
    session.commit()
    return len(waiting)


def waiting_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(WaitingResponse))


def waiting_for(session: Session, secret: str, version_ids: Collection[int]) -> int:
    """How many responses to these questionnaire versions are waiting (read from inside the seal;
    one this SECRET_KEY cannot open is not counted)."""
    return sum(
        rows is not None and rows.responses[0]["version_id"] in version_ids
        for rows in _opened(session, secret)
    )


def unreadable_count(session: Session, secret: str) -> int:
    """How many waiting responses this SECRET_KEY cannot open (sealed under another one)."""
    return sum(rows is None for rows in _opened(session, secret))


def _opened(session: Session, secret: str) -> Iterator[Rows | None]:
    """Each waiting response's rows, or None for one sealed under another SECRET_KEY."""
    for (sealed,) in session.execute(select(WaitingResponse.sealed)):
        try:
            yield unseal(secret, sealed)
        except SealedForAnotherKey:
            yield None


def _lock_waiting(session: Session) -> list:
    """The waiting rows (id, sealed), locked for this transaction. Rows another send is adding
    right now are locked by it, and skipped here (PostgreSQL; SQLite has one writer at a time, and
    this transaction already holds the write lock)."""
    return session.execute(
        select(WaitingResponse.id, WaitingResponse.sealed).with_for_update(skip_locked=True)
    ).all()


def _release(session: Session, secret: str, waiting: list) -> None:
    responses = [unseal(secret, row.sealed) for row in waiting]
    secrets.SystemRandom().shuffle(responses)
    batch = Rows()
    for rows in responses:
        batch.responses += rows.responses
        batch.answers += rows.answers
        batch.choices += rows.choices
    write_rows(session, batch)
    if waiting:
        session.execute(delete(WaitingResponse).where(WaitingResponse.id.in_([row.id for row in waiting])))
