"""The window's who said what parts."""
