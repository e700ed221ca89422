"""Links that work without a signal (events): the survey taken in one cached page, completed
surveys queued on the device and sent when the signal returns.

On a link set up for it (``Channel.offline``), a browser with JavaScript and service workers takes
the survey in one page (``taking/offline.html``, driven by ``static/offline.js``), which a service
worker (``static/offline-worker.js``) keeps, with the help page and the site's files, in every
offered language. Nothing in progress is stored anywhere: answers live in the open page until Send.
A completed survey then joins the device's queue and is sent as soon as the server answers, then
removed from the device. The queue holds, for each survey, a random key, the link's key and the
answers with their language and questionnaire version sealed for the server (ECDH on P-256 with
a new key per survey, then AES-GCM): no time, nothing about the device, and nothing that anyone
holding the device, or reading its storage, can read. Only the server, with its SECRET_KEY, opens
them; a device's surveys therefore need the same SECRET_KEY when they arrive.

The server checks a sent survey with the same forms as the page-by-page survey, redacts and screens
its free text like any other answer, and stores it once: the hash of its random key is kept
(``SentSurvey``), so sending it again stores nothing and is answered "already stored".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from survey_app.definitions import Questionnaire as Definition
from survey_app.i18n import questionnaire_text
from survey_app.models import MONTH_FORMAT, Channel, SentSurvey
from survey_app.responses.store import InvalidAnswer, prepare_response
from survey_app.responses.waiting import add_sent
from survey_app.surveys import activity
from survey_app.surveys.channels import link_channel

from .forms import page_form
from .service import checked_page, first_incomplete_page, with_page

#: A device's random key for one completed survey: 16 to 64 URL-safe characters (the page makes 22).
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
#: Completed surveys one device holds before it asks for a signal: more than a day's stall takes.
QUEUE_LIMIT = 500


class SentRefused(Exception):
    """A sent survey that cannot be stored as it is; the message says why, for the device's page."""


@dataclass(frozen=True)
class Sent:
    """A completed survey as a device sends it, opened."""

    key: str
    via: str
    version_id: int
    language: str
    #: {answer key: text, or a list of texts for a multiple choice}
    answers: dict


#: What the key for sealing is derived with, and what each survey's AES key is derived with.
_SEAL_KEY_INFO = b"insight offline queue server key"
SEAL_INFO = b"insight offline queue"
_CURVE = ec.SECP256R1()
#: The order of P-256's group: private keys are numbers from 1 to this less one.
_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def _private_key(secret: str) -> ec.EllipticCurvePrivateKey:
    """The server's key for opening queued surveys, derived from its SECRET_KEY, so that every
    worker has it and nothing more needs keeping."""
    material = HKDF(algorithm=hashes.SHA256(), length=48, salt=None, info=_SEAL_KEY_INFO).derive(
        secret.encode()
    )
    return ec.derive_private_key(int.from_bytes(material, "big") % (_ORDER - 1) + 1, _CURVE)


def public_key(secret: str) -> str:
    """The key devices seal surveys for: an uncompressed P-256 point, base64url without padding."""
    point = (
        _private_key(secret)
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def _bytes(text: object, name: str) -> bytes:
    try:
        if not isinstance(text, str):
            raise ValueError
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (ValueError, binascii.Error):
        raise SentRefused(f"'sealed.{name}' must be base64url text") from None


def _unseal(secret: str, key: str, sealed: object) -> object:
    """The JSON a device sealed, bound to the survey's key so that it cannot travel under another."""
    if not isinstance(sealed, dict):
        raise SentRefused("'sealed' must be an object with epk, iv and data")
    try:
        device = ec.EllipticCurvePublicKey.from_encoded_point(_CURVE, _bytes(sealed.get("epk"), "epk"))
    except ValueError:
        raise SentRefused("'sealed.epk' must be a P-256 public key, uncompressed") from None
    shared = _private_key(secret).exchange(ec.ECDH(), device)
    aes = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=SEAL_INFO).derive(shared)
    nonce = _bytes(sealed.get("iv"), "iv")
    if len(nonce) != 12:
        raise SentRefused("'sealed.iv' must be 12 bytes")
    try:
        return json.loads(AESGCM(aes).decrypt(nonce, _bytes(sealed.get("data"), "data"), key.encode()))
    except InvalidTag:
        raise SentRefused(
            "the sealed answers cannot be opened with this server's key: they were sealed for "
            "another key or changed on the way (was SECRET_KEY changed?)"
        ) from None
    except ValueError:
        raise SentRefused("the sealed answers are not JSON") from None


def parse(payload: object, languages: list[str], secret: str) -> Sent:
    """The sent survey in a JSON body, opened, or SentRefused naming the field that is wrong."""
    if not isinstance(payload, dict):
        raise SentRefused("send a JSON object with key, via and sealed")
    key, via = payload.get("key"), payload.get("via")
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise SentRefused("'key' must be 16 to 64 letters, digits, '-' or '_'")
    if not isinstance(via, str) or not via or "\x00" in via:
        raise SentRefused("'via' must be the key of the link the survey was taken through")
    opened = _unseal(secret, key, payload.get("sealed"))
    if not isinstance(opened, dict):
        raise SentRefused("the sealed answers must be an object with version, language and answers")
    version, language, answers = opened.get("version"), opened.get("language"), opened.get("answers")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version < 2**31:
        raise SentRefused("'version' must be the number of the questionnaire version answered")
    if language not in languages:
        raise SentRefused(f"'language' must be one of {', '.join(languages)}")
    if not isinstance(answers, dict) or not all(
        isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        for value in answers.values()
    ):
        raise SentRefused("'answers' must map each answer key to a text, or to a list of texts")
    # No keyboard types a NUL character, and PostgreSQL text cannot hold one (as security.py refuses
    # it in forms).
    if any("\x00" in text for key, value in answers.items() for text in (key, *_values(value))):
        raise SentRefused("an answer contains a NUL character, which no keyboard types")
    return Sent(key, via, version, language, answers)


def offline_channel(session: Session, slug: str, key: str | None) -> Channel | None:
    """The active link of questionnaire `slug` with this key, when it is set up to work offline."""
    channel = link_channel(session, slug, key)
    return channel if channel is not None and channel.offline and not channel.requires_code else None


def checked_answers(definition: Definition, sent: dict) -> dict:
    """The answers to keep, checked page by page with the page-by-page survey's own forms and
    cleaned as its pages clean them (free text redacted); SentRefused names the first question
    whose answer does not fit, or the first page left unanswered."""
    known = {key for item in definition.items for key in item.answer_keys}
    unknown = sorted(set(sent) - known)
    if unknown:
        raise SentRefused(f"'{unknown[0]}' is not a question of this version of the survey")
    kept: dict = {}
    for page in definition.pages:
        if not page.visible(kept):
            continue
        formdata = MultiDict(
            [
                (key, value)
                for item in page.items
                for key in item.answer_keys
                for value in _values(sent.get(key))
            ]
        )
        form = page_form(definition.slug, list(page.items), {}, formdata=formdata)
        values, errors = checked_page(page, form, kept)
        if errors:
            key, messages = next(iter(errors.items()))
            item = next(item for item in page.items if key in item.answer_keys)
            question = questionnaire_text(f"{definition.slug}.{key}", _label(item, key))
            raise SentRefused(f"{question}: {messages[0]}")
        kept = with_page(kept, page, values)
    if first_incomplete_page(definition, kept) is not None:
        raise SentRefused(_("Some questions that need an answer have none."))
    return kept


def _values(value: str | list | None) -> list[str]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _label(item, key: str) -> str:
    return next((statement.label for statement in item.statements if statement.id == key), item.label)


def store_sent(
    session: Session,
    sent: Sent,
    definition: Definition,
    channel: Channel,
    *,
    wave_id: int | None,
    now: datetime,
    secret: str,
    batch: int,
) -> bool:
    """Store a checked survey and the hash of its key in one transaction: True when stored, False
    when that key was stored before (sent twice, or at once by two tries). The activity counters
    (started, each page, sent) are counted after, each in a transaction of its own."""
    answers = checked_answers(definition, sent.answers)
    session.add(SentSurvey(key_hash=hashlib.sha256(sent.key.encode()).hexdigest()))
    try:
        session.flush()
        rows = prepare_response(
            session,
            version_id=sent.version_id,
            definition=definition,
            answers=answers,
            language=sent.language,
            month=now.strftime(MONTH_FORMAT),
            wave_id=wave_id,
            channel=(channel.type, channel.area),
        )
        add_sent(session, rows, secret=secret, batch=batch)
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    except InvalidAnswer as error:
        session.rollback()
        raise SentRefused(str(error)) from error
    pages = [activity.page_event(page.id) for page in definition.visible_pages(answers)]
    for event in (activity.STARTED, *pages, activity.SUBMITTED):
        activity.count(
            session, version_id=sent.version_id, wave_id=wave_id, channel_id=channel.id, event=event, now=now
        )
        session.commit()
    return True
