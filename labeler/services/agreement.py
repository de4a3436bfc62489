"""Agreement between a project's annotators: sets read through storage, measured by quality."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.quality.figures import StatusFilter
from labeler.services.curation import CURATED
from labeler.storage.database import Database

if TYPE_CHECKING:  # the measures load numpy: only when agreement is measured
    from labeler.quality.agreement import AgreementReport, DocumentSets

_PAGE = 500  # documents read per step; the measures keep only their counts of a page


class AgreementCancelled(LabelerError):
    """Measuring was stopped before the end."""


class AgreementService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def annotators(self, project: Project) -> list[str]:
        """Who has an annotation set on some document of the project, by name (curated sets
        are not an annotator's)."""
        with self._db.reading() as store:
            found = store.annotations.annotators_on(store.documents.ids(project.id))
        return sorted(set().union(*found.values()) - {CURATED})

    def measure(
        self,
        project: Project,
        annotators: Sequence[str] | None = None,
        layers: Sequence[str] | None = None,
        status: StatusFilter = StatusFilter.DONE,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> AgreementReport:
        """Agreement of the chosen annotators (all, when None) on the project's documents that
        at least two of them marked done (or have a set on, with StatusFilter.ANY).

        Raises LabelerError for an annotator or layer the project does not have, and
        AgreementCancelled when `cancelled()` turns true between pages.
        """
        known = self.annotators(project)
        chosen = list(annotators) if annotators else known
        unknown = [a for a in chosen if a not in known]
        if unknown:
            raise LabelerError(
                f"no annotation sets by {', '.join(map(repr, unknown))} in project "
                f"{project.name!r}; its annotators: {', '.join(known) or 'none yet'}"
            )
        layer_names = {layer.name for layer in project.schema.layers}
        wrong = [name for name in layers or () if name not in layer_names]
        if wrong:
            raise LabelerError(
                f"project {project.name!r} has no layer {', '.join(map(repr, wrong))}; "
                f"its layers: {', '.join(sorted(layer_names))}"
            )
        from labeler.quality.agreement import DocumentSets, measure_agreement

        with self._db.reading() as store:
            total = store.documents.count(project.id)

            def documents() -> Iterator[DocumentSets]:
                done = 0
                for batch in store.documents.iter_documents(project.id, _PAGE):
                    ids = [d.id for d in batch if d.id is not None]
                    sets = store.annotations.sets_for(ids, project.schema)
                    for doc in batch:
                        assert doc.id is not None, "stored documents have ids"
                        yield DocumentSets(doc.id, doc.title, doc.text, sets.get(doc.id, []))
                    done += len(batch)
                    if cancelled is not None and cancelled():
                        raise AgreementCancelled("stopped before every document was read")
                    if progress is not None:
                        progress(done, total)

            return measure_agreement(documents(), project.schema, chosen, layers, status)
