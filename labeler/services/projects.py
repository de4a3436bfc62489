"""Project use cases: create one from a built-in or user schema, list them, read one."""

from __future__ import annotations

from pathlib import Path

from labeler.domain.errors import LabelerError
from labeler.domain.limits import check_name
from labeler.domain.project import Project, ProjectSummary
from labeler.domain.schema_toml import load_schema_file, write_schema
from labeler.formats.brat_conf import read_conf
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

    def create_from(self, name: str, source: Path) -> Project:
        """Creates a project whose schema is made from the data's configuration at `source`:
        a brat `annotation.conf` (or a folder holding one)."""
        name = check_name(name, "a project")
        if source.is_dir() or source.name == "annotation.conf" or source.suffix == ".conf":
            schema = read_conf(source, name)
        else:
            raise LabelerError(
                f"cannot make a schema from {source}: give a brat annotation.conf or its folder"
            )
        with self._db.transaction() as store:
            return store.projects.create(name, write_schema(schema))

    def list(self) -> list[ProjectSummary]:
        with self._db.reading() as store:
            return store.projects.summaries()

    def get(self, name: str) -> Project:
        with self._db.reading() as store:
            return store.projects.get(name)
