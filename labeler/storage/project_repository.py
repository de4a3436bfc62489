"""Projects: create, list and read them with their parsed schema."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from labeler.domain.errors import LabelerError, NotFoundError
from labeler.domain.project import Project, ProjectSummary
from labeler.domain.schema_toml import parse_schema
from labeler.storage.plain_read import project_of
from labeler.storage.session_read import reader_of
from labeler.storage.tables import DocumentRow, ProjectRow


class ProjectRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def create(self, name: str, schema_toml: str) -> Project:
        schema = parse_schema(schema_toml, f"schema of project {name!r}")
        if (
            self._session.scalar(select(col(ProjectRow.id)).where(col(ProjectRow.name) == name))
            is not None
        ):
            raise LabelerError(f"a project named {name!r} already exists")
        row = ProjectRow(name=name, schema_toml=schema_toml, created_at=datetime.now(UTC))
        self._session.add(row)
        self._session.flush()
        assert row.id is not None
        return Project(name=name, schema=schema, schema_source=schema_toml, id=row.id)

    def get(self, name: str) -> Project:
        return reader_of(self._session).project(name)

    def get_by_id(self, project_id: int) -> Project:
        row = self._session.get(ProjectRow, project_id)
        if row is None:
            raise NotFoundError(f"no project with id {project_id}")
        return self._project(row)

    def set_schema(self, project_id: int, schema_toml: str) -> Project:
        """Stores a new schema text for the project (checked first) and returns the project."""
        row = self._session.get(ProjectRow, project_id)
        if row is None:
            raise NotFoundError(f"no project with id {project_id}")
        parse_schema(schema_toml, f"schema of project {row.name!r}")
        row.schema_toml = schema_toml
        self._session.flush()
        return self._project(row)

    def set_guidelines(self, project_id: int, guidelines: str) -> Project:
        """Stores the project's guidelines (Markdown) and returns the project."""
        row = self._session.get(ProjectRow, project_id)
        if row is None:
            raise NotFoundError(f"no project with id {project_id}")
        row.guidelines = guidelines
        self._session.flush()
        return self._project(row)

    def names(self) -> list[str]:
        return list(
            self._session.scalars(select(col(ProjectRow.name)).order_by(col(ProjectRow.name)))
        )

    def summaries(self) -> list[ProjectSummary]:
        counts = (
            select(col(DocumentRow.project_id), func.count().label("n"))
            .group_by(col(DocumentRow.project_id))
            .subquery()
        )
        rows = self._session.execute(
            select(ProjectRow, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.project_id == col(ProjectRow.id))
            .order_by(col(ProjectRow.name))
        ).all()
        return [
            ProjectSummary(
                id=row.id,
                name=row.name,
                schema_name=parse_schema(row.schema_toml, f"schema of project {row.name!r}").name,
                documents=n,
            )
            for row, n in rows
        ]

    @staticmethod
    def _project(row: ProjectRow) -> Project:
        assert row.id is not None, "a project row read from the database has an id"
        return project_of(row.id, row.name, row.schema_toml, row.guidelines)
