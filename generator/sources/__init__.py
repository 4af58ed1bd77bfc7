"""Sources in: readers (one per file kind), schemas, validation, and the catalogue of every source."""
