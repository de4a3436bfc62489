"""The window's dialogs parts."""
