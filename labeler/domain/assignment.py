"""Which documents go to which annotators: balanced, and the same for the same seed."""

from __future__ import annotations

import random
from collections.abc import Sequence

from labeler.domain.errors import RuleError


def plan_assignment(
    document_ids: Sequence[int],
    annotators: Sequence[str],
    per_document: int,
    overlap: float = 0.0,
    seed: int = 0,
) -> dict[str, list[int]]:
    """Each annotator's documents, in the order given.

    Every document goes to `per_document` different annotators; a share `overlap` of the
    documents (chosen by `seed`) goes to everyone, so agreement can be measured on them. The
    others are dealt in turn, so the annotators' loads differ by at most one document.
    """
    names = list(dict.fromkeys(annotators))
    if not names:
        raise RuleError("assignment needs at least one annotator")
    if not 1 <= per_document <= len(names):
        raise RuleError(
            f"each document can go to 1 to {len(names)} annotators (one per annotator named), "
            f"not {per_document}"
        )
    if not 0.0 <= overlap <= 1.0:
        raise RuleError(f"the overlap is a share between 0 and 1, not {overlap}")
    rng = random.Random(seed)
    shared = set(rng.sample(list(document_ids), round(overlap * len(document_ids))))
    order = names[:]
    rng.shuffle(order)
    plan: dict[str, list[int]] = {name: [] for name in names}
    turn = 0
    for document_id in document_ids:
        if document_id in shared:
            for name in names:
                plan[name].append(document_id)
            continue
        for _ in range(per_document):
            plan[order[turn % len(order)]].append(document_id)
            turn += 1
    return plan
