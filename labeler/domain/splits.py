"""Deterministic train/dev/test splits: a document's split depends only on its text and a seed."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from labeler.domain.errors import LabelerError

SPLIT_NAMES = ("train", "dev", "test")


@dataclass(frozen=True)
class SplitRatios:
    """Shares of train, dev and test, in percent, adding up to 100."""

    train: int = 100
    dev: int = 0
    test: int = 0

    @classmethod
    def parse(cls, text: str) -> SplitRatios:
        """Reads '80/10/10' (or '90/10', train/dev)."""
        if not re.fullmatch(r"\d{1,3}(/\d{1,3}){0,2}", text.strip()):
            raise LabelerError(f"split {text!r} must look like 80/10/10")
        parts = [int(p) for p in text.strip().split("/")] + [0, 0]
        ratios = cls(*parts[:3])
        if ratios.train + ratios.dev + ratios.test != 100:
            raise LabelerError(f"split {text!r} must add up to 100")
        return ratios

    def names(self) -> list[str]:
        """The splits that get any documents, in order."""
        shares = (self.train, self.dev, self.test)
        return [n for n, share in zip(SPLIT_NAMES, shares, strict=True) if share]


def split_of(digest: str, seed: int, ratios: SplitRatios) -> str:
    """The split a document lands in: the same digest and seed always give the same answer."""
    key = hashlib.sha256(f"{seed}:{digest}".encode()).digest()
    bucket = int.from_bytes(key[:8], "big") % 10_000 / 100  # 0.00 .. 99.99
    if bucket < ratios.train:
        return "train"
    if bucket < ratios.train + ratios.dev:
        return "dev"
    return "test"
