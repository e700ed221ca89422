"""Distribution links per channel (a school, a youth club, an event), their one-time access codes,
and the warnings that keep small channels from identifying people."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

import segno
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.stats import DisclosureRules
from survey_app.accounts import record
from survey_app.models import (
    CHANNEL_TYPES,
    DEVICE_MODES,
    SHARED_DEVICE_TYPES,
    AccessCode,
    ActivityCount,
    Channel,
    Questionnaire,
)
from survey_app.surveys.activity import STARTED, SUBMITTED
from survey_app.surveys.channels import district_names, new_code

MAX_CODES_AT_ONCE = 1000


class ChannelRefused(ValueError):
    """The channel or codes cannot be made as asked; the message says why."""


def district_choices() -> list[tuple[str, str]]:
    """(area value, district name) for every district the questionnaires' area question offers."""
    return sorted(district_names().items(), key=lambda pair: pair[1])


def usual_devices(type: str) -> str:
    """Shared devices where young people usually answer on the place's tablets or laptops."""
    return "shared" if type in SHARED_DEVICE_TYPES else "personal"


def add_channel(
    session: Session,
    actor_id: int,
    survey: Questionnaire,
    *,
    name: str,
    type: str,
    area: str | None,
    expected_size: int | None,
    requires_code: bool,
    codes: int,
    devices: str | None = None,
    offline: bool = False,
) -> Channel:
    """A new link; ``devices`` "shared" or "personal", or None for what is usual for its type;
    ``offline``: it works without a signal (see taking/offline.py)."""
    name = name.strip()
    if not 1 <= len(name) <= 120:
        raise ChannelRefused("give the link a name of up to 120 characters, like 'Year 9, City School'")
    if type not in CHANNEL_TYPES:
        raise ChannelRefused(f"'{type}' is not a channel type; choose one of {', '.join(CHANNEL_TYPES)}")
    if area is not None and area not in district_names():
        raise ChannelRefused(f"'{area}' is not a district; choose one from the list")
    devices = devices or usual_devices(type)
    if devices not in DEVICE_MODES:
        raise ChannelRefused(f"'{devices}' is not a kind of device; choose one of {', '.join(DEVICE_MODES)}")
    if expected_size is not None and not 1 <= expected_size <= 1_000_000:
        raise ChannelRefused("the number of people the link reaches must be between 1 and 1,000,000")
    _offline_without_codes(offline, requires_code)
    channel = Channel(
        questionnaire_id=survey.id,
        key=_unused_key(session),
        name=name,
        type=type,
        area=area,
        expected_size=expected_size,
        requires_code=requires_code,
        devices=devices,
        offline=offline,
        active=True,
        created_at=datetime.now(UTC).replace(tzinfo=None),
    )
    session.add(channel)
    session.flush()
    record(
        session,
        actor_id,
        "channel added",
        survey=survey.slug,
        channel=channel.id,
        type=type,
        area=area,
        devices=devices,
        offline=offline,
    )
    if requires_code and codes:
        _add_codes(session, channel, codes)
        record(session, actor_id, "access codes added", channel=channel.id, count=codes)
    session.commit()
    return channel


def set_devices(
    session: Session, actor_id: int, channel: Channel, devices: str, offline: bool = False
) -> None:
    """Switch a link between shared and personal devices, and whether it works without a signal;
    drafts already started keep their way, and surveys queued on devices are still taken."""
    if devices not in DEVICE_MODES:
        raise ChannelRefused(f"'{devices}' is not a kind of device; choose one of {', '.join(DEVICE_MODES)}")
    _offline_without_codes(offline, channel.requires_code)
    channel.devices = devices
    channel.offline = offline
    record(session, actor_id, "channel devices changed", channel=channel.id, devices=devices, offline=offline)
    session.commit()


def _offline_without_codes(offline: bool, requires_code: bool) -> None:
    if offline and requires_code:
        raise ChannelRefused(
            "a link that works without a signal cannot ask for access codes, which are "
            "checked online: choose one or the other"
        )


def _unused_key(session: Session) -> str:
    while True:
        key = secrets.token_urlsafe(6)
        if session.scalar(select(Channel.id).where(Channel.key == key)) is None:
            return key


def add_codes(session: Session, actor_id: int, channel: Channel, count: int) -> list[str]:
    codes = _add_codes(session, channel, count)
    record(session, actor_id, "access codes added", channel=channel.id, count=count)
    session.commit()
    return codes


def _add_codes(session: Session, channel: Channel, count: int) -> list[str]:
    if not 1 <= count <= MAX_CODES_AT_ONCE:
        raise ChannelRefused(f"make between 1 and {MAX_CODES_AT_ONCE} codes at a time")
    codes: set[str] = set()
    while len(codes) < count:
        candidates = {new_code() for _ in range(count - len(codes))} - codes
        taken = set(session.scalars(select(AccessCode.code).where(AccessCode.code.in_(candidates))))
        codes |= candidates - taken
    session.add_all(AccessCode(code=code, channel_id=channel.id, used=False) for code in sorted(codes))
    session.flush()
    return sorted(codes)


def channel_of(session: Session, survey: Questionnaire, channel_id: int) -> Channel | None:
    channel = session.get(Channel, channel_id)
    return channel if channel is not None and channel.questionnaire_id == survey.id else None


def unused_codes(session: Session, channel: Channel) -> list[str]:
    return list(
        session.scalars(
            select(AccessCode.code)
            .where(AccessCode.channel_id == channel.id, AccessCode.used.is_(False))
            .order_by(AccessCode.code)
        )
    )


@dataclass
class ChannelRow:
    channel: Channel
    started: int
    submitted: int
    codes: int
    codes_used: int
    #: channels sharing this one's type and area: responses cannot tell them apart
    pooled_with: list[str] = field(default_factory=list)
    #: too few people for this channel's own figures to be safe
    small: bool = False


def channel_rows(
    session: Session, survey: Questionnaire, rules: DisclosureRules | None = None
) -> list[ChannelRow]:
    rules = rules or DisclosureRules()
    channels = list(
        session.scalars(select(Channel).where(Channel.questionnaire_id == survey.id).order_by(Channel.id))
    )
    totals = {
        (channel_id, event): count
        for channel_id, event, count in session.execute(
            select(ActivityCount.channel_id, ActivityCount.event, func.sum(ActivityCount.count))
            .where(
                ActivityCount.channel_id.in_([c.id for c in channels]),
                ActivityCount.event.in_([STARTED, SUBMITTED]),
            )
            .group_by(ActivityCount.channel_id, ActivityCount.event)
        )
    }
    codes = {
        (channel_id, used): count
        for channel_id, used, count in session.execute(
            select(AccessCode.channel_id, AccessCode.used, func.count())
            .where(AccessCode.channel_id.in_([c.id for c in channels]))
            .group_by(AccessCode.channel_id, AccessCode.used)
        )
    }
    rows = []
    for channel in channels:
        submitted = totals.get((channel.id, SUBMITTED), 0)
        size = channel.expected_size if channel.expected_size is not None else submitted
        used = codes.get((channel.id, True), 0)
        rows.append(
            ChannelRow(
                channel,
                totals.get((channel.id, STARTED), 0),
                submitted,
                codes.get((channel.id, False), 0) + used,
                used,
                [
                    other.name
                    for other in channels
                    if other.id != channel.id and (other.type, other.area) == (channel.type, channel.area)
                ],
                size < rules.min_count,
            )
        )
    return rows


def qr_path(text: str, border: int = 4) -> tuple[str, int]:
    """An SVG path drawing the QR code of ``text`` (one unit per module, quiet zone included) and the
    code's width in modules. Error correction M survives a crease or a smudge on a poster."""
    code = segno.make(text, error="m", micro=False)
    parts = []
    for y, row in enumerate(code.matrix_iter(border=border)):
        x = 0
        for dark, run in _runs(row):
            if dark:
                parts.append(f"M{x} {y}h{run}v1h-{run}z")
            x += run
    return "".join(parts), code.symbol_size(border=border)[0]


def _runs(row) -> list[tuple[bool, int]]:
    runs: list[tuple[bool, int]] = []
    for module in row:
        dark = bool(module)
        if runs and runs[-1][0] == dark:
            runs[-1] = (dark, runs[-1][1] + 1)
        else:
            runs.append((dark, 1))
    return runs
