"""Use cases in transactions: projects, import, export, documents, annotation."""
