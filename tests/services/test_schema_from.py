"""A project's schema made from the data or its tool's configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from labeler.domain.errors import InputError
from labeler.services.projects import schema_from

LS_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="PER" background="#FF0000"/><Label value="ORG"/>
  </Labels>
  <Relations><Relation value="works_for"/></Relations>
  <Text name="text" value="$text"/>
  <Choices name="certainty" toName="text" perRegion="true">
    <Choice value="high"/><Choice value="low"/>
  </Choices>
</View>
"""
DOCCANO_LABELS = (
    '[{"id": 1, "text": "PER", "suffix_key": "p", "background_color": "#209cee"},'
    ' {"id": 2, "text": "LOC", "suffix_key": "l", "background_color": "#00d1b2"}]'
)


def test_label_studio_config(tmp_path: Path) -> None:
    path = tmp_path / "config.xml"
    path.write_text(LS_CONFIG, encoding="utf-8")
    schema = schema_from(path, "ls")
    assert [(label.name, label.color) for label in schema.labels()] == [
        ("PER", "#ff0000"),
        ("ORG", "#a6cee3"),
    ]
    assert schema.relation_type("works_for").heads == ("PER", "ORG")
    assert schema.attributes_for("PER")[0].values == ("high", "low")


def test_doccano_label_list(tmp_path: Path) -> None:
    path = tmp_path / "label_config.json"
    path.write_text(DOCCANO_LABELS, encoding="utf-8")
    schema = schema_from(path, "dc")
    assert [label.name for label in schema.labels()] == ["PER", "LOC"]
    assert schema.label("LOC").color == "#00d1b2"


def test_labels_of_a_conll_file(tmp_path: Path) -> None:
    path = tmp_path / "train.conll"
    path.write_text("Jane B-PER\nDoe I-PER\nin O\nOslo B-LOC\n\nACME B-ORG\n", "utf-8")
    schema = schema_from(path, "conll")
    assert sorted(label.name for label in schema.labels()) == ["LOC", "ORG", "PER"]
    assert [layer.name for layer in schema.layers] == ["entity"]


def test_a_file_without_labels_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Just words.\n", "utf-8")
    with pytest.raises(InputError, match="no labelled spans"):
        schema_from(path, "none")


def test_label_studio_controls_on_the_text_become_document_attributes(tmp_path: Path) -> None:
    from labeler.domain.schema import DocumentKind
    from labeler.formats.labelstudio_config import labeling_config

    path = tmp_path / "config.xml"
    path.write_text(
        LS_CONFIG.replace(
            "</View>",
            '<Choices name="sentiment" toName="text" choice="single-radio">'
            '<Choice value="pos"/><Choice value="neg"/></Choices>'
            '<Choices name="topics" toName="text" choice="multiple">'
            '<Choice value="a"/><Choice value="b"/></Choices>'
            '<TextArea name="summary" toName="text"/>'
            '<Rating name="quality" toName="text" maxRating="10"/></View>',
        ),
        "utf-8",
    )
    schema = schema_from(path, "ls")
    kinds = {a.name: (a.kind, a.values, a.scale) for a in schema.document_attributes}
    assert kinds == {
        "sentiment": (DocumentKind.CHOICE, ("pos", "neg"), 5),
        "topics": (DocumentKind.MULTIPLE, ("a", "b"), 5),
        "summary": (DocumentKind.TEXT, (), 5),
        "quality": (DocumentKind.RATING, (), 10),
    }
    # The config labeler writes for that schema gives the same document attributes back.
    path.write_text(labeling_config(schema), "utf-8")
    assert schema_from(path, "ls").document_attributes == schema.document_attributes
