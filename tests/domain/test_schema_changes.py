"""A schema change as a description: what is added, renamed, recoloured and removed, where old
names go, and what stored annotations it would orphan, with counts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from labeler.domain.errors import RuleError
from labeler.domain.schema import LayerStyle
from labeler.domain.schema_changes import Renames, SchemaChange
from labeler.domain.schema_draft import SchemaDraft
from labeler.domain.schema_impact import SchemaUsage, impact_of
from labeler.domain.schema_toml import parse_schema


@pytest.fixture
def news(news_toml):
    return parse_schema(news_toml)


def edited(news, *edits) -> SchemaChange:
    draft = SchemaDraft(news)
    for name, *args in edits:
        getattr(draft, name)(*args)
    return draft.change()


def test_no_change_has_no_edits_and_keeps_everything(news) -> None:
    change = SchemaChange(news, news)
    assert change.edits() == []
    assert change.label_for("LAW") == "LAW" and change.keeps_relation("source", "CUE", "SOURCE")
    assert not change.keeps_relation("source", "SOURCE", "CUE")  # never allowed


def test_edits_name_each_addition_rename_recolour_and_removal(news) -> None:
    change = edited(
        news,
        ("rename_label", "LAW", "STATUTE"),
        ("recolour_label", "ORG", "#123456"),
        ("remove_label", "FAC"),
        ("add_label", "claim", "COUNTER", "#abcdef"),
        ("rename_attribute", "type", "cue_type"),
        ("rename_value", "cue_type", "belief", "opinion"),
        ("remove_value", "checkworthy", "unsure"),
        ("add_value", "factuality", "unclear"),
        ("rename_relation_type", "continues", "continued_by"),
        ("remove_relation_type", "refers_to"),
        ("add_relation_type", "rebuts", ("COUNTER",), ("CLAIM",)),
    )
    assert [str(e) for e in change.edits()] == [
        "remove label FAC",
        "recolour label ORG #64b5f6 → #123456",
        "rename label LAW → STATUTE",
        "add label COUNTER to claim",
        "remove value checkworthy=unsure",
        "rename attribute type → cue_type",
        "rename value cue_type=belief → opinion",
        "add value factuality=unclear",
        "rename relation type continues → continued_by",
        "remove relation type refers_to",
        "add relation type rebuts COUNTER → CLAIM",
    ]
    assert change.renames == Renames(
        labels={"LAW": "STATUTE"},
        attributes={"type": "cue_type"},
        relation_types={"continues": "continued_by"},
        values={("type", "belief"): "opinion"},
        removed_labels=frozenset({"FAC"}),
        removed_relation_types=frozenset({"refers_to"}),
        removed_values=frozenset({("checkworthy", "unsure")}),
    )


def test_old_names_map_to_new_ones_or_to_nothing(news) -> None:
    change = edited(
        news,
        ("rename_label", "LAW", "STATUTE"),
        ("remove_label", "FAC"),
        ("rename_attribute", "type", "cue_type"),
        ("rename_value", "cue_type", "belief", "opinion"),
        ("remove_value", "checkworthy", "unsure"),
    )
    assert (change.label_for("LAW"), change.label_for("FAC"), change.label_for("ORG")) == (
        "STATUTE",
        None,
        "ORG",
    )
    assert change.removed_labels() == ["FAC"]
    assert change.carried_attributes("CUE", {"type": "belief", "factuality": "factual"}) == {
        "cue_type": "opinion",
        "factuality": "factual",
    }
    assert change.carried_attributes("CLAIM", {"checkworthy": "unsure"}) == {}
    assert change.changes_attributes_of("CUE") and change.changes_attributes_of("CLAIM")
    assert not change.changes_attributes_of("ORG")


def test_renames_must_name_old_and_new_parts(news) -> None:
    with pytest.raises(RuleError, match="old schema has no such label"):
        SchemaChange(news, news, Renames(labels={"NOPE": "ORG"}))
    with pytest.raises(RuleError, match="new schema lacks it"):
        SchemaChange(news, news, Renames(relation_types={"source": "said_by"}))
    with pytest.raises(RuleError, match="not in schema"):
        SchemaChange(news, news, Renames(values={("type", "belief"): "opinion"}))


def test_impact_counts_each_orphan_and_the_totals_once(news) -> None:
    change = edited(
        news,
        ("remove_label", "SOURCE"),
        ("remove_relation_type", "content"),
        ("rename_label", "LAW", "STATUTE"),
        ("remove_value", "checkworthy", "unsure"),
        ("rename_value", "type", "belief", "opinion"),
    )
    usage = SchemaUsage(
        spans={"SOURCE": 4, "CUE": 5, "CONTENT": 2, "LAW": 3, "CLAIM": 6},
        relations={
            ("source", "CUE", "SOURCE"): 4,
            ("content", "CUE", "CONTENT"): 2,
            ("attributed_to", "CLAIM", "SOURCE"): 1,
        },
        values={
            ("CLAIM", "checkworthy", "unsure"): 2,
            ("CLAIM", "checkworthy", "yes"): 1,
            ("CUE", "type", "belief"): 3,
        },
    )
    impact = impact_of(change, usage)
    assert [str(o) for o in impact.orphans] == [
        "remove label SOURCE: 4 spans, 5 relations",
        "remove relation type attributed_to: 1 relation",
        "remove relation type content: 2 relations",
        "remove relation type source: 4 relations",
        "remove value unsure of attribute checkworthy: 2 spans",
    ]
    assert (impact.spans_deleted, impact.relations_deleted, impact.values_dropped) == (4, 7, 2)
    assert (impact.spans_relabelled, impact.values_renamed) == (3, 3)
    assert impact.orphans_anything


def test_an_unused_removal_orphans_nothing(news) -> None:
    impact = impact_of(edited(news, ("remove_label", "LAW")), SchemaUsage(spans={"ORG": 9}))
    assert impact.orphans == () and not impact.orphans_anything
    assert impact.summary() == "no annotations lost"


def test_an_attribute_taken_off_a_label_is_an_orphan(news) -> None:
    narrowed = edited(
        news,
        ("remove_attribute", "factuality"),
        ("add_attribute", "factuality", ("CLAIM",), ("factual", "non-factual")),
    ).new
    change = SchemaChange(news, narrowed)  # as from a file: a name in both keeps its meaning
    impact = impact_of(change, SchemaUsage(values={("CUE", "factuality", "factual"): 2}))
    assert [str(o) for o in impact.orphans] == [
        "attribute factuality no longer on label CUE: 2 spans"
    ]


def test_a_removed_label_stays_removed_when_its_name_is_reused(news) -> None:
    reused = edited(news, ("remove_label", "ORG"), ("rename_label", "PERSON", "ORG"))
    assert (reused.label_for("ORG"), reused.label_for("PERSON")) == (None, "ORG")
    assert {"remove label ORG", "rename label PERSON → ORG"} <= {str(e) for e in reused.edits()}
    impact = impact_of(reused, SchemaUsage(spans={"ORG": 2, "PERSON": 3}))
    assert [str(o) for o in impact.orphans] == ["remove label ORG: 2 spans"]
    assert (impact.spans_deleted, impact.spans_relabelled) == (2, 3)

    added_again = edited(news, ("remove_label", "ORG"), ("add_label", "entity", "ORG"))
    assert added_again.label_for("ORG") is None
    assert "add label ORG to entity" in [str(e) for e in added_again.edits()]
    # As from a file, with no word from the lead: a name in both schemas keeps its meaning.
    assert SchemaChange(news, added_again.new).label_for("ORG") == "ORG"


def test_removed_attributes_relation_types_and_values_stay_removed_when_reused(news) -> None:
    change = edited(
        news,
        ("remove_attribute", "checkworthy"),
        ("add_attribute", "checkworthy", ("CLAIM",), ("yes", "no")),
        ("remove_relation_type", "source"),
        ("add_relation_type", "source", ("CUE",), ("SOURCE",)),
        ("remove_value", "factuality", "factual"),
        ("add_value", "factuality", "factual"),
    )
    assert change.attribute_for("checkworthy") is None
    assert change.relation_type_for("source") is None
    assert change.carried_value("CUE", "factuality", "factual") is None
    assert not change.keeps_relation("source", "CUE", "SOURCE")


def test_a_loaded_file_keeps_a_name_the_draft_had_removed(news, news_toml) -> None:
    draft = SchemaDraft(news)
    draft.remove_label("ORG")
    draft.load(parse_schema(news_toml), news_toml)
    assert draft.change().label_for("ORG") == "ORG" and draft.renames().removed_labels == set()


def test_a_removal_must_name_an_old_part_not_also_renamed(news) -> None:
    with pytest.raises(RuleError, match="old schema has no such label"):
        SchemaChange(news, news, Renames(removed_labels=frozenset({"NOPE"})))
    with pytest.raises(RuleError, match="both renamed and removed"):
        SchemaChange(news, news, Renames(labels={"LAW": "ORG"}, removed_labels=frozenset({"LAW"})))


def test_layer_overlap_and_style_changes_are_edits_and_are_checked(news) -> None:
    stricter = replace(
        news,
        layers=tuple(
            replace(layer, allow_overlap=False, style=LayerStyle.BACKGROUND)
            if layer.name == "attribution"
            else layer
            for layer in news.layers
        ),
    )
    change = SchemaChange(news, stricter)
    assert [str(e) for e in change.edits()] == [
        "change layer attribution overlap allowed → no overlap",
        "change layer attribution style bar → background",
    ]
    assert change.layers_to_check_for_overlap() == ["attribution"]
    assert SchemaChange(news, news).layers_to_check_for_overlap() == []
    carried = SchemaDraft(news)
    carried.remove_label("SOURCE")
    carried.map_label("SOURCE", "PERSON")  # its spans join a layer that allows no overlap
    assert carried.change().layers_to_check_for_overlap() == ["entity"]
    assert carried.change().relabels("SOURCE") and not carried.change().relabels("PERSON")
