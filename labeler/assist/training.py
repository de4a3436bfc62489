"""Training a spaCy pipeline on a project's finished documents, and measuring it.

Everything runs on this machine's CPU from a blank English tokenizer: nothing is downloaded.
The entity layer is learnt by spaCy's transition-based NER; each layer whose spans may overlap
(claims, attributions) by a span categorizer of its own (`spancat_<layer>`, spans in
doc.spans[layer], candidates every run of 1 to MAX_SPAN_TOKENS tokens, so longer spans are
not learnt). Each has a small hash-embedding CNN sized by TrainingSettings (the defaults
train 500 news articles in minutes; tests make it tiny). Spans that do not fall on token
boundaries are trimmed to the tokens inside them for training; the figures compare exact
character ranges, so such spans count as missed.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from labeler.domain.errors import LabelerError

Progress = Callable[[int, int, float], None]  # iteration done, iterations, loss
Ranges = tuple[tuple[int, int, str], ...]  # (start, end, label) in code points
MAX_SPAN_TOKENS = 12  # the longest span a span categorizer considers


class TrainingCancelled(LabelerError):
    """The training was stopped before it finished; nothing was kept."""


@dataclass(frozen=True)
class TrainingExample:
    """A finished document's text, its entity spans, and the spans of its layers that may
    overlap, by layer."""

    text: str
    spans: Ranges
    digest: str = ""  # the document's fingerprint: which side of the held-out split it is on
    groups: dict[str, Ranges] = field(default_factory=dict)


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


def _tok2vec(settings: TrainingSettings) -> dict[str, Any]:
    return {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": settings.width,
        "depth": settings.depth,
        "embed_size": 2000,
        "window_size": 1,
        "maxout_pieces": 3,
        "subword_features": True,
    }


def _ner_config(settings: TrainingSettings) -> dict[str, Any]:
    return {
        "model": {
            "@architectures": "spacy.TransitionBasedParser.v2",
            "state_type": "ner",
            "extra_state_tokens": False,
            "hidden_width": 64,
            "maxout_pieces": 2,
            "use_upper": True,
            "tok2vec": _tok2vec(settings),
        }
    }


def _spancat_config(settings: TrainingSettings, layer: str, longest: int) -> dict[str, Any]:
    return {
        "spans_key": layer,
        "threshold": 0.5,
        "suggester": {
            "@misc": "spacy.ngram_range_suggester.v1",
            "min_size": 1,
            "max_size": longest,
        },
        "model": {
            "@architectures": "spacy.SpanCategorizer.v1",
            "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": 64},
            "scorer": {"@layers": "spacy.LinearLogistic.v1"},
            "tok2vec": _tok2vec(settings),
        },
    }


def _example(nlp: Any, item: TrainingExample) -> Any:
    from spacy.training import Example
    from spacy.util import filter_spans

    reference = nlp.make_doc(item.text)

    def pieces(ranges: Ranges) -> list[Any]:
        found = [
            reference.char_span(start, end, label=label, alignment_mode="contract")
            for start, end, label in ranges
        ]
        return [p for p in found if p is not None and len(p)]

    reference.ents = filter_spans(pieces(item.spans))
    for layer, ranges in item.groups.items():
        reference.spans[layer] = pieces(ranges)
    return Example(nlp.make_doc(item.text), reference)


def _span_layers(
    nlp: Any, examples: Sequence[TrainingExample], layers: Mapping[str, Sequence[str]]
) -> dict[str, int]:
    """The overlapping layers with spans to learn from, and the longest span (in tokens, at
    most MAX_SPAN_TOKENS) their categorizer considers."""
    longest: dict[str, int] = {}
    for item in examples:
        for layer, ranges in item.groups.items():
            if layer not in layers or not ranges:
                continue
            doc = nlp.make_doc(item.text)
            for start, end, _label in ranges:
                piece = doc.char_span(start, end, alignment_mode="contract")
                size = len(piece) if piece is not None else 0
                longest[layer] = max(longest.get(layer, 1), min(size, MAX_SPAN_TOKENS))
    return longest


def train_pipeline(
    examples: Sequence[TrainingExample],
    labels: Sequence[str],
    settings: TrainingSettings = TrainingSettings(),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    span_layers: Mapping[str, Sequence[str]] | None = None,
) -> Any:
    """A spaCy pipeline trained on `examples`: a blank English tokenizer, NER for `labels`,
    and a span categorizer for each of `span_layers` (layer: its labels) that the examples
    have spans of.

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
    layers = span_layers or {}
    for layer, longest in _span_layers(nlp, examples, layers).items():
        config = _spancat_config(settings, layer, longest)
        spancat: Any = nlp.add_pipe("spancat", name=f"spancat_{layer}", config=config)
        for label in layers[layer]:
            spancat.add_label(label)
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
            progress(iteration, settings.iterations, float(sum(losses.values())))
    return nlp


def evaluate(nlp: Any, examples: Sequence[TrainingExample]) -> Evaluation:
    """Exact-match figures of the pipeline's entities and span groups against the examples'
    spans (labels are the schema's, so each belongs to one layer)."""
    counts: dict[str, list[int]] = {}
    learnt = {nlp.get_pipe(name).cfg["spans_key"] for name in nlp.pipe_names if name != "ner"}
    for item in examples:
        doc = nlp(item.text)
        gold = set(item.spans) | {r for k in learnt for r in item.groups.get(k, ())}
        found = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        for key in learnt:
            found |= {(s.start_char, s.end_char, s.label_) for s in doc.spans.get(key, [])}
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
