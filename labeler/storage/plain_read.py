"""What an export reads, in plain SQL on any DB-API connection: the one reading code both for
the usual path (the driver's connection under a SQLAlchemy session, SQLite or PostgreSQL) and
for the lean one (sqlite3 alone, which starts without importing SQLAlchemy at all).

Values come as the drivers give them: JSON as text (sqlite3) or decoded (psycopg), dates as
ISO text (sqlite3) or dates (psycopg); each is converted here the same way either way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Protocol, TypeVar

from labeler.domain.annotation import AnnotationSet, Relation, Span, Status
from labeler.domain.document import Document
from labeler.domain.errors import NotFoundError, did_you_mean
from labeler.domain.limits import cut_title
from labeler.domain.project import Project
from labeler.domain.schema import LabelSchema
from labeler.domain.schema_toml import parse_schema
from labeler.domain.spans import SPAN_SETTERS
from labeler.domain.suggestion import Suggestion, proposal_from_dict


class Cursor(Protocol):
    """The part of a DB-API cursor the reader uses."""

    def execute(self, sql: str, params: Sequence[Any], /) -> Any: ...
    def fetchall(self) -> Sequence[Any]: ...
    def close(self) -> None: ...


class Connection(Protocol):
    """The part of a DB-API connection the reader uses."""

    def cursor(self) -> Any: ...


@dataclass(frozen=True)
class SharedDocuments:
    """Documents that several annotation sets lie on: how many, who made those sets, and a few
    of them (id, title, annotators) to name."""

    count: int
    annotators: list[str]
    examples: list[tuple[int, str, list[str]]]


_T = TypeVar("_T")
_CHUNK = 500  # ids per IN (...) list: well under every engine's parameter limit


def chunks(items: Sequence[_T], size: int = _CHUNK) -> Iterator[Sequence[_T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def load_json(value: Any) -> dict[str, Any]:
    """A JSON column's value as read: drivers give text (SQLite) or an object (PostgreSQL)."""
    if value is None or value == "{}":
        return {}
    if isinstance(value, str):
        loaded: dict[str, Any] = json.loads(value)  # the JSON columns hold objects only
        return loaded
    return dict(value)


def _json_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return list(json.loads(value)) if value != "[]" else []
    return list(value or ())


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


# Documents are built by setting their slots, as spans are (see domain.spans.built_span), with
# the digest their row keeps (written from the same text at import, and the text never
# changes): hashing every text again took a tenth of a JSONL export.
_DOCUMENT_FIELDS = ("text", "title", "date", "meta", "id", "digest")
assert tuple(f.name for f in fields(Document)) == _DOCUMENT_FIELDS, "Document's fields changed"
_SET_DOCUMENT = tuple(getattr(Document, name).__set__ for name in _DOCUMENT_FIELDS)


def documents_of(rows: Iterable[Sequence[Any]]) -> list[Document]:
    """Documents from rows of (id, title, date, text, meta, digest): what Document(...) gives
    for them, but for the digest, taken as stored."""
    found: list[Document] = []
    new = object.__new__
    text_, title_, date_, meta_, id_, digest_ = _SET_DOCUMENT
    for doc_id, title, day, text, meta, digest in rows:
        document = new(Document)
        text_(document, text)
        title_(document, cut_title(title))
        date_(document, _day(day))
        meta_(document, {} if meta == "{}" else load_json(meta))
        id_(document, doc_id)
        digest_(document, digest)
        found.append(document)
    return found


def spans_of(rows: Iterable[Sequence[Any]]) -> dict[int, Span]:
    """Spans by id from rows of (id, layer, label, start, end, text, attributes, note): one
    pass, as this runs for every span of an export."""
    found: dict[int, Span] = {}
    new = object.__new__
    start_, end_, label_, layer_, text_, attributes_, id_, note_ = SPAN_SETTERS  # see built_span
    for span_id, layer, label, start, end, covered, attrs, note in rows:
        span = new(Span)
        start_(span, start)
        end_(span, end)
        label_(span, label)
        layer_(span, layer)
        text_(span, covered)
        attributes_(span, {} if attrs == "{}" else load_json(attrs))
        id_(span, span_id)
        note_(span, note)
        found[span_id] = span
    return found


def spans_by_set(rows: Iterable[Sequence[Any]]) -> dict[int, dict[int, Span]]:
    """Spans by set id and span id, from rows of (set id, id, layer, label, start, end, text,
    attributes, note)."""
    return {set_id: spans_of(found) for set_id, found in by_set(rows).items()}


def relations_of(rows: Iterable[Sequence[Any]]) -> dict[int, Relation]:
    """Relations by id from rows of (id, type, head, tail, attributes, note)."""
    return {
        rel_id: Relation(
            rel_type, head, tail, {} if attrs == "{}" else load_json(attrs), rel_id, note
        )
        for rel_id, rel_type, head, tail, attrs, note in rows
    }


def labels_of(stored: Any) -> dict[str, tuple[str, ...]]:
    """A set's document labels as stored (JSON of lists of values by name)."""
    if not stored or stored == "{}":
        return {}
    return {name: tuple(values) for name, values in load_json(stored).items()}


def by_set(rows: Iterable[Sequence[Any]]) -> dict[int, list[Sequence[Any]]]:
    """Rows whose first column is a set id, grouped by it (the rest of each row)."""
    groups: dict[int, list[Sequence[Any]]] = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row[1:])
    return groups


SET_COLUMNS = (
    "s.id, s.document_id, s.status, s.version, a.name, s.note, s.active_seconds, s.document_labels"
)
SPAN_COLUMNS = "id, layer, label, start_offset, end_offset, text, attributes, note"
RELATION_COLUMNS = "id, type, head_id, tail_id, attributes, note"


_STATUSES = {status.value: status for status in Status}  # Status(value), without its call


def assemble(
    heads: Sequence[Sequence[Any]],
    spans: dict[int, dict[int, Span]],
    relations: dict[int, dict[int, Relation]],
    schema: LabelSchema,
) -> list[tuple[int, AnnotationSet]]:
    """(document id, set) pairs from rows in SET_COLUMNS' order and their items by set id."""
    return [
        (
            document_id,
            AnnotationSet(
                schema=schema,
                annotator=name,
                status=_STATUSES[status],
                spans=spans.get(set_id, {}),
                relations=relations.get(set_id, {}),
                id=set_id,
                version=version,
                note=note,
                active_seconds=seconds,
                document_labels=labels_of(labels),
            ),
        )
        for set_id, document_id, status, version, name, note, seconds, labels in heads
    ]


def project_of(project_id: int, name: str, schema_toml: str, guidelines: str) -> Project:
    """A project from its stored row, its schema parsed."""
    schema = parse_schema(schema_toml, f"schema of project {name!r}")
    return Project(
        name=name, schema=schema, schema_source=schema_toml, id=project_id, guidelines=guidelines
    )


class PlainReader:
    """The reads of an export, on a DB-API connection inside the caller's transaction.

    `mark` is the driver's placeholder: "?" for sqlite3 (qmark), "%s" for psycopg. On SQLite
    the spans come a set at a time as JSON (see _spans) unless `json_groups` is off.
    """

    def __init__(self, connection: Connection, mark: str, json_groups: bool = True) -> None:
        self._connection = connection
        self._mark = mark
        self._grouped = json_groups and mark == "?"

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """A query's rows; `sql` marks its parameters with `?`, put in the driver's way."""
        if self._mark != "?":
            sql = sql.replace("?", self._mark)
        cursor = self._connection.cursor()
        try:
            cursor.execute(sql, tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    @staticmethod
    def marks(n: int) -> str:
        """The placeholders of an IN list of n values."""
        return ", ".join("?" * n)

    def project(self, name: str) -> Project:
        """The project of this name, or NotFoundError naming the ones there are."""
        found = self.rows(
            "SELECT id, name, schema_toml, guidelines FROM project WHERE name = ?", (name,)
        )
        if not found:
            known = [n for (n,) in self.rows("SELECT name FROM project ORDER BY name")]
            hint = f" (projects: {', '.join(known)})" if known else " (there are no projects yet)"
            raise NotFoundError(f"no project named {name!r}{did_you_mean(name, known)}{hint}")
        return project_of(*found[0])

    def document_count(self, project_id: int) -> int:
        return int(
            self.rows("SELECT count(*) FROM document WHERE project_id = ?", (project_id,))[0][0]
        )

    def documents(
        self, project_id: int, batch: int = 500, start: int = 0, stop: int | None = None
    ) -> Iterator[list[Document]]:
        """All documents of a project (or those with ids from `start`, and before `stop`), in
        import order, a batch at a time."""
        last = start - 1
        before = "" if stop is None else f" AND id < {int(stop)}"
        while True:
            rows = self.rows(
                "SELECT id, title, date, text, meta, digest FROM document "
                f"WHERE project_id = ? AND id > ?{before} ORDER BY id LIMIT ?",
                (project_id, last, batch),
            )
            if not rows:
                return
            yield documents_of(rows)
            last = rows[-1][0]

    def document_at(self, project_id: int, n: int) -> int | None:
        """The id of the project's document after n others, in import order; None past the
        last."""
        found = self.rows(
            "SELECT id FROM document WHERE project_id = ? ORDER BY id LIMIT 1 OFFSET ?",
            (project_id, n),
        )
        return int(found[0][0]) if found else None

    def sets_for(
        self, document_ids: Sequence[int], schema: LabelSchema, annotator: str | None = None
    ) -> dict[int, list[AnnotationSet]]:
        """Every annotation set of these documents (or one annotator's), by document id."""
        result: dict[int, list[AnnotationSet]] = {}
        for part in chunks(list(document_ids)):
            where = f"s.document_id IN ({self.marks(len(part))})"
            params: list[Any] = list(part)
            if annotator is not None:
                where += " AND a.name = ?"
                params.append(annotator)
            for document_id, found in self.load(where, params, schema):
                result.setdefault(document_id, []).append(found)
        return result

    def load(
        self, where: str, params: Sequence[Any], schema: LabelSchema
    ) -> list[tuple[int, AnnotationSet]]:
        """The sets that match `where` (on set `s` and annotator `a`) as (document id, set)
        pairs, by document and annotator."""
        heads = self.rows(
            f"SELECT {SET_COLUMNS} FROM annotation_set s "
            f"JOIN annotator a ON a.id = s.annotator_id WHERE {where} "
            "ORDER BY s.document_id, a.name",
            params,
        )
        if not heads:
            return []
        set_ids = [head[0] for head in heads]
        spans: dict[int, dict[int, Span]] = {}
        relations: dict[int, dict[int, Relation]] = {}
        for part in chunks(set_ids, 2 * _CHUNK):
            inside = f"WHERE set_id IN ({self.marks(len(part))})"
            spans.update(self._spans(inside, part))
            found = self.rows(f"SELECT set_id, {RELATION_COLUMNS} FROM relation {inside}", part)
            for set_id, rows in by_set(found).items():
                relations[set_id] = relations_of(rows)
        return assemble(heads, spans, relations, schema)

    def _spans(self, inside: str, params: Sequence[Any]) -> dict[int, dict[int, Span]]:
        """The spans of the sets `inside` selects, by set id and span id."""
        if self._grouped:
            # SQLite hands a set's spans over as one JSON text, which json decodes in C: a
            # third faster than a row of eight values per span through sqlite3.
            try:
                groups = self.rows(
                    f"SELECT set_id, json_group_array(json_array({SPAN_COLUMNS})) "
                    f"FROM span {inside} GROUP BY set_id",
                    params,
                )
            except Exception:  # a SQLite built without its JSON functions: read rows
                self._grouped = False
            else:
                loads = json.loads
                return {set_id: spans_of(loads(found)) for set_id, found in groups}
        return spans_by_set(self.rows(f"SELECT set_id, {SPAN_COLUMNS} FROM span {inside}", params))

    def curated_sets(self, document_ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
        """The curated set on each of these documents: (set's annotator, curator, status)."""
        found: dict[int, tuple[str, str, str]] = {}
        for part in chunks(list(document_ids)):
            for document_id, name, curator, status in self.rows(
                "SELECT s.document_id, a.name, s.curator, s.status FROM annotation_set s "
                "JOIN annotator a ON a.id = s.annotator_id "
                f"WHERE s.document_id IN ({self.marks(len(part))}) AND s.curated",
                part,
            ):
                found[document_id] = (name, curator or "", status)
        return found

    def sources(self, set_id: int) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
        """Who had each span and each relation of a set: (by span id, by relation id)."""
        spans, relations = (
            {
                item_id: _json_list(names)
                for item_id, names in self.rows(
                    f"SELECT id, sources FROM {table} WHERE set_id = ?", (set_id,)
                )
            }
            for table in ("span", "relation")
        )
        return spans, relations

    def suggestions(self, document_ids: Sequence[int]) -> dict[int, list[Suggestion]]:
        """The suggestions stored for these documents, best first, by document id."""
        found: dict[int, list[Suggestion]] = {}
        for part in chunks(list(document_ids)):
            for doc_id, recommender, score, proposal in self.rows(
                "SELECT document_id, recommender, score, proposal FROM suggestion "
                f"WHERE document_id IN ({self.marks(len(part))}) "
                "ORDER BY score DESC, start_offset",
                part,
            ):
                found.setdefault(doc_id, []).append(
                    Suggestion(proposal_from_dict(load_json(proposal)), score, recommender)
                )
        return found

    def shared(
        self,
        project_id: int,
        statuses: Iterable[Status] | None = None,
        annotators: Sequence[str] | None = None,
        examples: int = 3,
    ) -> SharedDocuments:
        """The documents of a project on which more than one annotation set lies, counting
        only the sets of these statuses and annotators (None: any)."""
        where = "d.project_id = ?"
        params: list[Any] = [project_id]
        if statuses is not None:
            values = [s.value for s in statuses]
            where += f" AND s.status IN ({self.marks(len(values))})"
            params += values
        if annotators is not None:
            where += f" AND a.name IN ({self.marks(len(annotators))})"
            params += annotators
        sets = (
            "FROM annotation_set s JOIN document d ON d.id = s.document_id "
            f"JOIN annotator a ON a.id = s.annotator_id WHERE {where}"
        )
        shared = [
            doc_id
            for (doc_id,) in self.rows(
                f"SELECT s.document_id {sets} GROUP BY s.document_id HAVING count(*) > 1 "
                "ORDER BY s.document_id",
                params,
            )
        ]
        if not shared:
            return SharedDocuments(0, [], [])
        names: set[str] = set()
        by_document: dict[int, tuple[str, list[str]]] = {}
        first = set(shared[:examples])
        for part in chunks(shared):
            for doc_id, title, name in self.rows(
                f"SELECT d.id, d.title, a.name {sets} "
                f"AND s.document_id IN ({self.marks(len(part))})",
                [*params, *part],
            ):
                names.add(name)
                if doc_id in first:
                    by_document.setdefault(doc_id, (title, []))[1].append(name)
        listed = [
            (doc_id, title, sorted(found)) for doc_id, (title, found) in sorted(by_document.items())
        ]
        return SharedDocuments(len(shared), sorted(names), listed)
