"""Agreement measures, curation merges and statistics (to come)."""
