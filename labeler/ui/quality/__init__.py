"""The Quality view: agreement between annotators, as a heat map and tables."""
