"""The document list's queries on both engines: filter by text and status, sort by each key."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from labeler.domain.annotation import Span, Status
from labeler.domain.document import Document, DocumentQuery
from labeler.domain.project import Project, overall_status
from labeler.services.documents import DocumentIds, DocumentService
from labeler.services.projects import ProjectService
from labeler.storage.annotation_repository import NewSet
from labeler.storage.database import Database

# (title, date, text); referred to below by position: d0 ... d7
DOCS = [
    ("Port strike ends", date(2026, 3, 2), "Dockers returned to work on Monday."),
    ("budget vote", date(2026, 3, 1), "The council voted 7-2 on the BUDGET."),
    ("Flood aid arrives", None, "Relief came to the port city."),
    ("Vital élan", date(2026, 3, 1), "A study of ÉLAN in ZÜRICH."),
    ("Zebra crossing", date(2026, 2, 28), "50% of drivers stop_here."),
    ("Council budget", None, "No annotation at all."),
    ("port report", date(2026, 3, 3), "Nothing here \\ at all."),
    ("Port strike ends", date(2026, 3, 2), "Second report on the strike."),
]
# document -> annotator -> (status, number of spans)
SETS: dict[int, dict[str, tuple[Status, int]]] = {
    0: {"ana": (Status.DONE, 3), "ben": (Status.DONE, 1)},
    1: {"ana": (Status.IN_PROGRESS, 1), "ben": (Status.DONE, 0)},
    2: {"ana": (Status.TODO, 0)},
    3: {"ana": (Status.SKIPPED, 2), "ben": (Status.SKIPPED, 0)},
    4: {"ben": (Status.DONE, 2), "cy": (Status.TODO, 0)},
    5: {"cy": (Status.TODO, 0)},
    6: {"ana": (Status.DONE, 1), "ben": (Status.SKIPPED, 0)},
}


@dataclass
class Corpus:
    service: DocumentService
    project: Project
    ids: list[int]  # d0 ... d7
    engine: str

    def query(self, **fields: object) -> list[int]:
        """The matching documents as positions in DOCS."""
        found = self.service.ids(self.project, DocumentQuery(**fields))  # type: ignore[arg-type]
        return [self.ids.index(i) for i in found]


@pytest.fixture(scope="module")
def corpus(module_db_url: str) -> Iterator[Corpus]:
    """One corpus per engine for the whole module: its tests only read it."""
    db = Database(module_db_url)
    db.open()
    projects = ProjectService(db)
    project = projects.create("News", "news")
    other = projects.create("Other", "news")
    with db.transaction() as store:
        ids = store.documents.add_many(
            project.id, [Document(text, title, day) for title, day, text in DOCS]
        )
        # Another project's documents and sets never show in this one's list.
        [foreign] = store.documents.add_many(other.id, [Document("Port budget.", "Port budget")])
        names = store.annotations.annotator_ids(["ana", "ben", "cy"])
        new_sets = [NewSet(foreign, names["ana"], Status.DONE, _spans("Port budget.", 2), [])]
        for position, by_name in SETS.items():
            text = DOCS[position][2]
            for name, (status, spans) in by_name.items():
                new_sets.append(NewSet(ids[position], names[name], status, _spans(text, spans), []))
        store.annotations.add_sets(new_sets)
    yield Corpus(DocumentService(db), project, ids, module_db_url.split(":")[0].split("+")[0])
    db.close()


def _spans(text: str, n: int) -> list[Span]:
    return [Span(i, i + 1, "ORG", "entity", text[i], id=-(i + 1)) for i in range(n)]


# -- text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("port", [0, 2, 6, 7]),  # titles of d0, d6, d7; the text of d2 ("port city")
        ("PORT", [0, 2, 6, 7]),
        ("BuDgEt", [1, 5]),  # d1 by title and text, d5 by title
        ("dockers", [0]),  # only in the text
        ("zebra", [4]),  # only in the title
        ("strike ends", [0, 7]),
        ("50%", [4]),  # LIKE's wildcards match themselves
        ("%", [4]),
        ("_", [4]),
        ("stop_here", [4]),
        ("\\", [6]),
        ("zÜrich", [3]),  # the ASCII letter's case differs, the other's not
        ("élan", [3]),
        ("  budget vote ", [1]),  # surrounding spaces are not part of the filter
        ("   ", [0, 1, 2, 3, 4, 5, 6, 7]),
        ("nowhere", []),
    ],
)
def test_text_filter_matches_title_or_text_ignoring_case(corpus: Corpus, text, expected) -> None:
    assert corpus.query(text=text) == expected


@pytest.mark.parametrize(("text", "expected"), [("ÉLAN", [3]), ("zürich", [3]), ("Élan", [3])])
def test_text_filter_folds_the_case_of_any_letter(corpus: Corpus, text, expected) -> None:
    assert corpus.query(text=text) == expected


# -- status


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.TODO, [2, 5, 7]),  # d2: all todo; d5: only todo; d7: no annotation set
        (Status.IN_PROGRESS, [1, 4]),  # d4: done and todo is under way, not done
        (Status.DONE, [0, 6]),  # d6: done and skipped
        (Status.SKIPPED, [3]),  # every annotator skipped
    ],
)
def test_status_filter_overall(corpus: Corpus, status: Status, expected) -> None:
    assert corpus.query(status=status) == expected


def test_overall_status_in_sql_agrees_with_the_domain_rule(corpus: Corpus) -> None:
    for status in Status:
        expected = [
            p
            for p in range(len(DOCS))
            if overall_status([s for s, _n in SETS.get(p, {}).values()]) is status
        ]
        assert corpus.query(status=status) == expected
        rows = corpus.service.summaries_for_ids(corpus.ids, None)
        assert [corpus.ids.index(r.id) for r in rows if r.status == status.value] == expected


@pytest.mark.parametrize(
    ("annotator", "status", "expected"),
    [
        ("ana", Status.TODO, [2, 4, 5, 7]),  # d4, d5, d7: ana has no annotation set there
        ("ana", Status.IN_PROGRESS, [1]),
        ("ana", Status.DONE, [0, 6]),
        ("ana", Status.SKIPPED, [3]),
        ("ben", Status.DONE, [0, 1, 4]),
        ("ben", Status.SKIPPED, [3, 6]),
        ("zoe", Status.TODO, [0, 1, 2, 3, 4, 5, 6, 7]),  # no such annotator: all to do
        ("zoe", Status.DONE, []),
    ],
)
def test_status_filter_for_an_annotator(corpus: Corpus, annotator, status, expected) -> None:
    assert corpus.query(status=status, annotator=annotator) == expected


def test_text_and_status_filters_combine(corpus: Corpus) -> None:
    assert corpus.query(text="port", status=Status.TODO) == [2, 7]
    assert corpus.query(text="port", status=Status.DONE, annotator="ana") == [0, 6]


# -- order


@pytest.mark.parametrize(
    ("sort", "annotator", "ascending", "descending"),
    [
        ("id", None, [0, 1, 2, 3, 4, 5, 6, 7], [7, 6, 5, 4, 3, 2, 1, 0]),
        # Case-insensitive: "budget vote" before "Council budget"; d0 and d7 tie, by id.
        ("title", None, [1, 5, 2, 6, 0, 7, 3, 4], [4, 3, 0, 7, 6, 2, 5, 1]),
        # Undated documents (d2, d5) last either way.
        ("date", None, [4, 1, 3, 0, 7, 6, 2, 5], [6, 0, 7, 1, 3, 4, 2, 5]),
        # In the order work goes: todo, in progress, done, skipped.
        ("status", None, [2, 5, 7, 1, 4, 0, 6, 3], [3, 0, 6, 1, 4, 2, 5, 7]),
        ("status", "ana", [2, 4, 5, 7, 1, 0, 6, 3], [3, 0, 6, 1, 2, 4, 5, 7]),
        ("spans", None, [2, 5, 7, 1, 6, 3, 4, 0], [0, 3, 4, 1, 6, 2, 5, 7]),
        ("spans", "ana", [2, 4, 5, 7, 1, 6, 3, 0], [0, 3, 1, 6, 2, 4, 5, 7]),
        ("spans", "ben", [1, 2, 3, 5, 6, 7, 0, 4], [4, 0, 1, 2, 3, 5, 6, 7]),
    ],
)
def test_sort_by_each_key_both_ways_ties_by_id(
    corpus: Corpus, sort, annotator, ascending, descending
) -> None:
    assert corpus.query(sort=sort, annotator=annotator) == ascending
    assert corpus.query(sort=sort, annotator=annotator, descending=True) == descending


def test_sort_applies_to_the_filtered_rows(corpus: Corpus) -> None:
    assert corpus.query(text="port", sort="date", descending=True) == [6, 0, 7, 2]
    assert corpus.query(status=Status.TODO, annotator="ana", sort="title") == [5, 2, 7, 4]


def test_unknown_sort_key_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sort key 'words'"):
        DocumentQuery(sort="words")


# -- summaries


def test_summaries_for_ids_keep_the_order_given(corpus: Corpus) -> None:
    d = corpus.ids
    rows = corpus.service.summaries_for_ids([d[3], d[0], 999_999, d[5]], None)
    assert [(r.id, r.title, r.date, r.status, r.span_total) for r in rows] == [
        (d[3], "Vital élan", date(2026, 3, 1), "skipped", 2),
        (d[0], "Port strike ends", date(2026, 3, 2), "done", 4),
        (d[5], "Council budget", None, "todo", 0),
    ]
    assert corpus.service.summaries_for_ids([], None) == []


def test_summaries_for_an_annotator_show_their_status_and_spans(corpus: Corpus) -> None:
    rows = corpus.service.summaries_for_ids(corpus.ids, "ana")
    expected = []
    for position in range(len(DOCS)):
        status, spans = SETS.get(position, {}).get("ana", (Status.TODO, 0))
        expected.append((status.value, spans))
    assert [(r.status, r.span_total) for r in rows] == expected
    assert rows[0].span_counts == {"entity": 3}
    assert {
        (r.status, r.span_total) for r in corpus.service.summaries_for_ids(corpus.ids, "zoe")
    } == {("todo", 0)}


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("annotator", [None, "ana", "ben", "cy"])
@pytest.mark.parametrize("status", list(Status))
def test_a_status_filter_read_a_page_at_a_time_by_key_gives_the_same_rows(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, status: Status, annotator, descending
) -> None:
    """The list filtered by status grows a page at a time (keyset pages through the index on
    document and status); read to its end, it holds what one query for them all gives."""
    monkeypatch.setattr(DocumentIds, "PAGE", 1)
    fields = {"status": status, "annotator": annotator, "descending": descending}
    whole = corpus.query(**fields)
    growing = corpus.service.ids(corpus.project, DocumentQuery(**fields))  # type: ignore[arg-type]
    assert len(growing) == min(1, len(whole))  # one page read, no count
    while growing.has_more():
        growing.take(growing.more())
    assert [corpus.ids.index(i) for i in growing] == whole
    assert len(growing) == len(whole)


@pytest.mark.parametrize("annotator", [None, "ana", "cy"])
def test_the_status_order_read_by_key_agrees_with_the_sorted_query(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, annotator
) -> None:
    monkeypatch.setattr(DocumentIds, "PAGE", 2)
    for descending in (False, True):
        query = DocumentQuery(sort="status", descending=descending, annotator=annotator)
        lazy = corpus.service.ids(corpus.project, query)
        in_pages = [lazy[n] for n in range(len(lazy))]  # page after page, each by key
        whole = list(corpus.service.ids(corpus.project, query))  # read at once
        assert in_pages == whole
        assert len(whole) == len(corpus.ids)
