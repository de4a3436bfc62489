"""Pages of the document list filtered by a status, read by key (the ids after the last one
shown), so that a page costs about its own rows, however large the project.

`_status_is` in document_repository reads every document of a status at once, through sets of
ids each read in full: right for counting and for reading every id, but on a million
documents that is half a second before the first row shows. Here a page walks the documents
in id order and asks of each, through the index on (document_id, status) (migration 0016),
whether its sets give it the status; for the statuses that lie on sets (done, skipped, or any
status of one annotator) the walk goes over those sets instead, so a rare status costs little.
The statuses are those `overall_status` gives (or the annotator's own set), as in `_status_is`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from labeler.domain.annotation import Status

_TODO, _BUSY, _DONE, _SKIPPED = (
    Status.TODO.value,
    Status.IN_PROGRESS.value,
    Status.DONE.value,
    Status.SKIPPED.value,
)


def _has(statuses: str, negate: bool = False, whose: str = "") -> str:
    """SQL: the document `d` has a set (of annotator :who when `whose`) in these statuses."""
    test = "NOT IN" if negate else "IN"
    return (
        f"EXISTS (SELECT 1 FROM annotation_set AS o WHERE o.document_id = d.id "
        f"AND o.status {test} ({statuses}){whose})"
    )


def status_page(
    session: Session,
    project_id: int,
    status: Status,
    annotator: str | None,
    after: int | None,
    limit: int,
    descending: bool = False,
) -> list[int]:
    """Up to `limit` ids of the project's documents whose status (`annotator`'s, or the
    overall one) is `status`, in id order (descending if asked), after the id `after`."""
    params: dict[str, Any] = {"project": project_id, "limit": limit}
    order = "DESC" if descending else "ASC"
    keyset = ""
    if after is not None:
        keyset = " AND d.id < :after" if descending else " AND d.id > :after"
        params["after"] = after
    whose = ""
    if annotator is not None:
        whose = " AND o.annotator_id = (SELECT id FROM annotator WHERE name = :who)"
        params["who"] = annotator
    if status == Status.TODO or (status == Status.IN_PROGRESS and annotator is None):
        # Most documents, as a rule: walk the documents and look at each one's sets.
        if status == Status.TODO:  # no set, or only todo sets
            condition = "NOT " + _has(f"'{_TODO}'", negate=True, whose=whose)
        else:  # a set in progress, or a todo set beside one further on
            condition = (
                f"({_has(repr(_BUSY))} OR ({_has(repr(_TODO))} "
                f"AND {_has(f'{_DONE!r}, {_SKIPPED!r}')}))"
            )
        sql = (
            f"SELECT d.id FROM document AS d WHERE d.project_id = :project{keyset} "
            f"AND {condition} ORDER BY d.id {order} LIMIT :limit"
        )
    else:
        # Walk the sets of that status (by document, through the status indexes of 0006).
        where = "s.status = :status"
        params["status"] = status.value
        if annotator is not None:
            where += " AND s.annotator_id = (SELECT id FROM annotator WHERE name = :who)"
            extra = ""
        elif status == Status.DONE:  # and no set short of done
            extra = " AND NOT " + _has(f"{_TODO!r}, {_BUSY!r}")
        else:  # skipped: every set skipped
            extra = " AND NOT " + _has(repr(_SKIPPED), negate=True)
        # The set's document_id throughout (PostgreSQL orders DISTINCT rows by what they hold).
        sql = (
            f"SELECT DISTINCT s.document_id FROM annotation_set AS s JOIN document AS d "
            f"ON d.id = s.document_id WHERE {where} AND d.project_id = :project"
            f"{keyset.replace('d.id', 's.document_id')}{extra} "
            f"ORDER BY s.document_id {order} LIMIT :limit"
        )
    return [row[0] for row in session.execute(text(sql), params)]
