"""The Label Studio labelling config (XML) that matches a label schema."""

from __future__ import annotations

from labeler.domain.schema import LabelSchema
from labeler.formats.labelstudio_document import document_controls

LABELS = "label"  # the name of the one Labels control
TEXT = "text"  # the name of the Text object, and the task's data key


def labeling_config(schema: LabelSchema) -> str:
    """Label Studio's labelling config for a schema: labels, relations, per-region choices,
    and a control on the whole text for each document attribute."""
    import xml.etree.ElementTree as ET  # here: an import reads no config, and ET loads slowly

    view = ET.Element("View")
    labels = ET.SubElement(view, "Labels", name=LABELS, toName=TEXT)
    for label in schema.labels():
        ET.SubElement(labels, "Label", value=label.name, background=label.color)
    relations = ET.SubElement(view, "Relations")
    for rel in schema.relation_types:
        ET.SubElement(relations, "Relation", value=rel.name)
    ET.SubElement(view, "Text", name=TEXT, value=f"${TEXT}")
    for attr in schema.attributes:
        choices = ET.SubElement(
            view,
            "Choices",
            name=attr.name,
            toName=TEXT,
            perRegion="true",
            visibleWhen="region-selected",
            choice="single",
        )
        if len(attr.labels) == 1:
            # Shown only for regions of that label; with several labels, for any region.
            choices.set("whenLabelValue", attr.labels[0])
        for value in attr.values:
            ET.SubElement(choices, "Choice", value=value)
    document_controls(view, schema)
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"
