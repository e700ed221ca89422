"""Resume codes: "Save and finish later" on a personal device, carried on with a code anywhere.

The code is never stored. The draft is moved under a token made from the code by scrypt, a slow
function, and the database keeps only the hash of that token, as for every draft: someone reading
the database would have to run scrypt for each of the 31^12 possible codes to open one, and a code
can be tried online only as often as the access-code rate limit allows. Resuming moves the draft
under a new random token, so a code works once; saving for later again gives a new code. The
browser that saved the draft forgets it: there too, the code is the way back.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime

from sqlalchemy.orm import Session

from survey_app.surveys.channels import CODE_ALPHABET, normalise_code

from . import service

#: 31^12, about 2^59: long enough that guessing at the rate limit finds nothing, short enough to copy.
CODE_LENGTH = 12
#: scrypt's cost: about 16 MB and a few tens of milliseconds for each code tried.
SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class ResumeRefused(Exception):
    """The draft cannot be saved for later: it is on a shared device."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to read and copy than twelve letters in a row."""
    return "-".join(code[n : n + 4] for n in range(0, len(code), 4))


def code_token(code: str) -> str:
    """The draft token a code stands for."""
    key = hashlib.scrypt(code.encode(), salt=b"insight resume code", dklen=32, **SCRYPT)
    return base64.urlsafe_b64encode(key).decode().rstrip("=")


def save_for_later(session: Session, draft: service.OpenDraft) -> str:
    """Move the draft under a new code and return the code, its only copy: the draft's old token
    opens nothing any more. Never on a shared device, where the next person could use it."""
    if draft.shared:
        raise ResumeRefused("resume codes are not given on shared devices")
    code = new_code()
    service.rekey(session, draft, code_token(code))
    return code


def find(session: Session, typed: str | None, now: datetime) -> service.OpenDraft | None:
    """The draft a typed code opens, or None: not a code, no such draft, expired or already used."""
    code = normalise_code(typed or "")
    if len(code) != CODE_LENGTH or not set(code) <= set(CODE_ALPHABET):
        return None
    draft = service.find_draft(session, code_token(code), now)
    return draft if draft is not None and not draft.shared else None


def take(session: Session, draft: service.OpenDraft) -> str:
    """Spend the code: the draft moves under a new random token, returned for the browser to keep.
    DraftGone if another request took it first."""
    token = secrets.token_urlsafe(32)
    service.rekey(session, draft, token)
    return token
