"""Bulk writes of documents on a bulk_rows Driver: an import's batch inserted in one statement
batch and indexed for search in one statement, and the look-up of texts stored already."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from labeler.domain.document import Document
from labeler.domain.limits import check_document_fields
from labeler.storage.bulk_rows import Driver, insert, json_of, reserve_ids
from labeler.storage.plain_read import chunks

# The trigger of migration 0005 that indexes each inserted document for search, as SQLite
# stores it. A batch of documents is indexed by one statement instead (four times faster).
_FTS_TRIGGER = "document_fts_insert"
_FTS_TRIGGER_SQL = (
    "CREATE TRIGGER document_fts_insert AFTER INSERT ON document BEGIN "
    "INSERT INTO document_fts (rowid, title, text) VALUES (new.id, new.title, new.text); END"
)


def add_documents(
    driver: Driver,
    project_id: int,
    documents: Sequence[Document],
    unindexed: list[tuple[int, int]] | None = None,
) -> list[int]:
    """Inserts documents in one statement batch; returns their ids in the same order.

    On SQLite the batch is indexed for search by one statement; given `unindexed`, that
    statement is left to the caller (its id range is added there), who must run
    index_documents on it before the transaction ends.
    """
    if not documents:
        return []
    for d in documents:  # what PostgreSQL would refuse, refused alike on SQLite
        check_document_fields(d.text, d.title, d.meta)
    now = driver.when(datetime.now(UTC))
    meta = json_of(driver)
    day = driver.day
    ids = reserve_ids(driver, "document", len(documents))
    rows = [
        (
            i,
            project_id,
            d.title,
            day(d.date) if d.date else None,
            d.text,
            d.digest,
            meta(d.meta),
            now,
        )
        for i, d in zip(ids, documents, strict=True)
    ]
    columns = ("id", "project_id", "title", "date", "text", "digest", "meta", "created_at")
    trigger = None
    if not driver.postgres:
        found = driver.rows(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_FTS_TRIGGER,)
        )
        trigger = found[0][0] if found and found[0][0] == _FTS_TRIGGER_SQL else None
    if trigger is None:
        insert(driver, "document", columns, rows)
        return ids
    # Inside the transaction: whoever reads meanwhile, or after a failure, sees the trigger.
    driver.rows(f"DROP TRIGGER {_FTS_TRIGGER}")
    insert(driver, "document", columns, rows)
    driver.rows(trigger)
    if unindexed is None:
        index_documents(driver, [(ids[0], ids[-1])])
    else:
        unindexed.append((ids[0], ids[-1]))
    return ids


def index_documents(driver: Driver, unindexed: Sequence[tuple[int, int]]) -> None:
    """Indexes for search the documents add_documents left unindexed (ranges of ids); on a
    helper thread when the driver has one (see Driver.soon)."""
    for first, last in unindexed:
        driver.soon(
            "INSERT INTO document_fts (rowid, title, text) "
            "SELECT id, title, text FROM document WHERE id BETWEEN ? AND ?",
            (first, last),
        )


def find_digests(
    driver: Driver, project_id: int, digests: Iterable[str]
) -> dict[str, tuple[int, str]]:
    """Which of these text digests the project already holds: digest -> (id, title)."""
    found: dict[str, tuple[int, str]] = {}
    for part in chunks(list(set(digests))):
        for digest, doc_id, title in driver.rows(
            "SELECT digest, id, title FROM document WHERE project_id = ? "
            f"AND digest IN ({', '.join(['?'] * len(part))})",
            (project_id, *part),
        ):
            found[digest] = (doc_id, title)
    return found
