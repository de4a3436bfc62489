"""brat's own shapes round-trip: events, equivalences, notes, normalisations, binary
attributes and sub-folders come back as the same `.ann` lines apart from ids."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from labeler.app import main
from labeler.domain.schema_changes import SchemaChange
from labeler.formats.brat_conf import schema_from_conf

ROOT = Path(__file__).resolve().parents[2]

CONF = """[entities]
Person
Organization
GPE
Money

[relations]
Family Arg1:Person, Arg2:Person
Alias Arg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive

[events]
<POG>=Person|Organization|GPE
!Business
\tMerge-org  Org-Arg+:Organization
Report Reporter-Arg:<POG>, Event-Arg:<EVENT>
Transfer-money\tGiver-Arg:<POG>, Money-Arg:Money

[attributes]
Individual   Arg:<ENTITY>
Mention      Arg:<ENTITY>, Value:Name|Nominal|Other
Confidence   Arg:<EVENT>, Value:High|Neutral|Low
"""

TEXT = "Mr Smith, his son Tom and Tom's firm Acme joined Zenco, said Ann; Smith paid $5.\n"
ANN = """T1\tPerson 0 8\tMr Smith
T2\tPerson 14 21\tson Tom
T3\tPerson 26 29\tTom
T4\tOrganization 37 41\tAcme
T5\tMerge-org 42 48\tjoined
T6\tOrganization 49 54\tZenco
T7\tReport 56 60\tsaid
T8\tPerson 61 64\tAnn
T9\tPerson 66 71\tSmith
T10\tTransfer-money 72 76\tpaid
T11\tMoney 77 79\t$5
E1\tMerge-org:T5 Org-Arg:T4 Org-Arg2:T6
E2\tReport:T7 Reporter-Arg:T8 Event-Arg:E1
E3\tTransfer-money:T10 Giver-Arg:T9 Money-Arg:T11
R1\tFamily Arg1:T1 Arg2:T2\t
*\tAlias T2 T3
*\tAlias T1 T9
A1\tIndividual T8
A2\tMention T8 Name
A3\tConfidence E1 High
N1\tReference T8 Wikipedia:12345\tAnn Example
#1\tAnnotatorNotes T11\t5 USD
#2\tAnnotatorNotes E2\tIs this a report?
#3\tAnnotatorNotes R1\tNot stated outright.
#4\tLemma T6\tzenco
"""


def _script():
    spec = importlib.util.spec_from_file_location(
        "brat_round_trip", ROOT / "scripts/brat_round_trip.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "annotation.conf").write_text(CONF, encoding="utf-8")
    (root / "sub" / "story.txt").write_text(TEXT, encoding="utf-8")
    (root / "sub" / "story.ann").write_text(ANN, encoding="utf-8")
    (root / "other.txt").write_text("Tom met Ann.\n", encoding="utf-8")
    (root / "other.ann").write_text("T1\tPerson 0 3\tTom\nT2\tPerson 8 11\tAnn\n", "utf-8")
    return root


def test_corpus_round_trips_to_the_same_lines(corpus: Path, tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "rt.db")
    conf = str(corpus / "annotation.conf")
    assert main(["--db", db, "project", "create", "rt", "--schema-from", conf]) == 0
    assert main(["--db", db, "import", "-p", "rt", "-f", "brat", str(corpus)]) == 0
    out = tmp_path / "out"
    assert main(["--db", db, "export", "-p", "rt", "-f", "brat", "-o", str(out)]) == 0
    capsys.readouterr()
    written = (out / "sub" / "story.ann").read_text(encoding="utf-8")
    assert (out / "other.ann").exists()  # file names and the sub-folder come back
    compare = _script().canonical_lines
    assert compare(written) == compare(ANN)
    assert "E2\tReport:T7 Reporter-Arg:T8 Event-Arg:E1\n" in written
    assert "\tIndividual T8\n" in written  # binary: no value
    conf_out = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "Alias\tArg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive" in conf_out
    assert "Individual\tArg:Person|Organization|GPE|Money\n" in conf_out


def test_notes_ride_in_the_native_jsonl(corpus: Path, tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "rt.db")
    conf = str(corpus / "annotation.conf")
    main(["--db", db, "project", "create", "rt", "--schema-from", conf])
    main(["--db", db, "import", "-p", "rt", "-f", "brat", str(corpus / "sub")])
    out = tmp_path / "all.jsonl"
    assert main(["--db", db, "export", "-p", "rt", "-o", str(out)]) == 0
    capsys.readouterr()
    data = out.read_text(encoding="utf-8")
    assert '"note": "5 USD"' in data
    assert '"note": "Not stated outright."' in data
    assert '"kb:Wikipedia": "12345 Ann Example"' in data
    main(["--db", db, "project", "create", "again", "--schema-from", conf])
    assert main(["--db", db, "import", "-p", "again", str(out)]) == 0
    back = tmp_path / "back"
    main(["--db", db, "export", "-p", "again", "-f", "brat", "-o", str(back)])
    written = next(back.rglob("*.ann")).read_text(encoding="utf-8")
    # The native format lists relations sorted, so an event's arguments may change order.
    assert _unordered(written) == _unordered(ANN)


def _unordered(ann: str) -> set[str]:
    lines = _script().canonical_lines(ann)
    return {" ".join(sorted(line.split(" "))) if line[0] == "E" else line for line in lines}


def test_formats_without_notes_count_them_as_lost(corpus: Path, tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "rt.db")
    conf = str(corpus / "annotation.conf")
    main(["--db", db, "project", "create", "rt", "--schema-from", conf])
    main(["--db", db, "import", "-p", "rt", "-f", "brat", str(corpus / "sub")])
    capsys.readouterr()
    out = tmp_path / "doccano.jsonl"
    assert main(["--db", db, "export", "-p", "rt", "-f", "doccano", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    # four notes: on T11, on E2's trigger, on R1 and TDT's kind (Lemma) on T6
    assert "not carried (4): notes on spans and relations" in said
    assert main(["--db", db, "export", "-p", "rt", "-f", "brat", "-o", str(tmp_path / "b")]) == 0
    assert "notes on spans" not in capsys.readouterr().out


def test_add_labels_shows_then_adds_what_the_files_use(
    corpus: Path, tmp_path: Path, capsys
) -> None:
    db = str(tmp_path / "rt.db")
    main(["--db", db, "project", "create", "news", "--schema", "news"])
    capsys.readouterr()
    story = str(corpus / "sub")
    # Without --add-labels the import is refused: the news schema has no Person label.
    assert main(["--db", db, "import", "-p", "news", "-f", "brat", story]) != 0
    capsys.readouterr()
    args = ["--db", db, "import", "-p", "news", "-f", "brat", "--add-labels", "--yes", story]
    assert main(args) == 0
    said = capsys.readouterr().out
    shown = said.index("To add to the schema of 'news':")
    assert said.index("  add label Person to added") > shown
    assert "  add relation type Event-Arg Report → Merge-org" in said
    assert "  add attribute Individual on Person" in said
    assert said.index("Imported 1 document") > said.index("Added ")
    # A second time, nothing is missing.
    assert main([*args[:-1], str(corpus / "other.ann")]) == 0
    assert "has every label the files use" in capsys.readouterr().out


def test_knowledge_base_ids_outlive_a_schema_change(corpus: Path) -> None:
    conf = (corpus / "annotation.conf").read_text(encoding="utf-8")
    old = schema_from_conf(conf, "old")
    new = schema_from_conf(conf.replace("Mention      Arg:<ENTITY>", "Mention Arg:GPE"), "new")
    change = SchemaChange(old, new)
    kept = change.carried_attributes(
        "Person", {"kb:Wikipedia": "12345 Ann Example", "Mention": "Name"}
    )
    assert kept == {"kb:Wikipedia": "12345 Ann Example"}
