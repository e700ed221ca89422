"""Questionnaires and their immutable, content-addressed versions.

Items and choices are rows too, so the database itself refuses an answer to a question that does
not exist or a choice that the question does not offer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from analysis.item_types import STORED_KINDS

from .base import Base, one_of


class Questionnaire(Base):
    __tablename__ = "questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable URL name, /s/<slug>/
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    #: open surveys are listed on / and accept responses
    is_open: Mapped[bool] = mapped_column(default=True)
    #: the version new respondents get; drafts keep the version they started on
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_version.id", use_alter=True, name="fk_questionnaire_current_version")
    )

    #: the wave new responses join; none until staff name one
    current_wave_id: Mapped[int | None] = mapped_column(
        ForeignKey("wave.id", use_alter=True, name="fk_questionnaire_current_wave")
    )

    current_version: Mapped[QuestionnaireVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    current_wave: Mapped[Wave | None] = relationship(foreign_keys=[current_wave_id], post_update=True)
    versions: Mapped[list[QuestionnaireVersion]] = relationship(
        back_populates="questionnaire",
        foreign_keys="QuestionnaireVersion.questionnaire_id",
        order_by="QuestionnaireVersion.id",
    )


class QuestionnaireVersion(Base):
    __tablename__ = "questionnaire_version"
    __table_args__ = (CheckConstraint("length(content_hash) = 64", name="hash_is_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"))
    #: sha256 of the canonical JSON of the definition: the version's identity
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the checked definition, as parsed from YAML; never edited after insert
    definition: Mapped[dict] = mapped_column(JSON)
    #: the YAML file as it was synced, comments included, for the record
    source_text: Mapped[str] = mapped_column(Text)
    #: when staff synced it (not respondent data)
    created_at: Mapped[datetime]

    questionnaire: Mapped[Questionnaire] = relationship(
        back_populates="versions", foreign_keys=[questionnaire_id]
    )
    items: Mapped[list[Item]] = relationship(back_populates="version", order_by="Item.position")


class Item(Base):
    """One answerable key: a question, or one statement of a rating scale."""

    __tablename__ = "item"
    __table_args__ = (
        UniqueConstraint("version_id", "key"),
        one_of("kind", STORED_KINDS, name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    #: the item or statement id from the YAML
    key: Mapped[str] = mapped_column(String(60))
    #: how the answer is stored: one choice, several choices, a number or text (``STORED_KINDS``)
    kind: Mapped[str] = mapped_column(String(10))
    position: Mapped[int]

    version: Mapped[QuestionnaireVersion] = relationship(back_populates="items")
    choices: Mapped[list[Choice]] = relationship(back_populates="item", order_by="Choice.position")


class Choice(Base):
    __tablename__ = "choice"
    __table_args__ = (
        UniqueConstraint("item_id", "value"),
        # Lets answers reference (item, choice) together, so a choice of another item is refused.
        UniqueConstraint("item_id", "id", name="uq_choice_item_id_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    #: the stable choice value from the YAML
    value: Mapped[str] = mapped_column(String(60))
    position: Mapped[int]

    item: Mapped[Item] = relationship(back_populates="choices")


class Wave(Base):
    """A round of fieldwork, e.g. "Autumn 2026", so results can be compared wave on wave.

    Synthetic waves (demo data) are flagged so that they never mix with real responses.
    """

    __tablename__ = "wave"
    __table_args__ = (UniqueConstraint("questionnaire_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"))
    #: stable short name used on the command line and in exports, e.g. "2026-autumn" or "demo"
    key: Mapped[str] = mapped_column(String(60))
    #: what people read, e.g. "Autumn 2026"
    label: Mapped[str] = mapped_column(String(120))
    #: made by `insight demo-data`; excluded from every real analysis
    synthetic: Mapped[bool] = mapped_column(default=False)
