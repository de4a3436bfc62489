"""Curation mode: every annotator's spans at once, a curated set made by keyboard."""
