"""Store questionnaire files as immutable versions, and look versions up for respondents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.questionnaire import VersionConflict, merge_versions
from analysis.yaml_lines import Problem, load_with_lines
from survey_app.caches import app_cache
from survey_app.definitions import Questionnaire as Definition
from survey_app.definitions import QuestionnaireInvalid, build, load_file, questionnaire_files
from survey_app.models import Choice, Item, Questionnaire, QuestionnaireVersion


@dataclass(frozen=True)
class SyncResult:
    slug: str
    path: str
    status: str  # "new questionnaire", "new version", "unchanged", "restored version"
    content_hash: str


def sync_files(session: Session, paths: list[Path]) -> list[SyncResult]:
    """Store every changed file as a new version; raise QuestionnaireInvalid before writing anything,
    also when an item changes type from a stored version."""
    files = questionnaire_files(paths)
    loaded = [(path, load_file(path)) for path in files]
    problems = [
        problem for path, definition in loaded for problem in _changed_types(session, path, definition)
    ]
    if problems:
        raise QuestionnaireInvalid(problems)
    results = [_sync_one(session, path, definition) for path, definition in loaded]
    session.commit()
    return results


def _changed_types(session: Session, path: Path, definition: Definition) -> list[Problem]:
    """An item that changes type from a stored version: its answers could no longer be read
    together with the old ones (see ``merged_definition``), and stored versions are for ever."""
    questionnaire = session.scalar(select(Questionnaire).where(Questionnaire.slug == definition.slug))
    for version in sorted(questionnaire.versions, key=lambda v: -v.id) if questionnaire else ():
        try:
            merge_versions(
                {f"this file ({path.name})": definition.source, version_name(version): version.definition}
            )
        except VersionConflict as conflict:
            return [Problem(str(path), _line_of_type(path, conflict.item_id), str(conflict))]
    return []


def _line_of_type(path: Path, item_id: str) -> int:
    data, lines = load_with_lines(path.read_text("utf-8"))
    for p, page in enumerate(data["pages"]):
        for i, entry in enumerate(page["items"]):
            if entry["id"] == item_id:
                return lines.line_of(("pages", p, "items", i, "type"))
    return 1


def _sync_one(session: Session, path: Path, definition: Definition) -> SyncResult:
    questionnaire = session.scalar(select(Questionnaire).where(Questionnaire.slug == definition.slug))
    status = "new version"
    if questionnaire is None:
        questionnaire = Questionnaire(slug=definition.slug, is_open=True)
        session.add(questionnaire)
        status = "new questionnaire"
    existing = session.scalar(
        select(QuestionnaireVersion).where(QuestionnaireVersion.content_hash == definition.content_hash)
    )
    if existing is not None:
        if existing.questionnaire_id != questionnaire.id:
            raise ValueError(f"{path}: the same content is already stored for another questionnaire")
        status = "unchanged" if questionnaire.current_version_id == existing.id else "restored version"
        questionnaire.current_version = existing
        return SyncResult(definition.slug, str(path), status, definition.content_hash)
    version = QuestionnaireVersion(
        questionnaire=questionnaire,
        content_hash=definition.content_hash,
        definition=definition.source,
        source_text=path.read_text("utf-8"),
        created_at=datetime.now(UTC).replace(tzinfo=None),
    )
    session.add(version)
    position = 0
    for item in definition.items:
        for key in item.answer_keys:
            row = Item(version=version, key=key, kind=item.kind.stored, position=position)
            row.choices = [Choice(value=c.value, position=n) for n, c in enumerate(item.choices)]
            session.add(row)
            position += 1
    session.flush()
    questionnaire.current_version = version
    return SyncResult(definition.slug, str(path), status, definition.content_hash)


#: Parsed versions kept per app: more than are ever answered at once (a dropped one is read again).
VERSIONS = 256


@dataclass(frozen=True)
class SurveyVersion:
    """A version ready to answer: its database id and its parsed definition."""

    version_id: int
    definition: Definition

    @property
    def slug(self) -> str:
        return self.definition.slug


def survey_version(session: Session, version_id: int) -> SurveyVersion | None:
    """The parsed version, read and parsed once per app: versions are never edited or deleted, so a
    cached one is always right, and a request that finds it cached reads no definition at all."""
    versions = app_cache("survey_versions", VERSIONS)
    survey = versions.get(version_id)
    if survey is None:
        row = session.get(QuestionnaireVersion, version_id)
        if row is None:
            return None
        survey = versions[version_id] = SurveyVersion(row.id, build(row.definition))
    return survey


def _open_versions():
    """The current version ids of open surveys, without their definitions (only ids are read)."""
    return (
        select(QuestionnaireVersion.id)
        .join(Questionnaire, Questionnaire.current_version_id == QuestionnaireVersion.id)
        .where(Questionnaire.is_open)
    )


def open_surveys(session: Session) -> list[SurveyVersion]:
    ids = session.scalars(_open_versions().order_by(Questionnaire.slug)).all()
    return [survey_version(session, version_id) for version_id in ids]


def open_survey(session: Session, slug: str) -> SurveyVersion | None:
    """The current version of an open survey, or None when there is no such open survey."""
    version_id = session.scalar(_open_versions().where(Questionnaire.slug == slug))
    return None if version_id is None else survey_version(session, version_id)


def version_name(version: QuestionnaireVersion) -> str:
    """How staff pages and messages name a version: its hash as the staff home page shows it."""
    return f"version {version.content_hash[:12]} of {version.created_at:%Y-%m-%d}"


def merged_definition(questionnaire: Questionnaire) -> dict:
    """The questionnaire across all its versions, for reading answers: every item, choice and label
    any version had (see ``analysis.questionnaire.merge_versions``; VersionConflict if it cannot)."""
    versions = sorted(questionnaire.versions, key=lambda v: (v.id != questionnaire.current_version_id, -v.id))
    return merge_versions({version_name(v): v.definition for v in versions})
