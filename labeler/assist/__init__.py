"""Recommenders that propose spans and relations (to come)."""
