"""The Sample project a new user finds on the first run."""

from __future__ import annotations

from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.services.resources import sample_articles

SAMPLE_PROJECT = "Sample"
SAMPLE_ANNOTATOR = "sample"


def seed_sample(projects: ProjectService, importer: ImportService) -> None:
    """Creates the Sample project with the news schema and the articles that ship with labeler."""
    projects.create(SAMPLE_PROJECT, "news")
    importer.import_paths(SAMPLE_PROJECT, [sample_articles()], annotator=SAMPLE_ANNOTATOR)
