"""Project use cases: create one from a built-in or user schema, list them, read one."""

from __future__ import annotations

from pathlib import Path

from labeler.domain.errors import LabelerError
from labeler.domain.limits import check_name
from labeler.domain.project import Project, ProjectSummary
from labeler.domain.schema_toml import load_schema_file
from labeler.services.resources import builtin_schemas
from labeler.storage.database import Database


def read_schema_source(schema: str) -> str:
    """The TOML text of a built-in schema by name, or of a schema file by path."""
    builtin = builtin_schemas()
    if schema in builtin:
        return builtin[schema].read_text(encoding="utf-8")
    path = Path(schema)
    if path.suffix.lower() != ".toml" and not path.exists():
        names = ", ".join(builtin)
        raise LabelerError(
            f"unknown schema {schema!r}: give a built-in name ({names}) or a .toml file"
        )
    _, text = load_schema_file(path)  # checks it, naming file and line on error
    return text


class ProjectService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, name: str, schema: str = "news") -> Project:
        name = check_name(name, "a project")
        source = read_schema_source(schema)
        with self._db.transaction() as store:
            return store.projects.create(name, source)

    def list(self) -> list[ProjectSummary]:
        with self._db.reading() as store:
            return store.projects.summaries()

    def get(self, name: str) -> Project:
        with self._db.reading() as store:
            return store.projects.get(name)
