"""A Store: the repositories of one transaction."""

from __future__ import annotations

from sqlmodel import Session

from labeler.storage.annotation_repository import AnnotationRepository
from labeler.storage.assignment_repository import AssignmentRepository
from labeler.storage.bulk import driver_of
from labeler.storage.bulk_rows import Driver
from labeler.storage.bundle_repository import BundleRepository
from labeler.storage.curation_repository import CurationRepository
from labeler.storage.document_repository import DocumentRepository
from labeler.storage.model_repository import ModelRepository
from labeler.storage.project_repository import ProjectRepository
from labeler.storage.schema_change_repository import SchemaChangeRepository
from labeler.storage.search_repository import SearchRepository
from labeler.storage.suggestion_repository import SuggestionRepository
from labeler.storage.team_repository import TeamRepository


class Store:
    """The repositories, all working in the same session and so the same transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.projects = ProjectRepository(session)
        self.documents = DocumentRepository(session)
        self.annotations = AnnotationRepository(session)
        self.schema_changes = SchemaChangeRepository(session)
        self.team = TeamRepository(session)
        self.assignments = AssignmentRepository(session)
        self.bundles = BundleRepository(session)
        self.suggestions = SuggestionRepository(session)
        self.search = SearchRepository(session)
        self.curation = CurationRepository(session)
        self.models = ModelRepository(session)

    def bulk(self) -> Driver:
        """The transaction's connection for the bulk writes of bulk_rows."""
        return driver_of(self.session)
