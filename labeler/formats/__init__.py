"""Readers and writers of file formats, on domain objects, registered by name."""
