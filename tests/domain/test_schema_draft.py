"""Editing a schema draft: each edit keeps the schema valid, follows names through renames,
and a loaded file keeps the origins of the names it keeps."""

from __future__ import annotations

import pytest

from labeler.domain.errors import RuleError
from labeler.domain.schema_changes import Renames
from labeler.domain.schema_draft import SchemaDraft
from labeler.domain.schema_toml import parse_schema


@pytest.fixture
def draft(news_toml) -> SchemaDraft:
    return SchemaDraft(parse_schema(news_toml), news_toml)


def test_a_renamed_label_follows_into_attributes_and_relation_types(draft) -> None:
    draft.rename_label("CUE", "VERB")
    draft.rename_label("VERB", "REPORTING")
    schema = draft.schema
    assert schema.label("REPORTING").layer == "attribution" and not schema.has_label("CUE")
    assert {a.name for a in schema.attributes_for("REPORTING")} == {"type", "factuality"}
    assert schema.relation_type("source").heads == ("REPORTING",)
    assert draft.renames().labels == {"CUE": "REPORTING"}
    assert draft.origin_of_label("REPORTING") == "CUE"
    assert draft.source is None  # no longer the file it was read from


def test_removing_a_label_removes_what_only_it_had(draft) -> None:
    draft.remove_label("CLAIM")
    schema = draft.schema
    assert [layer.name for layer in schema.layers] == ["entity", "attribution"]
    assert {a.name for a in schema.attributes} == {"type", "factuality"}
    assert "attributed_to" not in {r.name for r in schema.relation_types}
    assert draft.renames() == Renames(
        removed_labels=frozenset({"CLAIM"}),
        removed_attributes=frozenset({"checkworthy", "claim_type", "verification"}),
        removed_relation_types=frozenset({"attributed_to"}),
    )


@pytest.mark.parametrize(
    ("edit", "args", "message"),
    [
        ("rename_label", ("PERSON", "ORG"), "already"),
        ("rename_label", ("PERSON", "two words"), "letters, digits"),
        ("add_label", ("nope", "X"), "layer 'nope'"),
        ("recolour_label", ("ORG", "blue"), "colour"),
        ("remove_value", ("checkworthy", "maybe"), "no value 'maybe'"),
        ("rename_value", ("type", "belief", "fact"), "already"),
        ("rename_relation_type", ("source", "content"), "already"),
    ],
)
def test_a_bad_edit_is_refused_and_changes_nothing(draft, edit, args, message) -> None:
    draft.rename_label("LAW", "STATUTE")
    before, renames = draft.schema, draft.renames()
    with pytest.raises(RuleError, match=message):
        getattr(draft, edit)(*args)
    assert draft.schema == before and draft.renames() == renames


def test_the_last_value_goes_with_its_attribute_not_alone(draft) -> None:
    draft.remove_value("factuality", "non-factual")
    with pytest.raises(RuleError, match="last value"):
        draft.remove_value("factuality", "factual")
    draft.remove_attribute("factuality")
    assert draft.change().carried_value("CUE", "factuality", "factual") is None


def test_a_loaded_file_keeps_names_it_has_and_drops_the_rest(draft, news_toml) -> None:
    draft.rename_label("ORG", "COMPANY")
    loaded = news_toml.replace("[layers.entity.labels.ORG]", "[layers.entity.labels.COMPANY]")
    loaded = loaded.replace('"ORG", ', '"COMPANY", ')
    loaded = loaded.replace(
        '[layers.entity.labels.LAW]\ncolor = "#7986cb"\nhotkey = "Shift+L"\n'
        'description = "Named documents made into laws"\n',
        "",
    )
    draft.load(parse_schema(loaded), loaded)
    assert draft.source == loaded
    assert draft.renames().labels == {"ORG": "COMPANY"}
    assert draft.change().removed_labels() == ["LAW"]
    draft.map_label("LAW", "WORK_OF_ART")
    assert draft.renames().labels == {"ORG": "COMPANY", "LAW": "WORK_OF_ART"}
    assert draft.change().removed_labels() == []
