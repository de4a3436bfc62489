"""What a schema change does to a project's stored annotations: counts of the spans, relations
and attribute values it would delete, from how the annotations use the old schema."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from labeler.domain.schema_changes import SchemaChange


@dataclass(frozen=True)
class SchemaUsage:
    """How many stored annotations use each part of a schema."""

    spans: Mapping[str, int] = field(default_factory=dict)  # label -> spans
    # (relation type, head label, tail label) -> relations
    relations: Mapping[tuple[str, str, str], int] = field(default_factory=dict)
    # (label, attribute, value) -> spans carrying that value
    values: Mapping[tuple[str, str, str], int] = field(default_factory=dict)
    # (document attribute, value; "" for free text) -> annotation sets with that label
    document: Mapping[tuple[str, str], int] = field(default_factory=dict)


@dataclass(frozen=True)
class Orphan:
    """One thing a change takes away that stored annotations use, and how many it affects."""

    what: str  # "remove label LAW"
    spans: int = 0
    relations: int = 0
    values: int = 0  # attribute values dropped from spans that stay
    sets: int = 0  # document labels dropped from annotation sets
    label: str = ""  # the removed label, when the orphan is one (a new name may save it)

    def __str__(self) -> str:
        counts = [
            _count(n, noun) for n, noun in ((self.spans, "span"), (self.relations, "relation")) if n
        ]
        if self.values:
            counts.append(_count(self.values, "span"))
        if self.sets:
            counts.append(_count(self.sets, "annotation set"))
        return f"{self.what}: {', '.join(counts)}"


@dataclass(frozen=True)
class SchemaImpact:
    """The orphans of a change, each with its counts, and what it deletes and rewrites in all.

    A relation may be counted under both its removed label and its removed type; the totals
    count each deleted annotation once.
    """

    change: SchemaChange
    orphans: tuple[Orphan, ...] = ()
    spans_deleted: int = 0
    relations_deleted: int = 0
    values_dropped: int = 0
    spans_relabelled: int = 0
    relations_retyped: int = 0
    values_renamed: int = 0
    labels_dropped: int = 0  # document label values dropped
    # layer that allows no overlap -> pairs of overlapping spans the change would leave in it
    overlaps: Mapping[str, int] = field(default_factory=dict)

    @property
    def orphans_anything(self) -> bool:
        """Whether applying the change loses stored annotations, and so must be confirmed."""
        lost = (self.spans_deleted, self.relations_deleted, self.values_dropped)
        return any(lost) or bool(self.labels_dropped)

    def losses(self) -> tuple[object, ...]:
        """What a person confirms: each orphan with its counts, and the totals lost."""
        return (
            self.orphans,
            self.spans_deleted,
            self.relations_deleted,
            self.values_dropped,
            self.labels_dropped,
        )

    def overlap_problem(self) -> str:
        """Why the change cannot be applied as it is ("" when it can)."""
        return overlap_problem(self.overlaps)

    def summary(self) -> str:
        """'12 spans and 3 relations deleted, 4 attribute values dropped' (or 'nothing lost')."""
        parts = []
        deleted = [
            _count(n, noun)
            for n, noun in ((self.spans_deleted, "span"), (self.relations_deleted, "relation"))
            if n
        ]
        if deleted:
            parts.append(" and ".join(deleted) + " deleted")
        if self.values_dropped:
            parts.append(f"{_count(self.values_dropped, 'attribute value')} dropped")
        if self.labels_dropped:
            parts.append(f"{_count(self.labels_dropped, 'document label')} dropped")
        return ", ".join(parts) or "no annotations lost"


@dataclass(frozen=True)
class SchemaApplied:
    """What applying a schema change did to the stored annotations."""

    spans_deleted: int = 0
    relations_deleted: int = 0
    spans_relabelled: int = 0  # renamed or moved to another layer
    spans_reattributed: int = 0  # an attribute value renamed or dropped
    relations_retyped: int = 0
    sets_changed: int = 0  # annotation sets moved to their next version


def overlap_problem(overlaps: Mapping[str, int]) -> str:
    """The layers a change would leave with overlapping spans, as a reason to refuse it."""
    found = [(layer, n) for layer, n in sorted(overlaps.items()) if n]
    if not found:
        return ""
    where = "; ".join(
        f"layer {layer!r} allows no overlap, and {_count(n, 'pair')} of spans would overlap there"
        for layer, n in found
    )
    return f"{where}. Change those spans first, or keep their labels apart"


def impact_of(
    change: SchemaChange, usage: SchemaUsage, overlaps: Mapping[str, int] | None = None
) -> SchemaImpact:
    """What `change` does to annotations used as `usage` says; `overlaps` counts the pairs of
    spans overlapping after it in each layer that forbids overlap (those it may break)."""
    orphans: list[Orphan] = []
    relations_deleted = relations_retyped = 0
    by_label: dict[str, int] = {}
    by_type: dict[str, int] = {}
    by_pairing: dict[tuple[str, str, str], int] = {}
    for (type_name, head, tail), n in usage.relations.items():
        if change.keeps_relation(type_name, head, tail):
            relations_retyped += n if change.relation_type_for(type_name) != type_name else 0
            continue
        relations_deleted += n
        gone = {lab for lab in (head, tail) if change.label_for(lab) is None}
        for lab in gone:
            by_label[lab] = by_label.get(lab, 0) + n
        if change.relation_type_for(type_name) is None:
            by_type[type_name] = by_type.get(type_name, 0) + n
        elif not gone:
            key = (type_name, head, tail)
            by_pairing[key] = by_pairing.get(key, 0) + n

    spans_deleted = spans_relabelled = 0
    removed = sorted({lab for lab in usage.spans if change.label_for(lab) is None} | set(by_label))
    for label in removed:
        spans = usage.spans.get(label, 0)
        spans_deleted += spans
        orphans.append(Orphan(f"remove label {label}", spans, by_label.get(label, 0), label=label))
    for label, n in usage.spans.items():
        if change.relabels(label):
            spans_relabelled += n
    orphans.extend(Orphan(f"remove relation type {t}", 0, n) for t, n in sorted(by_type.items()))
    orphans.extend(
        Orphan(f"relation type {t} no longer allows {h} → {tl}", 0, n)
        for (t, h, tl), n in sorted(by_pairing.items())
    )

    dropped: dict[str, int] = {}
    values_renamed = 0
    for (label, attribute, value), n in usage.values.items():
        if change.label_for(label) is None:
            continue  # the span goes, and its values with it
        carried = change.carried_value(label, attribute, value)
        if carried is None:
            what = _dropped(change, label, attribute, value)
            dropped[what] = dropped.get(what, 0) + n
        elif carried != (attribute, value):
            values_renamed += n
    orphans.extend(Orphan(what, values=n) for what, n in sorted(dropped.items()))
    lost: dict[str, int] = {}
    for (name, value), n in usage.document.items():
        if not change.carried_document_labels({name: (value,)}):
            new = any(a.name == name for a in change.new.document_attributes)
            what = f"remove value {value} of document attribute {name}" if new and value else ""
            what = what or f"remove document attribute {name}"
            lost[what] = lost.get(what, 0) + n
    orphans.extend(Orphan(what, sets=n) for what, n in sorted(lost.items()))
    return SchemaImpact(
        change=change,
        orphans=tuple(orphans),
        spans_deleted=spans_deleted,
        relations_deleted=relations_deleted,
        values_dropped=sum(dropped.values()),
        spans_relabelled=spans_relabelled,
        relations_retyped=relations_retyped,
        values_renamed=values_renamed,
        labels_dropped=sum(lost.values()),
        overlaps={layer: n for layer, n in (overlaps or {}).items() if n},
    )


def _dropped(change: SchemaChange, label: str, attribute: str, value: str) -> str:
    """Why a kept span of `label` loses this attribute value, as an orphan line."""
    new_name = change.attribute_for(attribute)
    if new_name is None:
        return f"remove attribute {attribute}"
    new_label = change.label_for(label)
    assert new_label is not None
    if all(a.name != new_name for a in change.new.attributes_for(new_label)):
        return f"attribute {attribute} no longer on label {label}"
    return f"remove value {value} of attribute {attribute}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
