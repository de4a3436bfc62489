"""A model trained in the loop: its version, when, on how much, and how well it did."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LabelScore:
    """Precision, recall and F1 of one label on the held-out documents, and how many spans
    of that label they had."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class TrainedModel:
    """One trained version of a project's model, kept in `folder` (a spaCy pipeline)."""

    version: int
    created: dt.datetime
    folder: str
    documents: int  # finished documents it was trained on
    held_out: int  # finished documents kept back to measure it
    precision: float
    recall: float
    f1: float
    per_label: dict[str, LabelScore] = field(default_factory=dict)

    def figures(self) -> str:
        """ "v3 · P 0.81 R 0.74 F1 0.77"."""
        return f"v{self.version} · P {self.precision:.2f} R {self.recall:.2f} F1 {self.f1:.2f}"


@dataclass(frozen=True)
class TrainingPolicy:
    """The lead's settings for a project's model: below `min_f1` it proposes nothing; after
    every `retrain_every` newly finished documents the window trains it again (0: never)."""

    min_f1: float = 0.5
    retrain_every: int = 0

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_f1 <= 1.0:
            raise ValueError(f"the threshold F1 lies in [0, 1], not {self.min_f1}")
        if self.retrain_every < 0:
            raise ValueError(f"retrain every N documents needs N >= 0, not {self.retrain_every}")
