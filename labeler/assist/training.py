"""Training a spaCy entity recognizer on a project's finished documents, and measuring it.

Everything runs on this machine's CPU from a blank English tokenizer: nothing is downloaded.
The model is spaCy's transition-based NER over a small hash-embedding CNN, sized by
TrainingSettings (the defaults train 500 news articles in minutes; tests make it tiny).
Spans that do not fall on token boundaries are trimmed to the tokens inside them for
training; the figures compare exact character ranges, so such spans count as missed.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from labeler.domain.errors import LabelerError

Progress = Callable[[int, int, float], None]  # iteration done, iterations, loss


class TrainingCancelled(LabelerError):
    """The training was stopped before it finished; nothing was kept."""


@dataclass(frozen=True)
class TrainingExample:
    """A finished document's text and its entity spans: (start, end, label), code points."""

    text: str
    spans: tuple[tuple[int, int, str], ...]
    digest: str = ""  # the document's fingerprint: which side of the held-out split it is on


@dataclass(frozen=True)
class TrainingSettings:
    """How long and how big: passes over the data, dropout, batch size, and the width and
    depth of the token encoder (a hash-embedding CNN)."""

    iterations: int = 10
    dropout: float = 0.2
    batch_size: int = 8
    width: int = 64
    depth: int = 2
    seed: int = 0
    held_out: float = 0.2  # share of the finished documents kept back to measure the model


@dataclass(frozen=True)
class Figures:
    """Precision, recall and F1 from true positives, false positives and false negatives."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, int]:
        return {
            "tp": self.true_positives,
            "fp": self.false_positives,
            "fn": self.false_negatives,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figures:
        return cls(int(data.get("tp", 0)), int(data.get("fp", 0)), int(data.get("fn", 0)))


@dataclass(frozen=True)
class Evaluation:
    """A model's figures on held-out documents: over all labels and per label."""

    overall: Figures = Figures()
    per_label: dict[str, Figures] = field(default_factory=dict)
    documents: int = 0


def held_out_split(
    examples: Sequence[TrainingExample], share: float, seed: int = 0
) -> tuple[list[TrainingExample], list[TrainingExample]]:
    """(train, held out): a fixed share of the examples, chosen by their digest and a seed
    (the same documents stay held out as the project grows, unless they are outnumbered);
    at least one of each when there are two or more."""
    ranked = sorted(
        examples,
        key=lambda e: hashlib.sha256(f"{seed}:{e.digest or e.text}".encode()).hexdigest(),
    )
    if len(ranked) < 2:
        return list(ranked), []
    count = min(max(1, round(len(ranked) * share)), len(ranked) - 1)
    held = {id(e) for e in ranked[:count]}
    return [e for e in examples if id(e) not in held], [e for e in examples if id(e) in held]


def _ner_config(settings: TrainingSettings) -> dict[str, Any]:
    return {
        "model": {
            "@architectures": "spacy.TransitionBasedParser.v2",
            "state_type": "ner",
            "extra_state_tokens": False,
            "hidden_width": 64,
            "maxout_pieces": 2,
            "use_upper": True,
            "tok2vec": {
                "@architectures": "spacy.HashEmbedCNN.v2",
                "pretrained_vectors": None,
                "width": settings.width,
                "depth": settings.depth,
                "embed_size": 2000,
                "window_size": 1,
                "maxout_pieces": 3,
                "subword_features": True,
            },
        }
    }


def _example(nlp: Any, item: TrainingExample) -> Any:
    from spacy.training import Example
    from spacy.util import filter_spans

    reference = nlp.make_doc(item.text)
    pieces = [
        reference.char_span(start, end, label=label, alignment_mode="contract")
        for start, end, label in item.spans
    ]
    reference.ents = filter_spans([p for p in pieces if p is not None and len(p)])
    return Example(nlp.make_doc(item.text), reference)


def train_ner(
    examples: Sequence[TrainingExample],
    labels: Sequence[str],
    settings: TrainingSettings = TrainingSettings(),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Any:
    """A spaCy pipeline (blank English tokenizer + NER for `labels`) trained on `examples`.

    `progress` hears after each pass; `cancelled` is asked before each batch, and
    TrainingCancelled is raised once it says so."""
    import spacy
    from spacy import util

    if not examples:
        raise LabelerError("nothing to train on: no finished document has an entity")
    util.fix_random_seed(settings.seed)  # type: ignore[attr-defined]
    nlp = spacy.blank("en")
    ner: Any = nlp.add_pipe("ner", config=_ner_config(settings))
    for label in labels:
        ner.add_label(label)
    prepared = [_example(nlp, e) for e in examples]
    optimizer = nlp.initialize(lambda: prepared)
    shuffle = random.Random(settings.seed)
    for iteration in range(1, settings.iterations + 1):
        shuffle.shuffle(prepared)
        losses: dict[str, float] = {}
        for batch in util.minibatch(prepared, settings.batch_size):  # type: ignore[no-untyped-call]
            if cancelled is not None and cancelled():
                raise TrainingCancelled("training cancelled")
            nlp.update(batch, sgd=optimizer, losses=losses, drop=settings.dropout)
        if progress is not None:
            progress(iteration, settings.iterations, float(losses.get("ner", 0.0)))
    return nlp


def evaluate(nlp: Any, examples: Sequence[TrainingExample]) -> Evaluation:
    """Exact-match figures of the pipeline's entities against the examples' spans."""
    counts: dict[str, list[int]] = {}
    for item in examples:
        gold = set(item.spans)
        found = {(e.start_char, e.end_char, e.label_) for e in nlp(item.text).ents}
        for start, end, label in gold | found:
            tally = counts.setdefault(label, [0, 0, 0])
            in_gold, in_found = (start, end, label) in gold, (start, end, label) in found
            tally[0 if in_gold and in_found else 1 if in_found else 2] += 1
    per_label = {label: Figures(*tally) for label, tally in sorted(counts.items())}
    overall = Figures(*(sum(t[i] for t in counts.values()) for i in range(3)))
    return Evaluation(overall, per_label, len(examples))


BEAM_WIDTH = 8


def scored_entities(nlp: Any, texts: Sequence[str]) -> list[dict[tuple[int, int, str], float]]:
    """For each text, every entity the model's beam search considered, as (start, end, label)
    in code points, with its probability: the share of the beam's probability held by the
    analyses that contain it."""
    ner = nlp.get_pipe("ner")
    docs = [nlp.make_doc(t) for t in texts]
    beams = ner.beam_parse(docs, beam_width=BEAM_WIDTH)
    found = []
    for doc, scores in zip(docs, ner.scored_ents(beams), strict=True):
        found.append(
            {
                (doc[s:e].start_char, doc[s:e].end_char, label): min(max(float(p), 0.0), 1.0)
                for (s, e, label), p in scores.items()
            }
        )
    return found


def confidence(scores: dict[tuple[int, int, str], float]) -> float:
    """How sure the model is of a document: the certainty of its least certain entity
    decision, max(p, 1 - p), from 0.5 (a coin flip on some span) to 1 (sure of every one).

    Least-confident-first active learning shows the lowest first: the documents where the
    model hesitates on some span, which an annotator's answer teaches it most about."""
    return min((max(p, 1.0 - p) for p in scores.values()), default=1.0)
