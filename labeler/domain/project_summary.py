"""A project as a list shows it: its name, its schema's name and how many documents it has."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProjectSummary:
    id: int
    name: str
    schema_name: str
    documents: int
