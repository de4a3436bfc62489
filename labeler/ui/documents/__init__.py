"""The window's documents parts."""
