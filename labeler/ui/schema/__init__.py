"""The window's schema parts."""
