"""Distribution links and one-time access codes, as respondents meet them.

A link (/s/<slug>/?via=<key>) tells the survey which channel it came through; a response keeps only
that channel's type and area. A code only ever records that it was used, from the moment the
survey starts.
"""

from __future__ import annotations

import functools
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from analysis.districts import load_districts
from survey_app.models import AccessCode, Channel, Questionnaire

#: How each channel type is named, to staff and on the respondent's "what we stored".
TYPE_LABELS = {
    "school": _l("School"),
    "college": _l("College"),
    "youth_club": _l("Youth club"),
    "community_group": _l("Community group"),
    "event": _l("Event"),
    "online": _l("Online"),
    "other": _l("Somewhere else"),
}

#: No 0/O, 1/I/L: codes are read off paper and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What someone typed, as stored: capitals, without spaces or hyphens."""
    return "".join(typed.split()).replace("-", "").upper()


def display_code(code: str) -> str:
    """ABCD-EFGH: easier to read out and copy than eight letters in a row."""
    return f"{code[:4]}-{code[4:]}"


@functools.cache
def district_names() -> dict[str, str]:
    """{area value: district name} from the shipped districts file, read once per process."""
    districts = load_districts()
    return dict(zip(districts["area"], districts["lad_name"], strict=True))


def describe_channel(channel_type: str, area: str | None) -> str:
    """ "School, Leicester": what a response records about the link it came through."""
    if area is None:
        return str(TYPE_LABELS[channel_type])
    return f"{TYPE_LABELS[channel_type]}, {district_names().get(area, area)}"


def link_channel(session: Session, slug: str, key: str | None) -> Channel | None:
    """The active channel of this survey that a link's key names, or None."""
    if not key:
        return None
    return session.scalar(
        select(Channel)
        .join(Questionnaire, Questionnaire.id == Channel.questionnaire_id)
        .where(Questionnaire.slug == slug, Channel.key == key, Channel.active)
    )


class CodeRefused(ValueError):
    """The code cannot be used; ``reason`` is "missing" or "refused" (unknown and used codes get
    the same answer, so trying codes tells nobody which ones exist)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def use_code(session: Session, channel: Channel, typed: str | None) -> None:
    """Mark the code used, in the caller's transaction, as the survey starts: the code is spent
    before any answer exists, so no row ever holds a code beside answers. CodeRefused if the code
    is not one of the channel's unused codes (a race with another start included)."""
    code = normalise_code(typed or "")
    if not code:
        raise CodeRefused("missing")
    result = session.execute(
        update(AccessCode)
        .where(AccessCode.code == code, AccessCode.channel_id == channel.id, AccessCode.used.is_(False))
        .values(used=True)
    )
    if result.rowcount != 1:
        raise CodeRefused("refused")
