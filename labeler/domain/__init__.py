"""Plain domain objects and their rules; imports nothing of Qt or SQL."""
