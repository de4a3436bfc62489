"""Reading documents for lists and views: counts, queries, summaries, one document's text."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import overload

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.document import Document, DocumentQuery, DocumentSummary
from labeler.domain.project import Project
from labeler.storage.database import Database
from labeler.storage.store import Store

# The order the list sorts statuses in: as work goes (the storage's rank), not alphabetical.
STATUS_ORDER = (Status.TODO, Status.IN_PROGRESS, Status.DONE, Status.SKIPPED)


class DocumentIds(Sequence[int]):
    """The ids matching a query, in its order, read lazily: the count first, then pages of
    ids as they are indexed; iterating, or looking up an id not on a page read, reads all.

    The pages are read in separate transactions: a list that must stay consistent with the
    database is read again (a new DocumentIds) after a change, as the document list does.
    """

    PAGE = 1000
    # Lazy for the unfiltered list in import or status order, where counting is cheap and a
    # page comes from an index or one pass over the sets. A filter's count costs about what
    # reading its (fewer) ids does, and other orders (a text filter scans every text; title,
    # date and span sorts sort every row) would pay for every page: those are read at once.
    LAZY_SORTS = ("id", "status")

    def __init__(self, db: Database, project_id: int, query: DocumentQuery) -> None:
        self._db = db
        self._project_id = project_id
        self._query = query
        self._pages: dict[int, list[int]] = {}
        self._all: list[int] | None = None
        self._rows: dict[int, int] = {}
        self._sizes: dict[int, int] = {}  # documents of each status, in status order
        self._lasts: dict[tuple[int, int], int] = {}  # (status, offset) -> the id before it
        # A status filter alone: its pages are read by key as the list grows (more()), and
        # the length is what was read so far; counting them would cost a read of them all.
        self._open: list[int] | None = None
        self._ended = False
        if query.status is not None and self._paged(query):
            self._open = []
            self.take(self.more())
            return
        if query.text.strip() or query.status is not None or query.sort not in self.LAZY_SORTS:
            self._everything()
            return
        with db.reading() as store:
            self._length = store.documents.count_matching(project_id, query)

    @staticmethod
    def _paged(query: DocumentQuery) -> bool:
        return not query.text.strip() and not query.assigned and query.sort in ("id", "status")

    def has_more(self) -> bool:
        """Whether more ids follow those read (only a status filter's list grows)."""
        return self._open is not None and not self._ended

    def more(self) -> list[int]:
        """The next page of a growing list, read but not yet in it: `take` adds it."""
        if self._open is None or self._ended:
            return []
        query = self._query
        assert query.status is not None
        descending = query.descending and query.sort == "id"
        after = self._open[-1] if self._open else None
        with self._db.reading() as store:
            found = store.documents.status_page(
                self._project_id, query.status, query.annotator, after, self.PAGE, descending
            )
        self._ended = len(found) < self.PAGE
        return found

    def take(self, found: list[int]) -> None:
        """Adds a page that `more` read to the end of the list."""
        assert self._open is not None
        self._rows.update((doc_id, len(self._open) + n) for n, doc_id in enumerate(found))
        self._open.extend(found)
        self._length = len(self._open)

    def __len__(self) -> int:
        return self._length

    def _page(self, page: int) -> list[int]:
        if self._all is not None:
            return self._all[page * self.PAGE : (page + 1) * self.PAGE]
        if self._open is not None:
            return self._open[page * self.PAGE : (page + 1) * self.PAGE]
        found = self._pages.get(page)
        if found is None:
            with self._db.reading() as store:
                if self._query.sort == "status":
                    found = self._status_page(store, page * self.PAGE, self.PAGE)
                else:
                    found = store.documents.query_ids(
                        self._project_id, self._query, page * self.PAGE, self.PAGE
                    )
            self._pages[page] = found
            self._rows.update((doc_id, page * self.PAGE + n) for n, doc_id in enumerate(found))
        return found

    def _status_page(self, store: Store, start: int, count: int) -> list[int]:
        """Ids `start` to `start + count` in status order: the documents of each status in
        turn (ties by id), read as filters, so a page costs a filter's page, not a sort of
        every row. Each status's size is learnt when a page reaches its end, or counted when
        a page lies beyond it."""
        statuses = STATUS_ORDER[::-1] if self._query.descending else STATUS_ORDER
        found: list[int] = []
        base = 0  # where the current status's documents begin
        for n, status in enumerate(statuses):
            size = self._sizes.get(n)
            if size is not None and start + len(found) >= base + size:
                base += size
                continue
            bucket = replace(self._query, status=status, sort="id", descending=False)
            offset = start + len(found) - base
            want = count - len(found)
            if self._paged(bucket) and (offset == 0 or (n, offset) in self._lasts):
                # From the start of the status, or on from the page before: read by key.
                after = self._lasts.get((n, offset))
                got = store.documents.status_page(
                    self._project_id, status, bucket.annotator, after, want
                )
            else:
                got = store.documents.query_ids(self._project_id, bucket, offset, want)
            if got:
                self._lasts[n, offset + len(got)] = got[-1]
            found.extend(got)
            if len(found) >= count:
                break
            if got or offset == 0:
                self._sizes[n] = offset + len(got)
            else:  # the page begins beyond this status's documents: count them
                self._sizes[n] = store.documents.count_matching(self._project_id, bucket)
            base += self._sizes[n]
        return found

    def _everything(self) -> list[int]:
        if self._open is not None:  # a growing list: read to its end
            while self.has_more():
                self.take(self.more())
            return self._open
        if self._all is None:
            with self._db.reading() as store:
                self._all = store.documents.query_ids(self._project_id, self._query)
            self._length = len(self._all)
            self._rows = {doc_id: row for row, doc_id in enumerate(self._all)}
            self._pages.clear()
        return self._all

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step != 1 or stop - start > 4 * self.PAGE:
                return self._everything()[index]
            pages = range(start // self.PAGE, (max(stop, start + 1) - 1) // self.PAGE + 1)
            joined = [i for p in pages for i in self._page(p)]
            first = pages[0] * self.PAGE if pages else start
            return joined[start - first : stop - first]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        page = self._page(index // self.PAGE)
        offset = index % self.PAGE
        if offset >= len(page):
            raise IndexError(index)  # the documents changed since the count
        return page[offset]

    def __iter__(self) -> Iterator[int]:
        return iter(self._everything())

    def row_of(self, document_id: int) -> int | None:
        """The row of a document: found on the pages read so far, else by reading them all
        (a growing list reads no more: its reader grows it with `more` and `take`)."""
        row = self._rows.get(document_id)
        if row is None and self._all is None and self._open is None:
            self._everything()
            row = self._rows.get(document_id)
        return row


class DocumentService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def count(self, project: Project) -> int:
        with self._db.reading() as store:
            return store.documents.count(project.id)

    def summaries(
        self, project: Project, offset: int = 0, limit: int | None = None
    ) -> list[DocumentSummary]:
        with self._db.reading() as store:
            return store.documents.summaries(project.id, offset, limit)

    def ids(self, project: Project, query: DocumentQuery) -> DocumentIds:
        """Ids of the project's documents that match `query`, in display order.

        A sequence that knows its length at once and reads its ids a page at a time, as they
        are asked for, so that a list of a million documents opens without reading them all.
        """
        return DocumentIds(self._db, project.id, query)

    def summaries_for_ids(
        self, ids: Sequence[int], annotator: str | None = None
    ) -> list[DocumentSummary]:
        """List rows for these ids, in the same order.

        Status and span counts are `annotator`'s (todo and none where they have no annotation
        set), or the overall ones when no annotator is given.
        """
        with self._db.reading() as store:
            return store.documents.summaries_for_ids(ids, annotator)

    def statuses_by_annotator(self, ids: Sequence[int]) -> dict[int, dict[str, str]]:
        """Each annotator's status on each of these documents (only those with a set), by
        document id, annotators in alphabetical order."""
        found: dict[int, dict[str, str]] = {}
        with self._db.reading() as store:
            on = store.annotations.annotators_on(ids)
            for name in sorted({n for names in on.values() for n in names}):
                theirs = [i for i in ids if name in on.get(i, ())]
                for row in store.documents.summaries_for_ids(theirs, name):
                    found.setdefault(row.id, {})[name] = row.status
        return found

    def get(self, document_id: int) -> Document:
        with self._db.reading() as store:
            return store.documents.get(document_id)

    def annotation_sets(self, project: Project, document_id: int) -> list[AnnotationSet]:
        with self._db.reading() as store:
            sets = store.annotations.sets_for([document_id], project.schema)
        return sets.get(document_id, [])
