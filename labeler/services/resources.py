"""Finds the files in resources/ both in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

import labeler

_PACKAGE = Path(labeler.__file__).resolve().parent


def resources_dir() -> Path:
    """The resources folder: beside the package in a checkout, inside it when installed."""
    checkout = _PACKAGE.parent / "resources"
    if (checkout / "schemas").is_dir():
        return checkout
    return _PACKAGE / "_resources"


def builtin_schemas() -> dict[str, Path]:
    """Schema name -> file, for the schemas that ship with labeler."""
    return {p.stem: p for p in sorted((resources_dir() / "schemas").glob("*.toml"))}


def sample_articles() -> Path:
    return resources_dir() / "sample" / "articles.jsonl"
