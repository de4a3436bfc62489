"""Agreement measures, curation merges and statistics over annotation sets."""
