"""SQLModel tables; nothing outside storage sees them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JsonType = JSON().with_variant(JSONB(), "postgresql")


def _timestamp() -> Any:
    return Field(sa_column=Column(DateTime(timezone=True), nullable=False))


def _fk(target: str, *, index: bool = True) -> Any:
    return Field(
        sa_column=Column(
            Integer, ForeignKey(target, ondelete="CASCADE"), nullable=False, index=index
        )
    )


class ProjectRow(SQLModel, table=True):
    __tablename__ = "project"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    schema_toml: str
    created_at: dt.datetime = _timestamp()
    # On a team database: may annotators read each other's sets? Off, so they label blind.
    others_visible: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    # Markdown the annotators read beside the text (migration 0010_set_notes).
    guidelines: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class DocumentRow(SQLModel, table=True):
    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("project_id", "digest", name="uq_document_project_digest"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = _fk("project.id")
    title: str = Field(default="", max_length=1000)
    date: dt.date | None = None
    text: str
    digest: str = Field(max_length=64)
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonType, nullable=False))
    created_at: dt.datetime = _timestamp()


class AnnotatorRow(SQLModel, table=True):
    __tablename__ = "annotator"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)


class AnnotationSetRow(SQLModel, table=True):
    __tablename__ = "annotation_set"
    __table_args__ = (
        UniqueConstraint(
            "document_id", "annotator_id", name="uq_annotation_set_document_annotator"
        ),
        # The document list's status filter and sort (migration 0006_list_indexes).
        Index("ix_annotation_set_status", "status", "document_id"),
        Index("ix_annotation_set_annotator_status", "annotator_id", "status", "document_id"),
        # A document's sets by status, for the list's pages (0016_status_pages).
        Index("ix_annotation_set_document_status", "document_id", "status", "annotator_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = _fk("document.id")
    annotator_id: int = _fk("annotator.id", index=False)
    status: str = Field(max_length=16)
    # Bumped by every write; a writer that read an older version is refused, not silently applied.
    version: int = 1
    updated_at: dt.datetime = _timestamp()
    # A curated (gold) set: made by merging annotators' sets (migration 0009_curated).
    curated: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    curator: str | None = Field(default=None, max_length=200)
    # The document note and the seconds of active work on it (migration 0010_set_notes).
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    active_seconds: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    # The annotator's document labels, {attribute: [values]} (migration 0012_document_labels).
    document_labels: dict[str, list[str]] = Field(
        default_factory=dict, sa_column=Column(JsonType, nullable=False, server_default="{}")
    )


class SpanRow(SQLModel, table=True):
    __tablename__ = "span"

    id: int | None = Field(default=None, primary_key=True)
    set_id: int = _fk("annotation_set.id")
    layer: str = Field(max_length=100)
    label: str = Field(max_length=100)
    start_offset: int
    end_offset: int
    text: str
    attributes: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JsonType, nullable=False)
    )
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # In a curated set: the annotators who had this item (empty elsewhere).
    sources: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )


class RelationRow(SQLModel, table=True):
    __tablename__ = "relation"

    id: int | None = Field(default=None, primary_key=True)
    set_id: int = _fk("annotation_set.id")
    type: str = Field(max_length=100)
    head_id: int = _fk("span.id")
    tail_id: int = _fk("span.id")
    attributes: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JsonType, nullable=False)
    )
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # In a curated set: the annotators who had this item (empty elsewhere).
    sources: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )


class SuggestionRow(SQLModel, table=True):
    """A suggestion stored for a document (by batch pre-annotation or an import), for every
    annotator; `key` says what it proposes (see domain.suggestion.proposal_key)."""

    __tablename__ = "suggestion"
    __table_args__ = (
        UniqueConstraint("document_id", "recommender", "key", name="uq_suggestion_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = _fk("document.id")
    recommender: str = Field(max_length=100)
    key: str = Field(sa_column=Column(Text, nullable=False))
    start_offset: int
    end_offset: int
    score: float
    proposal: dict[str, Any] = Field(sa_column=Column(JsonType, nullable=False))


class SuggestionRejectionRow(SQLModel, table=True):
    """A proposal one annotator rejected on one document: not proposed to them there again."""

    __tablename__ = "suggestion_rejection"
    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", "key", name="uq_suggestion_rejection_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = _fk("document.id")
    annotator_id: int = _fk("annotator.id", index=False)
    key: str = Field(sa_column=Column(Text, nullable=False))
    recommender: str = Field(max_length=100)


class CurationRejectionRow(SQLModel, table=True):
    """A disagreement a curator rejected in a curated set: decided, not listed as open again.

    `item` names it (labeler.quality.curation.item_key); `annotators` had it.
    """

    __tablename__ = "curation_rejection"
    __table_args__ = (UniqueConstraint("set_id", "item", name="uq_curation_rejection_item"),)

    id: int | None = Field(default=None, primary_key=True)
    set_id: int = _fk("annotation_set.id")
    item: str = Field(sa_column=Column(Text, nullable=False))
    annotators: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )


class SpanSourceRow(SQLModel, table=True):
    """Which recommender proposed a span that an annotator accepted; goes with the span."""

    __tablename__ = "span_source"

    span_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("span.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    recommender: str = Field(sa_column=Column(String(100), nullable=False))


class ProjectMemberRow(SQLModel, table=True):
    """Who works on a project (on a team database, who may read it)."""

    __tablename__ = "project_member"

    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    )
    annotator_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("annotator.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class AssignmentRow(SQLModel, table=True):
    """A document given to an annotator, at a position in their list."""

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", name="uq_assignment_document_annotator"),
        Index("ix_assignment_annotator_id", "annotator_id", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = _fk("project.id")
    document_id: int = _fk("document.id", index=False)
    annotator_id: int = _fk("annotator.id", index=False)
    position: int


class BundleOriginRow(SQLModel, table=True):
    """In a bundle: an annotator's set's version on the team database and here, when taken."""

    __tablename__ = "bundle_origin"

    document_id: int = Field(
        sa_column=Column(Integer, ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    )
    annotator_id: int = Field(
        sa_column=Column(Integer, ForeignKey("annotator.id", ondelete="CASCADE"), primary_key=True)
    )
    server_version: int
    local_version: int


class PresenceRow(SQLModel, table=True):
    """On a team database: the document each person has open now, and since when (migration
    0015); the row goes when their window closes."""

    __tablename__ = "presence"

    annotator_id: int = Field(
        sa_column=Column(Integer, ForeignKey("annotator.id", ondelete="CASCADE"), primary_key=True)
    )
    project_id: int = _fk("project.id", index=False)
    document_id: int = _fk("document.id", index=False)
    opened_at: dt.datetime = _timestamp()


class IdFloorRow(SQLModel, table=True):
    """The highest id handed out per table, so that none is handed out twice (see bulk)."""

    __tablename__ = "id_floor"

    name: str = Field(max_length=100, primary_key=True)
    last_id: int


def table_of(row: type[SQLModel]) -> Table:
    """The Core table of a row class, for Core statements and bulk writes."""
    table = getattr(row, "__table__", None)  # set by SQLModel, but not declared to type checkers
    if not isinstance(table, Table):
        raise TypeError(f"{row.__name__} is not a table")
    return table


class TrainedModelRow(SQLModel, table=True):
    """A version of a project's model trained in the loop: its folder and its figures."""

    __tablename__ = "trained_model"
    __table_args__ = (UniqueConstraint("project_id", "version", name="uq_trained_model_version"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = _fk("project.id")
    version: int
    created_at: dt.datetime = _timestamp()
    folder: str = Field(sa_column=Column(Text, nullable=False))
    documents: int
    held_out: int
    precision: float
    recall: float
    f1: float
    per_label: dict[str, Any] = Field(sa_column=Column(JsonType, nullable=False))


class TrainingSettingRow(SQLModel, table=True):
    """The lead's settings for a project's model (see domain.trained_model.TrainingPolicy)."""

    __tablename__ = "training_setting"

    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    )
    min_f1: float
    retrain_every: int
