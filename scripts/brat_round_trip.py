"""Round-trips brat corpora through labeler and compares the `.ann` lines, ids aside.

    python scripts/brat_round_trip.py CORPUS_DIR [CORPUS_DIR ...]

Each corpus (a folder with `annotation.conf` and `.txt`/`.ann` pairs, sub-folders allowed) is
imported into a fresh project whose schema is made from its `annotation.conf`, exported as brat,
and every `.ann` file compared with the original: each line is written with the ids it names
replaced by what they stand for (a T id by its type and offsets, an E id by its trigger's), so
that lines compare apart from ids; trailing white space is ignored, and the members of a `*`
line are compared as a set. Prints, per corpus: files, lines, differences (lines only in the
original plus lines only in the export), and files not written back under their own path.
Exit status 1 if any corpus differs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path


def canonical_lines(ann: str) -> Counter[str]:
    """The lines of a `.ann` text with ids replaced by what they name (see the docstring)."""
    rows = [line.rstrip().split("\t") for line in ann.splitlines() if line.strip()]
    name: dict[str, str] = {}
    for row in rows:
        if row[0].startswith("T"):
            name[row[0]] = f"[{row[1]}]"
    for row in rows:
        if row[0].startswith("E"):
            kind, _, trigger = row[1].split()[0].partition(":")
            name[row[0]] = f"<{kind}:{name.get(trigger, trigger)}>"

    def sub(ref: str) -> str:
        role, sep, target = ref.rpartition(":")
        if sep and not target.startswith(("T", "E", "R")):
            return ref  # a DB:ID pair
        target = target if sep else ref
        return f"{role}{sep}{name.get(target, target)}"

    for row in rows:
        if row[0].startswith("R"):
            name[row[0]] = "(" + " ".join(sub(a) for a in row[1].split()) + ")"
    out: Counter[str] = Counter()
    for row in rows:
        kind = row[0][0]
        fields = row[1].split()
        if kind == "*":
            rest = fields[0] + " " + " ".join(sorted(sub(a) for a in fields[1:]))
        else:
            rest = " ".join(sub(a) for a in fields)
        out["\t".join([kind, rest, *row[2:]])] += 1
    return out


def run(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "labeler", *args], check=True, capture_output=True)


def round_trip(corpus: Path, work: Path) -> tuple[int, int, int, int]:
    """Files, original lines, differing lines and files not written back, of one corpus."""
    db = str(work / "rt.db")
    project = corpus.name
    run("--db", db, "project", "create", project, "--schema-from", str(corpus / "annotation.conf"))
    run("--db", db, "import", "--project", project, "--format", "brat", str(corpus))
    out = work / f"{project}-out"
    # Every status: a document whose .ann is empty was imported without a set (still to do).
    run("--db", db, "export", "-p", project, "-f", "brat", "--status", "any", "--out", str(out))
    files = lines = differences = missing = 0
    for original in sorted(corpus.rglob("*.ann")):
        files += 1
        before = canonical_lines(original.read_text(encoding="utf-8"))
        written = out / original.relative_to(corpus)
        if not written.exists() or not written.with_suffix(".txt").exists():
            missing += 1
            print(f"  {original.relative_to(corpus)}: not written back")
        after = canonical_lines(written.read_text(encoding="utf-8")) if written.exists() else {}
        lines += sum(before.values())
        only_before = before - Counter(after)
        only_after = Counter(after) - before
        differences += sum(only_before.values()) + sum(only_after.values())
        for line in list(only_before)[:3]:
            print(f"  {original.relative_to(corpus)}: only in original: {line}")
        for line in list(only_after)[:3]:
            print(f"  {original.relative_to(corpus)}: only in export:   {line}")
    return files, lines, differences, missing


def main(corpora: list[str]) -> int:
    failed = False
    for corpus in map(Path, corpora):
        with tempfile.TemporaryDirectory() as work:
            files, lines, differences, missing = round_trip(corpus, Path(work))
        print(
            f"{corpus}: files {files}, lines {lines}, differences {differences}, "
            f"files not written back {missing}"
        )
        failed = failed or differences > 0 or missing > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
