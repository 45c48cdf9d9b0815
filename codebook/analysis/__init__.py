"""Finding and comparing coded segments: matrices, charts, text search, word frequencies, report."""
