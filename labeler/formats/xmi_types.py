"""The UIMA type system of the xmi format: the layers INCEpTION imports, made from a schema."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from labeler.domain.errors import InputError, Location
from labeler.domain.schema import LabelSchema
from labeler.formats.inflating import xml_declares_entities

if TYPE_CHECKING:  # cassis and lxml are imported late: few commands need them
    from cassis import TypeSystem

SPAN_TYPE = "webanno.custom.Span"
RELATION_TYPE = "webanno.custom.Relation"
METADATA_TYPE = "labeler.type.Metadata"
DOCUMENT_LABEL_TYPE = "webanno.custom.DocumentLabel"
DOCUMENT_METADATA_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
SENTENCE_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
TOKEN_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
NAMED_ENTITY_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
TYPESYSTEM_FILE = "TypeSystem.xml"

STRING = "uima.cas.String"
CUSTOM_PREFIX = "webanno.custom."
ANNOTATION_FEATURES = {"sofa", "begin", "end"}
RESERVED_FEATURES = ANNOTATION_FEATURES | {
    "type",
    "self",
    "layer",
    "label",
    "Governor",
    "Dependent",
}
IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
ATTRIBUTE_MARK = re.compile(r'labeler attribute ("(?:[^"\\]|\\.)*")')


def attribute_features(schema: LabelSchema) -> dict[str, str]:
    """Schema attribute name -> the name of its feature on the span type."""
    names: dict[str, str] = {}
    taken = set(RESERVED_FEATURES)
    for attribute in schema.attributes:
        name = attribute.name
        if not IDENTIFIER.match(name) or name in taken:
            name = "attr_" + re.sub(r"[^A-Za-z0-9_]", "_", name)
        base, n = name, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        names[attribute.name] = name
    return names


def build_typesystem(schema: LabelSchema) -> TypeSystem:
    """The type system of every file written for `schema`."""
    from cassis import TypeSystem

    ts = TypeSystem()
    meta = ts.create_type(DOCUMENT_METADATA_TYPE, "uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId"):
        ts.create_feature(meta, name, STRING)
    ts.create_type(SENTENCE_TYPE)
    ts.create_type(TOKEN_TYPE)
    layers = "; ".join(f"{x.name}: {' '.join(b.name for b in x.labels)}" for x in schema.layers)
    span = ts.create_type(SPAN_TYPE, description=f"labeler schema {schema.name!r}: {layers}")
    ts.create_feature(span, "layer", STRING, description="the schema layer of the label")
    ts.create_feature(span, "label", STRING)
    features = attribute_features(schema)
    for attribute in schema.attributes:
        about = (
            f"labeler attribute {json.dumps(attribute.name)} of {'|'.join(attribute.labels)}: "
            f"{'|'.join(attribute.values)}"
        )
        ts.create_feature(span, features[attribute.name], STRING, description=about)
    relation = ts.create_type(RELATION_TYPE, description="relations between spans")
    ts.create_feature(relation, "Governor", span, description="the head span")
    ts.create_feature(relation, "Dependent", span, description="the tail span")
    ts.create_feature(relation, "label", STRING, description="the relation type")
    labels = ", ".join(
        f"{a.name} ({a.kind}{': ' + '|'.join(a.values) if a.values else ''})"
        for a in schema.document_attributes
    )
    document = ts.create_type(
        DOCUMENT_LABEL_TYPE,
        "uima.cas.AnnotationBase",
        description=f"a label of the whole document, one per value: {labels or 'none'}",
    )
    ts.create_feature(document, "name", STRING, description="the document attribute")
    ts.create_feature(document, "value", STRING, description="one of its values")
    info = ts.create_type(METADATA_TYPE, "uima.cas.TOP", description="labeler's document data")
    ts.create_feature(info, "json", STRING, description="title, date, meta, annotator, status")
    return ts


def find_typesystem(folder: Path) -> Path | None:
    """The type system file in a folder: TypeSystem.xml, typesystem.xml or another casing."""
    for name in (TYPESYSTEM_FILE, TYPESYSTEM_FILE.lower()):
        if (folder / name).is_file():
            return folder / name
    matches = sorted(p for p in folder.glob("*.xml") if p.name.lower() == "typesystem.xml")
    return matches[0] if matches else None


def load_folder_typesystem(folder: Path) -> TypeSystem:
    """The folder's type system; InputError when it is missing or broken."""
    from cassis import load_typesystem
    from lxml import etree

    found = find_typesystem(folder)
    if found is None:
        raise InputError(
            Location(str(folder)),
            f"no {TYPESYSTEM_FILE} beside the .xmi files; XMI cannot be read without the type "
            "system it was written with (INCEpTION puts it in the exported zip)",
        )
    try:
        data = found.read_bytes()
    except OSError as exc:
        raise InputError(Location(str(found)), f"cannot read the file ({exc.strerror})") from None
    if xml_declares_entities(data):
        raise InputError(
            Location(str(found)),
            "not read: the type system declares a document type or entities, which UIMA "
            "never does (the way of entity expansion bombs and of reading other files)",
        )
    try:
        return load_typesystem(io.BytesIO(data))
    except etree.XMLSyntaxError as exc:
        raise InputError(Location(str(found), exc.lineno), f"invalid XML: {exc.msg}") from None
    except Exception as exc:  # cassis reports a bad type system in several ways
        raise InputError(Location(str(found)), f"not a UIMA type system: {exc}") from None
