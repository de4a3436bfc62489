"""Project: a label schema, its source text, and (in storage) a set of documents."""

from __future__ import annotations

from dataclasses import dataclass

from labeler.domain.annotation import Status
from labeler.domain.project_summary import ProjectSummary
from labeler.domain.schema import LabelSchema

__all__ = ["Project", "ProjectSummary", "overall_status"]


@dataclass(frozen=True)
class Project:
    name: str
    schema: LabelSchema
    schema_source: str
    id: int  # projects come from storage only, so always stored
    guidelines: str = ""  # Markdown the annotators read beside the text


def overall_status(statuses: list[Status]) -> Status:
    """One status for a document from its annotators' statuses.

    No annotation yet is todo; all finished is done (skipped if every one skipped);
    anything else under way is in progress.
    """
    if not statuses or all(s is Status.TODO for s in statuses):
        return Status.TODO
    if all(s in (Status.DONE, Status.SKIPPED) for s in statuses):
        return Status.SKIPPED if all(s is Status.SKIPPED for s in statuses) else Status.DONE
    return Status.IN_PROGRESS
