"""The build: the pipeline from sources to files, the job pool, the cache and atomic publishing."""
