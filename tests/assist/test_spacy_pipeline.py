"""Any installed spaCy pipeline as a recommender: a tiny one trained here, loaded by folder."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from labeler.assist.spacy_pipeline import SpacyPipelineRecommender, read_label_mapping
from labeler.domain.annotation import AnnotationSet
from labeler.domain.errors import InputError
from labeler.domain.schema_toml import parse_schema

SENTENCES = [
    ("Ana Reyes flew to Bergen.", [(0, 9, "PER"), (18, 24, "CITY")]),
    ("Bergen welcomed Ana Reyes.", [(0, 6, "CITY"), (16, 25, "PER")]),
    ("Ola Berg stayed in Oslo.", [(0, 8, "PER"), (19, 23, "CITY")]),
    ("Oslo is far from Bergen.", [(0, 4, "CITY"), (17, 23, "CITY")]),
]


@pytest.fixture(scope="module")
def pipeline_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small NER pipeline trained on four sentences until it knows them, saved to a folder."""
    spacy.util.fix_random_seed(7)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for _, spans in SENTENCES:
        for *_, label in spans:
            ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": s}) for t, s in SENTENCES]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(7)
    for _ in range(60):
        rng.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    folder = tmp_path_factory.mktemp("pipeline") / "tiny_ner"
    nlp.to_disk(folder)
    return folder


@pytest.fixture
def annotations(news_toml: str) -> AnnotationSet:
    return AnnotationSet(parse_schema(news_toml, "news.toml"), "ana")


def test_a_pipeline_folder_proposes_its_entities_under_the_mapped_labels(
    pipeline_folder: Path, annotations
) -> None:
    recommender = SpacyPipelineRecommender(pipeline_folder, {"PER": "PERSON", "CITY": "GPE"})
    assert recommender.name == "spacy tiny_ner"
    text = SENTENCES[0][0]
    found = {(text[s.start : s.end], s.label) for x in recommender.suggest(text, annotations)
             for s in x.spans}  # fmt: skip
    assert found == {("Ana Reyes", "PERSON"), ("Bergen", "GPE")}


def test_unmapped_labels_are_left_out_and_a_mapping_file_is_read(
    pipeline_folder: Path, annotations, tmp_path: Path
) -> None:
    mapping = tmp_path / "map.tsv"
    mapping.write_text("CITY\tGPE\n", encoding="utf-8")
    recommender = SpacyPipelineRecommender(pipeline_folder, read_label_mapping(mapping))
    text = SENTENCES[0][0]
    labels = {s.label for x in recommender.suggest(text, annotations) for s in x.spans}
    assert labels == {"GPE"}
    # Without a mapping only labels the schema shares are kept: PER and CITY are not its own.
    assert SpacyPipelineRecommender(pipeline_folder).suggest(text, annotations) == []


def test_a_pipeline_not_installed_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no installed spaCy pipeline"):
        SpacyPipelineRecommender(tmp_path / "nowhere").load()
