"""Services: the use cases the command line and the window work through, on one database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from labeler.services.agreement import AgreementService
from labeler.services.annotating import AnnotationService
from labeler.services.assigning import AssignmentService
from labeler.services.bundles import BundleService
from labeler.services.curation import CurationService
from labeler.services.documents import DocumentService
from labeler.services.exporting import ExportService
from labeler.services.importing import ImportService
from labeler.services.live import LiveService
from labeler.services.projects import ProjectService
from labeler.services.schema_editing import SchemaEditingService
from labeler.services.searching import SearchService
from labeler.services.suggesting import SuggestionService
from labeler.services.team import TeamService
from labeler.services.training import TrainingService
from labeler.services.who_said_what import WhoSaidWhatService


@dataclass(frozen=True)
class Services:
    """What app.py builds for one database; the command line and the window use only this."""

    database: str
    projects: ProjectService
    documents: DocumentService
    importer: ImportService
    exporter: ExportService
    annotations: AnnotationService
    schemas: SchemaEditingService
    who_said_what: WhoSaidWhatService
    team: TeamService
    assignments: AssignmentService
    bundles: BundleService
    live: LiveService
    suggestions: SuggestionService
    search: SearchService
    agreement: AgreementService
    curation: CurationService
    training: TrainingService
    close: Callable[[], None]
