"""Project use cases: create one from a built-in or user schema, list them, read one."""

from __future__ import annotations

from pathlib import Path

from labeler.domain.errors import InputError, LabelerError, Location, RuleError
from labeler.domain.limits import GUIDELINES_MAX, check_name
from labeler.domain.project import Project, ProjectSummary
from labeler.domain.schema import LabelSchema
from labeler.domain.schema_toml import load_schema_file, write_schema
from labeler.formats.brat_conf import read_conf
from labeler.formats.decoding import decode
from labeler.formats.label_configs import LAYER as DATA_LAYER
from labeler.formats.label_configs import (
    is_doccano_label_list,
    schema_from_doccano,
    schema_from_labelstudio,
)
from labeler.services.label_additions import label_additions
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


def schema_from(source: Path, name: str) -> LabelSchema:
    """A schema made from `source` (see ProjectService.create_from)."""
    if not source.exists():
        raise InputError(Location(str(source)), "no such file or folder")
    if source.suffix == ".conf" or (source / "annotation.conf").is_file():
        return read_conf(source, name)
    if source.suffix.lower() in (".xml", ".json"):
        text = decode(source.read_bytes(), str(source))
        if source.suffix.lower() == ".xml":
            return schema_from_labelstudio(text, name, str(source))
        if is_doccano_label_list(text):
            return schema_from_doccano(text, name, str(source))
    grown = label_additions(LabelSchema(name, ()), [source], layer=DATA_LAYER).schema
    if not grown.layers:
        raise InputError(Location(str(source)), "holds no labelled spans to make a schema of")
    return grown


class ProjectService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, name: str, schema: str = "news") -> Project:
        name = check_name(name, "a project")
        source = read_schema_source(schema)
        with self._db.transaction() as store:
            return store.projects.create(name, source)

    def create_from(self, name: str, source: Path) -> Project:
        """Creates a project whose schema is made from the data or its tool's configuration:
        a brat `annotation.conf` (or a folder holding one), a Label Studio labelling config
        (.xml), a doccano label list (.json), or any file or folder labeler imports (the
        labels, relation types and attribute values it uses)."""
        name = check_name(name, "a project")
        schema = schema_from(source, name)
        with self._db.transaction() as store:
            return store.projects.create(name, write_schema(schema))

    def list(self) -> list[ProjectSummary]:
        with self._db.reading() as store:
            return store.projects.summaries()

    def get(self, name: str) -> Project:
        with self._db.reading() as store:
            return store.projects.get(name)

    def set_guidelines(self, name: str, guidelines: str) -> Project:
        """Stores a project's guidelines (Markdown; empty removes them)."""
        if len(guidelines) > GUIDELINES_MAX:
            raise RuleError(
                f"the guidelines have {len(guidelines):,} characters; at most "
                f"{GUIDELINES_MAX:,} are kept"
            )
        with self._db.transaction() as store:
            project = store.projects.get(name)
            kept = guidelines.strip()
            return store.projects.set_guidelines(project.id, kept + "\n" if kept else "")

    def guidelines_from(self, name: str, path: Path) -> Project:
        """Sets a project's guidelines from a Markdown (or plain text) file in UTF-8."""
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise InputError(Location(str(path)), f"cannot read it: {error.strerror}") from None
        except UnicodeDecodeError:
            raise InputError(Location(str(path)), "it is not UTF-8 text") from None
        return self.set_guidelines(name, text)
