"""Runs Label Studio's own converter on labeler's Label Studio export, with emoji before the spans.

    python3 -m venv /tmp/lsconv && /tmp/lsconv/bin/pip install label-studio-converter
    python scripts/labelstudio_converter_check.py /tmp/lsconv/bin/label-studio-converter

The converter (label-studio-converter, a dependency-heavy package kept out of labeler's own
environment) turns the export into CoNLL-2003, taking region offsets as Python string indices;
this prints the words it tagged and exits 1 unless they are exactly the spans' words. With
label-studio-converter 0.0.59 and code-point offsets: all tagged right; the same export with
UTF-16 offsets tagged ", ", "said", "left", "of" and "." as well.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from labeler.domain.annotation import AnnotationSet, make_span
from labeler.domain.document import Document
from labeler.domain.schema_toml import parse_schema
from labeler.formats import labelstudio
from labeler.formats.records import ExportItem

REPO = Path(__file__).resolve().parents[1]
TEXTS = {
    "🎉🎉 On Monday , UNESCO said Ada Lind left .": [
        ("Monday", "DATE"),
        ("UNESCO", "ORG"),
        ("Ada Lind", "PERSON"),
    ],
    "Zoë 🙂 said \U0001d4b3 rose , according to Ada Lind of \U0001d4b3 Corp .": [
        ("Ada Lind", "PERSON"),
        ("Corp", "ORG"),
    ],
}


def export(folder: Path) -> Path:
    """labeler's Label Studio export of TEXTS, one annotator."""
    schema_file = REPO / "resources" / "schemas" / "news.toml"
    schema = parse_schema(schema_file.read_text("utf-8"), schema_file.name)
    items = []
    for text, spans in TEXTS.items():
        s = AnnotationSet(schema, "alice")
        for words, label in spans:
            start = text.index(words)
            s.add_span(make_span(text, start, start + len(words), label, schema))
        items.append(ExportItem(Document(text), [s]))
    path = folder / "tasks.json"
    labelstudio.write(path, items, schema)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("converter", help="the label-studio-converter command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tasks = export(folder)
        config = tasks.with_name("tasks.config.xml")
        out = folder / "conll"
        command = [args.converter, "export", "-i", str(tasks), "-c", str(config)]
        subprocess.run([*command, "-o", str(out), "-f", "CONLL2003"], check=True)
        lines = (out / "result.conll").read_text("utf-8").splitlines()
    tagged = [line.split()[0] for line in lines if line and not line.endswith(" O")]
    expected = [w for spans in TEXTS.values() for words, _ in spans for w in words.split()]
    print("tagged:  ", " ".join(tagged))
    print("expected:", " ".join(expected))
    return 0 if tagged == expected else 1


if __name__ == "__main__":
    sys.exit(main())
