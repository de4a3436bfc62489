"""The window's editor parts."""
