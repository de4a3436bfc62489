"""The window's relations parts."""
