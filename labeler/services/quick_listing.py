"""The project list of an up-to-date SQLite database without opening it through SQLAlchemy:
what `labeler project list` shows, in a tenth of the start-up time."""

from __future__ import annotations

import tomllib

from labeler.domain.project_summary import ProjectSummary
from labeler.domain.team import Identity, Role
from labeler.storage.quick_read import project_listing


def quick_projects(url: str) -> tuple[list[ProjectSummary], Identity] | None:
    """The projects (by name, with their document counts) and who this database belongs to,
    as ProjectService.list and TeamService.identity give them; None when the database must be
    opened the usual way (a server, a new file, one that needs migrating)."""
    found = project_listing(url)
    if found is None:
        return None
    rows, taken_by = found
    try:
        # A stored schema was checked when it was stored; its name is all a listing needs.
        summaries = [
            ProjectSummary(
                id=id_,
                name=name,
                schema_name=tomllib.loads(toml)["schema"]["name"],
                documents=count,
            )
            for id_, name, toml, count in rows
        ]
    except (tomllib.TOMLDecodeError, KeyError, TypeError):
        return None
    if len(taken_by) == 1:  # a bundle stays its annotator's (as TeamRepository.identity says)
        return summaries, Identity(name=taken_by[0], role=Role.ANNOTATOR)
    return summaries, Identity(name=None, role=Role.OWNER)
