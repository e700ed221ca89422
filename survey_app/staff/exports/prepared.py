"""Exports made in the background: the downloads that can take longer than a web worker may spend
on one request (gunicorn ends a worker after 30 seconds) are made by a thread, into
``prepared_export``, while the request waits a few seconds for them. When a file is not ready by
then, a page says it is being prepared and links to it once it is.

Any worker can answer that page and the download, because the file and its state are in the
database. A worker that stops (a restart, a deployment) takes its threads with it: a file still
being made after ``PREPARING_LIMIT`` is reported as stopped, and can be asked for again. Files are
a copy of microdata, so they are kept for ``KEEP`` only, and only the account that asked for one
may download it. The SNA report is made here too (``sna.<format>``): it covers both standard
surveys, so its rows name no questionnaire.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import delete, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from survey_app.models import PreparedExport, Questionnaire
from survey_app.reports.render import RendererUnavailable
from survey_app.results import AnalysisRefused

from ..reports import service as reports
from .service import Export, ExportRefused, chosen_export, export_responses, export_tables

PREPARING_LIMIT = timedelta(minutes=15)
KEEP = timedelta(hours=1)
STOPPED = (
    "Making the file stopped before it was finished (the server may have restarted). "
    "Ask for it again from the page you asked on."
)
FAILED = (
    "Something went wrong while making the file. Ask for it again from the page you asked on; "
    "if it goes wrong again, tell the site's administrators."
)
#: The SNA report in each format: ``sna.html``, ``sna.pdf``, ``sna.docx``.
REPORT = "sna."

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """Where an export made in the background has got to: ``status`` is one of PREPARED_STATUSES."""

    id: int
    status: str
    filename: str | None
    error: str | None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def prepare(
    session: Session,
    actor_id: int,
    survey: Questionnaire | None,
    kind: str,
    wave: str | None,
    wait: float,
    compare: str | None = None,
) -> Prepared:
    """Make the export ``kind`` (one of PREPARED_KINDS) of ``wave`` in the background, waiting up to
    ``wait`` seconds for it; ``survey`` is None for the SNA report, which may ``compare`` with a
    second wave. Refuses as the export itself would (UnknownWave, NothingToExport) before anything
    starts; the same account asking again for a file still being made gets that one."""
    if survey is not None:
        chosen_export(session, survey, wave)
    survey_id = survey.id if survey is not None else None
    now = _now()
    session.execute(delete(PreparedExport).where(PreparedExport.requested_at < now - KEEP))
    job = session.scalar(
        select(PreparedExport).where(
            PreparedExport.user_id == actor_id,
            PreparedExport.questionnaire_id.is_not_distinct_from(survey_id),
            PreparedExport.kind == kind,
            PreparedExport.wave.is_not_distinct_from(wave),
            PreparedExport.compare.is_not_distinct_from(compare),
            PreparedExport.status == "preparing",
            PreparedExport.requested_at >= now - PREPARING_LIMIT,
        )
    )
    if job is not None:
        session.commit()
        return _state(job)
    job = PreparedExport(
        user_id=actor_id,
        questionnaire_id=survey_id,
        kind=kind,
        wave=wave,
        compare=compare,
        status="preparing",
        requested_at=now,
    )
    session.add(job)
    session.commit()
    maker = threading.Thread(
        target=_make,
        args=(current_app._get_current_object(), session.get_bind(), job.id),
        name=f"export-{job.id}",
        daemon=True,
    )
    maker.start()
    maker.join(wait)
    session.refresh(job)
    return _state(job)


def _export(session: Session, job: PreparedExport) -> Export:
    if job.kind.startswith(REPORT) and job.wave is not None:
        made = reports.download(session, job.user_id, job.wave, job.compare, job.kind.removeprefix(REPORT))
        return Export(made.filename, made.mimetype, (made.data,))
    survey = session.get_one(Questionnaire, job.questionnaire_id)
    if job.kind == "tables.xlsx":
        return export_tables(session, job.user_id, survey, job.wave)
    return export_responses(session, job.user_id, survey, job.wave, job.kind.removeprefix("responses."))


def _make(app: Flask, bind: Engine | Connection, job_id: int) -> None:
    """In a thread of its own, with a session of its own: make the file and store it, or why not.
    The app's context is there for what renders templates (the SNA report), as on the command line."""
    with app.app_context(), Session(bind, expire_on_commit=False) as session:
        job = session.get_one(PreparedExport, job_id)
        try:
            export = _export(session, job)
            data = b"".join(export.chunks)
        except (ExportRefused, AnalysisRefused, RendererUnavailable) as refused:
            session.rollback()
            job.status, job.error = "failed", str(refused)
        except Exception:
            log.exception("export %s could not be made", job_id)
            session.rollback()
            job.status, job.error = "failed", FAILED
        else:
            job.status, job.filename, job.mimetype, job.data = "ready", export.filename, export.mimetype, data
        session.commit()


def _state(job: PreparedExport) -> Prepared:
    if job.status == "preparing" and job.requested_at < _now() - PREPARING_LIMIT:
        return Prepared(job.id, "failed", None, STOPPED)
    return Prepared(job.id, job.status, job.filename, job.error)


def prepared(
    session: Session, actor_id: int, survey: Questionnaire | None, prepared_id: int
) -> Prepared | None:
    """The export ``prepared_id`` of ``survey`` (None: the SNA report) if ``actor_id`` asked for it
    and it is still kept, else None."""
    job = session.get(PreparedExport, prepared_id)
    if (
        job is None
        or (job.user_id, job.questionnaire_id) != (actor_id, survey.id if survey is not None else None)
        or job.requested_at < _now() - KEEP
    ):
        return None
    return _state(job)


def prepared_file(
    session: Session, actor_id: int, survey: Questionnaire | None, prepared_id: int
) -> Export | None:
    """The file of the export ``prepared_id`` of ``survey`` if it is ready for ``actor_id``, else None."""
    state = prepared(session, actor_id, survey, prepared_id)
    if state is None or state.status != "ready":
        return None
    job = session.get_one(PreparedExport, prepared_id)
    return Export(job.filename, job.mimetype, (job.data,))
