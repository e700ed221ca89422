"""How surveys reach people: distribution channels, one-time access codes and aggregate counters.

None of these tables can say who answered, or which response came from which code: a response
keeps only its channel's type and area, a code only whether it has been used, and the counters only
totals per week.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, one_of

#: Kinds of place a link is given out; each response records its channel's type, never the channel.
CHANNEL_TYPES = ("school", "college", "youth_club", "community_group", "event", "online", "other")
#: How a link's respondents answer: on devices passed from one person to the next, or on their own.
DEVICE_MODES = ("shared", "personal")
#: Where young people usually answer on the place's tablets or laptops: links there are shared-device
#: links unless staff choose otherwise.
SHARED_DEVICE_TYPES = ("school", "youth_club", "event")


class Channel(Base):
    """A distribution link for one place or group (a school, a youth club, an event)."""

    __tablename__ = "channel"
    __table_args__ = (
        one_of("type", CHANNEL_TYPES, name="type_known"),
        one_of("devices", DEVICE_MODES, name="devices_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"), index=True)
    #: the random part of the link, /s/<slug>/?via=<key>
    key: Mapped[str] = mapped_column(String(16), unique=True)
    #: for staff only ("Year 9, Beaumont Leys School"); never copied onto responses
    name: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(20))
    #: the district value (as in the questionnaires' area question), or none for an online link
    area: Mapped[str | None] = mapped_column(String(40))
    #: how many people the link reaches, if staff know; small channels get a warning
    expected_size: Mapped[int | None]
    #: a closed group: each person needs a one-time access code
    requires_code: Mapped[bool] = mapped_column(default=False)
    #: "shared": one device, one person after another: no resuming, answers cleared when someone
    #: finishes, leaves or stops for a few minutes; "personal": a person's own phone, resume codes
    devices: Mapped[str] = mapped_column(String(10), default="personal")
    #: works without a signal: with JavaScript, the survey is cached on the device and completed
    #: surveys wait there until they can be sent (never with access codes, which need the server)
    offline: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class AccessCode(Base):
    """A one-time code for a closed group. Deliberately unlinked to responses: it records only
    that it was used, so it stops a second submission without saying whose answers are whose."""

    __tablename__ = "access_code"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"), index=True)
    used: Mapped[bool] = mapped_column(default=False)


class ActivityCount(Base):
    """Aggregate counters: surveys started, pages completed and responses submitted, per ISO week.

    No row is about a person; a count only grows. ``wave_id`` and ``channel_id`` are 0 when there
    was none, so that every part of the key is a value and increments can be upserts.
    """

    __tablename__ = "activity_count"
    __table_args__ = (CheckConstraint("count >= 0", name="count_not_negative"),)

    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"), primary_key=True)
    wave_id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(primary_key=True)
    #: ISO week, "2026-W48"
    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: "started", "page:<page id>" (first completion of that page in a draft) or "submitted"
    event: Mapped[str] = mapped_column(String(80), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
