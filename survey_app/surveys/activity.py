"""Aggregate activity counters: how many surveys were started, pages completed and responses
submitted, per questionnaire version, wave, channel and ISO week. Nothing here is about a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from survey_app.models import ActivityCount

STARTED = "started"
SUBMITTED = "submitted"


def page_event(page_id: str) -> str:
    return f"page:{page_id}"


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def count(
    session: Session,
    *,
    version_id: int,
    wave_id: int | None,
    channel_id: int | None,
    event: str,
    now: datetime,
) -> None:
    """Add one to a counter (an upsert, safe under concurrent workers); the caller commits."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(ActivityCount).values(
        version_id=version_id,
        wave_id=wave_id or 0,
        channel_id=channel_id or 0,
        week=iso_week(now),
        event=event,
        count=1,
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["version_id", "wave_id", "channel_id", "week", "event"],
            set_={"count": ActivityCount.count + 1},
        )
    )
